import type { LoaderFunctionArgs } from "@remix-run/node";
import { t } from "../../i18n/translate";
import { requireVersion, requireVersionsOf } from "~/utils/versions.server";
import { comparisonAsWord } from "../../server/versions/word-comparison";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/**
 * `GET /drafts/<slug>/compare/<from>/<to>.docx` (`to` a version number or `live`): the comparison
 * as a Word document of tracked changes, each naming who made it; `?comments=1` adds the shared
 * comment threads as Word comments. For anyone who may read the draft's versions.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, draft } = await requireVersionsOf(context, request, params.slug);
  const older = await requireVersion(draft, params.from);
  const live = params.to === "live";
  const newer = live ? null : await requireVersion(draft, params.to);
  const fromLabel = t("versions.label", { number: older.number });
  const toLabel = newer ? t("versions.label", { number: newer.number }) : t("versions.liveText");
  const comments = new URL(request.url).searchParams.get("comments") === "1";
  const body = await comparisonAsWord(context.live, { viewer: user, draft, older, newer, comments, caption: t("versions.word.caption", { from: fromLabel, to: toLabel }) });
  // Slugs are made of [a-z0-9-]; anything else is kept out of the header all the same.
  const name = `${draft.slug.replace(/[^a-z0-9-]/gi, "-")}-v${older.number}-${newer ? `v${newer.number}` : "live"}.docx`;
  return new Response(new Uint8Array(body), {
    headers: { "Content-Type": DOCX, "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "private, no-store" },
  });
}
