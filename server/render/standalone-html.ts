import { currentLanguage } from "../../i18n/languages";
import { escapeHtml } from "./html";
import type { ExportMetadata } from "./export-document";
import { hashLine, versionLine } from "./labels";

// Enough style to read and print the file on its own, with no request to anywhere.
const STYLE = `
body { font: 1.05rem/1.55 Georgia, "Times New Roman", serif; hyphens: auto; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
.version-line, .hash { font: 0.85rem/1.4 system-ui, sans-serif; color: #444; }
.hash { word-break: break-all; }
.clause { display: grid; grid-template-columns: 3rem 1fr; margin: 0.6rem 0; }
.clause > :not(.clause-number) { grid-column: 2; margin: 0 0 0.4rem; }
.clause-number { font-weight: bold; }
@media print { body { margin: 0; max-width: none; } .clause { break-inside: avoid; } }
`;

/**
 * A published version as one self-contained HTML file: the stored, already escaped HTML of the
 * version under a header with its version line, hash and permanent address. The page is in the
 * text's language; the header's labels, in the reader's, say so when it differs.
 */
export function renderStandaloneHtml(input: { html: string; meta: ExportMetadata; title: string }): string {
  const { meta } = input;
  const reader = currentLanguage();
  const header = reader === meta.lang ? "<header>" : `<header lang="${escapeHtml(reader)}">`;
  const link = meta.url ? `<p class="hash"><a href="${escapeHtml(meta.url)}">${escapeHtml(meta.url)}</a></p>` : "";
  return `<!doctype html>
<html lang="${escapeHtml(meta.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${header}
<p class="version-line">${escapeHtml(versionLine(meta))}</p>
<p class="hash">${escapeHtml(hashLine(meta))}</p>
${link}
</header>
<main>
${input.html}
</main>
</body>
</html>
`;
}
