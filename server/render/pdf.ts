import PDFDocument from "pdfkit";
import { t } from "../../i18n/translate";
import type { Block, ExportDocument, Inline } from "./export-document";
import { hyphenate, withoutSoftHyphens } from "./hyphenation";
import { hashLine, versionLine } from "./labels";

const MARGIN = 72;
const LIST_INDENT = 18;
const BODY = { regular: "Times-Roman", bold: "Times-Bold", italic: "Times-Italic", boldItalic: "Times-BoldItalic" } as const;
const SMALL = "Helvetica";

/**
 * A published version as a PDF: the title, version line and hash, the preamble, numbered section
 * headings (also in the PDF's outline), clauses led by their numbers, notes at the end, page numbers
 * on every page. Written in the standard Times and Helvetica fonts, so nothing is embedded, and dated
 * with the version's date, so the same version always gives the same bytes. The text is hyphenated
 * by the rules of its language (its draft's).
 */
export function renderPdf(document: ExportDocument): Promise<Buffer> {
  const title = document.meta.publicTitle || document.title;
  const pdf = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    bufferPages: true,
    lang: document.meta.lang,
    displayTitle: true,
    font: BODY.regular,
    info: {
      Title: title,
      Author: t("public.publisher"),
      Subject: versionLine(document.meta),
      Keywords: hashLine(document.meta),
      Creator: "Accord",
      CreationDate: document.meta.date,
      ModDate: document.meta.date,
    },
  });
  hideSoftHyphens(pdf);
  const lang = document.meta.lang;
  const chunks: Buffer[] = [];
  pdf.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });

  pdf.font(BODY.bold).fontSize(20).text(title, { paragraphGap: 6 });
  pdf.font(SMALL).fontSize(9).fillColor("#444444").text(versionLine(document.meta));
  pdf.text(hashLine(document.meta), { paragraphGap: document.meta.url ? 0 : 12 });
  if (document.meta.url) pdf.text(document.meta.url, { link: document.meta.url, paragraphGap: 12 });
  pdf.fillColor("black");

  for (const block of document.preamble) writeBlock(pdf, block, 0, lang);
  for (const section of document.sections) {
    const heading = `${section.number}. ${plain(section.heading)}`.trim();
    pdf.moveDown(0.6);
    pdf.font(BODY.bold).fontSize(14).text(heading, { paragraphGap: 6 });
    pdf.outline.addItem(heading);
    for (const clause of section.clauses) {
      const [first, ...rest] = clause.blocks;
      const lead: Inline = { kind: "text", text: `${clause.number}  `, em: false, strong: true, href: null };
      if (first?.kind === "paragraph") writeRuns(pdf, [lead, ...first.inlines], MARGIN, lang);
      else {
        writeRuns(pdf, [lead], MARGIN, lang);
        if (first) writeBlock(pdf, first, 0, lang);
      }
      for (const block of rest) writeBlock(pdf, block, 0, lang);
    }
  }

  if (document.footnotes.length) {
    pdf.moveDown(0.6);
    pdf.font(BODY.bold).fontSize(14).text(t("public.notes"), MARGIN, pdf.y, { paragraphGap: 6 });
    for (const note of document.footnotes) {
      pdf.font(BODY.regular).fontSize(10).text(`${note.number}. ${hyphenate(note.text, lang)}`, { paragraphGap: 4 });
    }
  }

  writePageNumbers(pdf);
  pdf.end();
  return done;
}

function writeBlock(pdf: PDFKit.PDFDocument, block: Block, depth: number, lang: string): void {
  if (block.kind === "paragraph") {
    writeRuns(pdf, block.inlines, MARGIN + depth * LIST_INDENT, lang);
    return;
  }
  block.items.forEach((item, index) => {
    const marker = block.ordered ? `${index + 1}.  ` : "•  ";
    writeRuns(pdf, [{ kind: "text", text: marker, em: false, strong: false, href: null }, ...item.inlines], MARGIN + (depth + 1) * LIST_INDENT, lang);
    for (const list of item.lists) writeBlock(pdf, list, depth + 1, lang);
  });
}

/** Writes one paragraph of styled runs starting at `x`, as one flow of continued text, hyphenated (links aside). */
function writeRuns(pdf: PDFKit.PDFDocument, inlines: readonly Inline[], x: number, lang: string): void {
  const runs = inlines.flatMap((inline): { text: string; font: string; link: string | null }[] => {
    if (inline.kind === "footnote") return [{ text: `[${inline.number}]`, font: BODY.regular, link: null }];
    if (inline.kind === "break") return [{ text: "\n", font: BODY.regular, link: null }];
    if (!inline.text) return [];
    return [{ text: inline.href ? inline.text : hyphenate(inline.text, lang), font: fontFor(inline), link: inline.href }];
  });
  if (runs.length === 0) return;
  const width = pdf.page.width - MARGIN - x;
  pdf.fontSize(11);
  runs.forEach((run, index) => {
    const last = index === runs.length - 1;
    const options = { width, continued: !last, link: run.link, underline: Boolean(run.link), lineGap: 2, paragraphGap: last ? 6 : 0 };
    pdf.font(run.font);
    if (index === 0) pdf.text(run.text, x, pdf.y, options);
    else pdf.text(run.text, options);
  });
  pdf.x = MARGIN;
}

function writePageNumbers(pdf: PDFKit.PDFDocument): void {
  const range = pdf.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    pdf.switchToPage(index);
    // Writing inside the bottom margin would otherwise start a new page.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf
      .font(SMALL)
      .fontSize(9)
      .fillColor("#444444")
      .text(t("public.page", { page: index + 1, pages: range.count }), MARGIN, pdf.page.height - bottom / 2, {
        width: pdf.page.width - 2 * MARGIN,
        align: "center",
        lineBreak: false,
      });
    pdf.page.margins.bottom = bottom;
  }
}

function fontFor(inline: Extract<Inline, { kind: "text" }>): string {
  if (inline.strong && inline.em) return BODY.boldItalic;
  if (inline.strong) return BODY.bold;
  if (inline.em) return BODY.italic;
  return BODY.regular;
}

function plain(inlines: readonly Inline[]): string {
  return inlines.map((inline) => (inline.kind === "text" ? inline.text : "")).join("");
}

// PDFKit breaks a line at a soft hyphen and draws a hyphen there, but draws (and measures) every
// other soft hyphen as a hyphen too: what it measures and draws is taken without them.
function hideSoftHyphens(pdf: PDFKit.PDFDocument): void {
  const document = pdf as unknown as {
    widthOfString(text: string, options?: unknown): number;
    _fragment(text: string, x: number, y: number, options: unknown): unknown;
  };
  const widthOf = document.widthOfString.bind(document);
  const fragment = document._fragment.bind(document);
  document.widthOfString = (text, options) => widthOf(withoutSoftHyphens(text), options);
  document._fragment = (text, x, y, options) => fragment(withoutSoftHyphens(text), x, y, options);
}
