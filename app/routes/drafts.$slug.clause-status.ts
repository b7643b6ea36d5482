import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize, notFound, requireUser } from "~/utils/session.server";
import { clauseStatusVersion } from "../../server/domain/clause-status";
import { findDraftBySlug } from "../../server/domain/drafts";

/**
 * `GET /drafts/<slug>/clause-status`: `{ version }`, which changes whenever a clause status of the
 * draft is set (open draft pages hear of changes through the draft's event stream instead).
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  authorize(user, "clause.view-status", { type: "draft", id: draft.id });
  return Response.json({ version: await clauseStatusVersion(draft.id) }, { headers: { "Cache-Control": "no-store" } });
}
