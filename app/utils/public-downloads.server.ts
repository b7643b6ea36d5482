import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderDocx } from "../../server/render/docx";
import { renderMarkdown } from "../../server/render/markdown";
import { renderPdf } from "../../server/render/pdf";
import { renderStandaloneHtml } from "../../server/render/standalone-html";
import { notModified, publicCacheHeaders, publicEtag } from "./http-cache.server";
import { bracketsEtagParts, exportDocument, requirePublishedText, versionNumberParam } from "./public.server";

/** The formats a published version downloads in: its media type and how it is written. */
const FORMATS = {
  pdf: { type: "application/pdf", render: (input: RenderInput) => renderPdf(input.document) },
  docx: { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", render: (input: RenderInput) => renderDocx(input.document) },
  md: { type: "text/markdown; charset=utf-8", render: async (input: RenderInput) => renderMarkdown(input.document) },
  html: {
    type: "text/html; charset=utf-8",
    render: async (input: RenderInput) => renderStandaloneHtml({ html: input.html, meta: input.document.meta, title: input.document.meta.publicTitle }),
  },
} as const;

export type DownloadFormat = keyof typeof FORMATS;

type RenderInput = { document: ReturnType<typeof exportDocument>; html: string };

/**
 * `GET /p/<slug>/v/<n>.<format>`: a published version as a file to keep, under a name that says
 * which text and version it is. The same for everyone and never changing, so cached for good.
 */
export async function downloadPublishedVersion({ params, request, context }: LoaderFunctionArgs, format: DownloadFormat): Promise<Response> {
  const text = await requirePublishedText(params.slug, versionNumberParam(params.n));
  const headers = publicCacheHeaders({ etag: publicEtag([text.sha256.slice(0, 32), `v${text.versionNumber}`, ...bracketsEtagParts(text), format]), immutable: true, context, personal: false });
  const cached = notModified(request, headers);
  if (cached) return cached;
  const body = await FORMATS[format].render({ document: exportDocument(text, context.origin), html: text.html });
  headers.set("Content-Type", FORMATS[format].type);
  // Slugs are made of [a-z0-9-]; anything else is kept out of the header all the same.
  const name = `${text.draftSlug.replace(/[^a-z0-9-]/gi, "-")}-v${text.versionNumber}.${format}`;
  headers.set("Content-Disposition", `attachment; filename="${name}"`);
  return new Response(typeof body === "string" ? body : new Uint8Array(body), { headers });
}
