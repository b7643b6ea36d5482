import type { LoaderFunctionArgs } from "@remix-run/node";
import { dispositionsCsv, dispositionTables } from "~/utils/consultation.server";
import { authorize, notFound, requireUser } from "~/utils/session.server";
import { findDraftBySlug } from "../../server/domain/drafts";

/**
 * `GET /drafts/<slug>/consultation/dispositions.csv`: the draft's disposition tables for whoever
 * reads them. It may leave the secretariat, so it holds no e-mail, and names senders only with
 * their consent.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  authorize(user, "disposition.view", { type: "draft", id: draft.id });
  const csv = dispositionsCsv(await dispositionTables(draft));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${draft.slug}-dispositions.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
