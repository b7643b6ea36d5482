import { formMessage } from "~/utils/forms.server";
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { apiAuthorize, apiError, apiJson, readApiInput, requireApiDraft, requireApiUser } from "~/utils/api.server";
import { commentBody, commentJson, requireApiComment, requireApiThread, withInputErrors } from "~/utils/annotations.server";
import { deleteComment, editComment, threadResource } from "../../server/domain/annotations";

const CommentInput = z.discriminatedUnion(
  "intent",
  [z.object({ intent: z.literal("edit"), body: commentBody }), z.object({ intent: z.literal("delete") })],
  { errorMap: () => ({ message: formMessage("api.unknownIntent") }) },
);

/**
 * Edits or deletes one's own comment: PATCH `{ body }`, DELETE, or POST with
 * `intent=edit&body=…` / `intent=delete` (as a form without JavaScript would).
 */
export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  const thread = await requireApiThread(user, draft, params.threadId);
  const comment = requireApiComment(thread, params.commentId);
  const input =
    request.method === "DELETE"
      ? ({ intent: "delete" } as const)
      : request.method === "PATCH"
        ? { intent: "edit" as const, ...(await readApiInput(request, z.object({ body: commentBody }))) }
        : await readApiInput(request, CommentInput);
  const resource = { type: "comment", authorId: comment.authorId, thread: threadResource(thread, draft.stage) } as const;
  if (comment.deletedAt) throw apiError(404, t("annotations.commentDeleted"));
  if (input.intent === "delete") {
    apiAuthorize(user, "annotation.delete-comment", resource, t("annotations.notYourComment"));
    await deleteComment(context.live, { actor: user, comment });
    return apiJson({ deleted: comment.id });
  }
  apiAuthorize(user, "annotation.edit-comment", resource, t("annotations.notYourComment"));
  const edited = await withInputErrors(() => editComment(context.live, { actor: user, comment, body: input.body }));
  return apiJson({ comment: commentJson(edited, thread, user, draft.stage) });
}
