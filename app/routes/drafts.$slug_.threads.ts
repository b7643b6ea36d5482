import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { t } from "../../i18n/translate";
import { apiAuthorize, apiError, apiJson, readApiInput, requireApiDraft, requireApiUser } from "~/utils/api.server";
import { NewThreadInput, threadJson, withInputErrors } from "~/utils/annotations.server";
import { createThread, listThreads } from "../../server/domain/annotations";
import { draftResource } from "../../server/domain/drafts";

/** The threads of a draft the signed-in person may see: `?status=open|resolved` narrows them. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  const status = new URL(request.url).searchParams.get("status");
  const threads = await listThreads(context.live, {
    viewer: user,
    draftId: draft.id,
    status: status === "open" || status === "resolved" ? status : undefined,
  });
  return apiJson({ threads: threads.map((thread) => threadJson(thread, user, draft.stage)) });
}

/** Starts a thread on a range of the draft's text: `{ from, to, body, visibility }`. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  if (request.method !== "POST") throw apiError(405, t("api.unknownIntent"));
  const input = await readApiInput(request, NewThreadInput);
  apiAuthorize(user, "annotation.create", { ...draftResource(draft), visibility: "all" }, t("annotations.mayNotAnnotate"));
  apiAuthorize(user, "annotation.create", { ...draftResource(draft), visibility: input.visibility }, t("annotations.mayNotKeepPrivate"));
  const thread = await withInputErrors(() =>
    createThread(context.live, { actor: user, draftId: draft.id, range: { from: input.from, to: input.to }, body: input.body, visibility: input.visibility }),
  );
  return apiJson({ thread: threadJson(thread, user, draft.stage) }, { status: 201 });
}
