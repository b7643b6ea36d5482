import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { apiAuthorize, apiJson, readApiInput, requireApiDraft, requireApiUser } from "~/utils/api.server";
import { commentBody, commentJson, requireApiThread, withInputErrors } from "~/utils/annotations.server";
import { replyToThread, threadResource } from "../../server/domain/annotations";

const ReplyInput = z.object({ body: commentBody });

/** Replies in a thread: `{ body }`. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  const thread = await requireApiThread(user, draft, params.threadId);
  const { body } = await readApiInput(request, ReplyInput);
  apiAuthorize(user, "annotation.reply", threadResource(thread, draft.stage), t("annotations.mayNotReply"));
  const comment = await withInputErrors(() => replyToThread(context.live, { actor: user, thread, body }));
  return apiJson({ comment: commentJson(comment, thread, user, draft.stage) }, { status: 201 });
}
