import {
  Bookmark,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  Packer,
  Paragraph,
  TextRun,
  type ParagraphChild,
} from "docx";
import { currentLanguage } from "../../i18n/languages";
import { t } from "../../i18n/translate";
import type { Block, ExportDocument, Inline } from "./export-document";
import { bookmarkName, decimalListLevels, pageNumberFooter, wordLanguage } from "./word-common";
import { hashLine, versionLine } from "./labels";

const ORDERED = "ordered-list";

/**
 * A published version as a Word document that stays editable: the title in Word's Title style,
 * sections as Heading 1 with their numbers, each clause a paragraph led by its bold number (and a
 * bookmark named after its stable id), real Word bullet and numbered lists, Word footnotes and page
 * numbers in the footer.
 */
export function renderDocx(document: ExportDocument): Promise<Buffer> {
  const title = document.meta.publicTitle || document.title;
  const lists = { next: 0 };
  // The labels are in the reader's language; the rest is the text's.
  const labels = { value: wordLanguage(currentLanguage()) };
  const body: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title)] }),
    new Paragraph({ children: [new TextRun({ text: versionLine(document.meta), italics: true, language: labels })] }),
    new Paragraph({ children: [new TextRun({ text: hashLine(document.meta), size: 18, language: labels })] }),
  ];
  if (document.meta.url) {
    body.push(new Paragraph({ children: [new ExternalHyperlink({ link: document.meta.url, children: [new TextRun({ text: document.meta.url, style: "Hyperlink" })] })] }));
  }
  for (const block of document.preamble) body.push(...blockParagraphs(block, 0, lists));
  for (const section of document.sections) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`${section.number}. `), ...runs(section.heading)] }));
    for (const clause of section.clauses) {
      const [first, ...rest] = clause.blocks;
      const lead = new Bookmark({ id: bookmarkName(clause.id), children: [new TextRun({ text: clause.number, bold: true })] });
      const tab = new TextRun({ text: "\t" });
      if (first?.kind === "paragraph") body.push(new Paragraph({ children: [lead, tab, ...runs(first.inlines)] }));
      else {
        body.push(new Paragraph({ children: [lead] }));
        if (first) body.push(...blockParagraphs(first, 0, lists));
      }
      for (const block of rest) body.push(...blockParagraphs(block, 0, lists));
    }
  }

  const file = new Document({
    title,
    subject: versionLine(document.meta),
    keywords: hashLine(document.meta),
    creator: t("public.publisher"),
    description: hashLine(document.meta),
    // Word checks spelling and hyphenates in the text's language.
    styles: { default: { document: { run: { language: { value: wordLanguage(document.meta.lang) } } } } },
    hyphenation: { autoHyphenation: true },
    footnotes: Object.fromEntries(document.footnotes.map((note) => [String(note.number), { children: [new Paragraph(note.text)] }])),
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: decimalListLevels(4),
        },
      ],
    },
    sections: [
      {
        properties: {},
        footers: {
          default: pageNumberFooter(),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(file);
}

function blockParagraphs(block: Block, depth: number, lists: { next: number }): Paragraph[] {
  if (block.kind === "paragraph") return [new Paragraph({ children: runs(block.inlines) })];
  const instance = (lists.next += 1);
  return block.items.flatMap((item) => [
    new Paragraph({
      children: runs(item.inlines),
      ...(block.ordered ? { numbering: { reference: ORDERED, level: depth, instance } } : { bullet: { level: depth } }),
    }),
    ...item.lists.flatMap((list) => blockParagraphs(list, depth + 1, lists)),
  ]);
}

function runs(inlines: readonly Inline[]): ParagraphChild[] {
  return inlines.map((inline) => {
    if (inline.kind === "footnote") return new FootnoteReferenceRun(inline.number);
    if (inline.kind === "break") return new TextRun({ text: "", break: 1 });
    const run = new TextRun({ text: inline.text, bold: inline.strong, italics: inline.em, ...(inline.href ? { style: "Hyperlink" } : {}) });
    return inline.href ? new ExternalHyperlink({ link: inline.href, children: [run] }) : run;
  });
}
