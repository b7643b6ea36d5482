import { formMessage } from "~/utils/forms.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { apiAuthorize, apiJson, readApiInput, requireApiDraft, requireApiUser } from "~/utils/api.server";
import { requireApiThread, threadJson } from "~/utils/annotations.server";
import { setThreadStatus, threadResource, viewThreads } from "../../server/domain/annotations";

const StatusInput = z.object({
  intent: z.enum(["resolve", "reopen"], { errorMap: () => ({ message: formMessage("api.unknownIntent") }) }),
});

/** One thread, if the signed-in person may know it exists. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  const thread = await requireApiThread(user, draft, params.threadId);
  const [view] = await viewThreads(context.live, draft.id, [thread]);
  return apiJson({ thread: view ? threadJson(view, user, draft.stage) : null });
}

/** Resolves or reopens a thread: POST or PATCH `{ intent: "resolve" | "reopen" }`. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  const thread = await requireApiThread(user, draft, params.threadId);
  const { intent } = await readApiInput(request, StatusInput);
  apiAuthorize(user, "annotation.resolve", threadResource(thread, draft.stage), t("annotations.mayNotResolve"));
  const view = await setThreadStatus(context.live, { actor: user, thread, status: intent === "resolve" ? "resolved" : "open" });
  return apiJson({ thread: threadJson(view, user, draft.stage) });
}
