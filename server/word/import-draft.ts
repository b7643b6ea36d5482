import { parseDocument, type DocJson } from "../../schema/content";
import { openWordArchive } from "./archive";
import { clausesOf, firstNumberedClause } from "./clauses";
import { inlineJson, inlineText } from "./inline-json";
import { readWordDocument } from "./read-docx";
import { collapseSpaces, plainText, settle, type SettledParagraph, type TrackedChanges } from "./tracked-changes";
import { stripLead, typedHeadingNumber } from "./typed-numbers";
import type { LostKind } from "./word-document";

/** A Word document made into a draft's text, with what the preview shows before it is created. */
export interface WordImport {
  /** The Title-styled paragraph, else the title in the document's properties, else the first paragraph. */
  title: string;
  /** The text, valid in Accord's schema. */
  content: DocJson;
  /** What the preview lists: the preamble's paragraphs, then each section heading and its clauses, numbered as Accord will number them. */
  outline: { kind: "preamble" | "heading" | "clause"; number?: string; text: string }[];
  /** What could not be kept, by kind (only kinds found). */
  lost: { kind: LostKind; count: number }[];
  /** The tracked changes found (and accepted or rejected, as asked). */
  trackedChanges: number;
}

/** What to do with the document's tracked changes: keep the text as changed, or as it was. */
export interface WordImportOptions {
  trackedChanges: TrackedChanges;
}

const OUTLINE_TEXT_LENGTH = 200;
const LOST_ORDER: readonly LostKind[] = ["trackedChange", "comment", "image", "textBox", "table", "field", "other"];

/**
 * Makes a Word document (.docx) into a draft's text: headings start sections, the paragraphs before
 * the first heading are the preamble, numbered paragraphs start clauses (see `clausesOf`), with
 * bold, italics, links, footnotes and lists kept. Tracked changes are accepted or rejected, comments
 * dropped, tables kept as their text; all of it is reported in `lost`. Throws a WordFileError for a
 * file that is not a readable Word document.
 */
export function importWordDocument(bytes: Uint8Array, options: WordImportOptions): WordImport {
  const view = options.trackedChanges;
  const word = readWordDocument(openWordArchive(bytes));
  const paragraphs = settle(word.paragraphs, view).filter(showsSomething);
  const { title, body } = takeTitle(paragraphs, word.propertiesTitle, view);

  const firstHeading = body.findIndex((paragraph) => paragraph.headingLevel !== null);
  // Without headings, the text is one section, whose clauses start at the first numbered paragraph.
  const preambleEnd = firstHeading >= 0 ? firstHeading : Math.max(0, firstNumberedClause(body));
  const preamble = body.slice(0, preambleEnd).map((paragraph): DocJson => ({ type: "paragraph", content: inlineJson(paragraph.pieces, view, "paragraph") }));
  const sections = splitSections(body.slice(preambleEnd)).map(({ heading, paragraphs: rest }): DocJson => {
    return { type: "section", content: [{ type: "section_heading", content: heading ? headingJson(heading, view) : [] }, ...clausesOf(rest, view)] };
  });

  const content: DocJson = {
    type: "doc",
    content: [
      { type: "title", content: title ? [{ type: "text", text: title }] : [] },
      { type: "preamble", content: preamble.length ? preamble : [{ type: "paragraph" }] },
      ...sections,
    ],
  };
  // Built to fit the schema; checked, so that a mistake here fails the import rather than the draft.
  parseDocument(content);
  return {
    title,
    content,
    outline: outlineOf(preamble, sections),
    lost: LOST_ORDER.map((kind) => ({ kind, count: kind === "trackedChange" ? word.trackedChanges : (word.lost.get(kind) ?? 0) })).filter(({ count }) => count > 0),
    trackedChanges: word.trackedChanges,
  };
}

function showsSomething(paragraph: SettledParagraph): boolean {
  return paragraph.pieces.some((piece) => piece.kind === "note" || (piece.kind === "text" && piece.text.trim() !== ""));
}

// The Title-styled paragraph leaves the body; the first paragraph, taken for want of a title, too,
// unless it is a heading, which stays the first section's.
function takeTitle(paragraphs: SettledParagraph[], propertiesTitle: string | null, view: TrackedChanges): { title: string; body: SettledParagraph[] } {
  const styled = paragraphs.findIndex((paragraph) => paragraph.title);
  const text = (paragraph: SettledParagraph) => collapseSpaces(plainText(paragraph.pieces));
  const styledTitle = paragraphs[styled];
  if (styledTitle) return { title: text(styledTitle), body: paragraphs.filter((_, index) => index !== styled) };
  if (propertiesTitle) return { title: propertiesTitle, body: paragraphs };
  const [first, ...rest] = paragraphs;
  if (!first) return { title: "", body: [] };
  if (first.headingLevel === null) return { title: text(first), body: rest };
  return { title: inlineText(headingJson(first, view)), body: paragraphs };
}

// A heading's text without its typed number: Accord numbers sections itself.
function headingJson(heading: SettledParagraph, view: TrackedChanges): DocJson[] {
  return inlineJson(stripLead(heading.pieces, typedHeadingNumber(plainText(heading.pieces))), view, "heading");
}

function splitSections(paragraphs: readonly SettledParagraph[]): { heading: SettledParagraph | null; paragraphs: SettledParagraph[] }[] {
  const sections: { heading: SettledParagraph | null; paragraphs: SettledParagraph[] }[] = [];
  for (const paragraph of paragraphs) {
    const current = sections.at(-1);
    if (paragraph.headingLevel !== null || !current) sections.push({ heading: paragraph.headingLevel !== null ? paragraph : null, paragraphs: paragraph.headingLevel !== null ? [] : [paragraph] });
    else current.paragraphs.push(paragraph);
  }
  return sections.length ? sections : [{ heading: null, paragraphs: [] }];
}

function outlineOf(preamble: readonly DocJson[], sections: readonly DocJson[]): WordImport["outline"] {
  const outline: WordImport["outline"] = preamble.map((paragraph) => ({ kind: "preamble", text: shorten(textOf(paragraph)) }));
  sections.forEach((section, sectionIndex) => {
    const [heading, ...clauses] = section.content ?? [];
    outline.push({ kind: "heading", number: String(sectionIndex + 1), text: shorten(heading ? textOf(heading) : "") });
    clauses.forEach((clause, clauseIndex) => outline.push({ kind: "clause", number: `${sectionIndex + 1}.${clauseIndex + 1}`, text: shorten(textOf(clause)) }));
  });
  return outline;
}

// A block's text: its paragraphs' text joined by spaces, footnotes left out.
function textOf(node: DocJson): string {
  if (node.type === "paragraph" || node.type === "section_heading") return inlineText(node.content ?? []);
  return collapseSpaces((node.content ?? []).map(textOf).join(" "));
}

function shorten(text: string): string {
  return text.length <= OUTLINE_TEXT_LENGTH ? text : `${text.slice(0, OUTLINE_TEXT_LENGTH - 1).trimEnd()}…`;
}
