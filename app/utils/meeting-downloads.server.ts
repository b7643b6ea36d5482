import type { LoaderFunctionArgs } from "@remix-run/node";
import { t } from "../../i18n/translate";
import { renderDocx } from "../../server/render/docx";
import { toExportDocument } from "../../server/render/export-document";
import { renderPdf } from "../../server/render/pdf";
import { findDraftById, findDraftBySlug } from "../../server/domain/drafts";
import { findMeeting } from "../../server/domain/meetings";
import { findVersion } from "../../server/domain/versions";
import { authorize, notFound, requireUser } from "./session.server";

const FORMATS = {
  pdf: { type: "application/pdf", render: renderPdf },
  docx: { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", render: renderDocx },
} as const;

/**
 * `GET /drafts/<slug>/sessions/<n>/record.<pdf|docx>`: a session's final summary record as a file,
 * for whoever may follow the session; the file's own words (its status line, its page numbers) in
 * the reader's language. 404 until the record is final.
 */
export async function downloadMeetingRecord({ context, request, params }: LoaderFunctionArgs, format: keyof typeof FORMATS): Promise<Response> {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  authorize(user, "meeting.follow", { type: "draft", id: draft.id });
  const meeting = /^\d{1,9}$/.test(params.number ?? "") ? await findMeeting(draft.id, Number(params.number)) : null;
  if (!meeting?.recordDraftId || meeting.recordState !== "final" || meeting.recordVersion === null) throw notFound();
  const [record, version] = await Promise.all([findDraftById(meeting.recordDraftId), findVersion(meeting.recordDraftId, meeting.recordVersion)]);
  if (!record || !version) throw notFound();
  const document = toExportDocument(version.content, {
    publicTitle: record.title,
    versionNumber: version.number,
    statusLabel: t("meetings.record.finalLabel"),
    date: version.createdAt,
    sha256: version.sha256,
    lang: record.language,
    url: null,
  });
  const body = await FORMATS[format].render(document);
  const name = `${record.slug.replace(/[^a-z0-9-]/gi, "-")}-final.${format}`;
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": FORMATS[format].type,
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
