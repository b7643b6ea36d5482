import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiJson, requireApiDraft, requireApiUser } from "~/utils/api.server";
import { loadMeetingView } from "~/utils/meetings.server";

/**
 * `GET /drafts/<slug>/session.json`: the session live on the draft as the reader sees it (null when
 * none is), which every open page of the draft reloads when it hears a step of the session.
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  return apiJson({ meeting: await loadMeetingView(user, draft) });
}
