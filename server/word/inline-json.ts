import type { DocJson } from "../../schema/content";
import { noteText, type TrackedChanges } from "./tracked-changes";
import type { ContentPiece } from "./word-document";

/** What a node of the schema may hold inline: a paragraph everything, a section heading only italics. */
export type InlineAllowance = "paragraph" | "heading";

type Mark = NonNullable<DocJson["marks"]>[number];

/**
 * A paragraph's remaining content as ProseMirror inline JSON: bold as strong, italic as em, links,
 * footnotes with their plain text, line breaks. Spaces are collapsed as a browser would (tabs are
 * spaces; no-break spaces are kept), and trimmed at the ends and around line breaks. A section
 * heading keeps only italics, and its line breaks and notes become a space and nothing.
 */
export function inlineJson(pieces: readonly ContentPiece[], view: TrackedChanges, allowance: InlineAllowance): DocJson[] {
  const nodes: DocJson[] = [];
  let lineStart = true;
  for (const piece of pieces) {
    if (piece.kind === "break" && allowance === "paragraph") {
      trimEnd(nodes);
      if (!lineStart) nodes.push({ type: "hard_break" });
      lineStart = true;
    } else if (piece.kind === "note") {
      if (allowance === "paragraph") nodes.push({ type: "footnote", attrs: { note: noteText(piece.note, view) } });
      lineStart = false;
    } else {
      let text = piece.kind === "text" ? piece.text.replace(/[ \t\n\r\f\v]+/g, " ") : " ";
      if (lineStart || endsWithSpace(nodes)) text = text.replace(/^ /, "");
      if (!text) continue;
      appendText(nodes, text, piece.kind === "text" ? marksOf(piece, allowance) : []);
      lineStart = false;
    }
  }
  // Nothing trails a paragraph: neither spaces nor line breaks.
  for (;;) {
    if (nodes.at(-1)?.type === "hard_break") nodes.pop();
    else if (!trimEnd(nodes)) break;
  }
  return nodes;
}

/** Whether inline content shows anything: text, or a footnote. */
export function hasContent(nodes: readonly DocJson[]): boolean {
  return nodes.some((node) => node.type === "text" || node.type === "footnote");
}

/** The plain text of inline JSON: line breaks as spaces, footnotes left out. */
export function inlineText(nodes: readonly DocJson[]): string {
  return nodes.map((node) => (node.type === "text" ? (node.text ?? "") : node.type === "hard_break" ? " " : "")).join("");
}

// Marks in the schema's order (link, em, strong), as ProseMirror checks.
function marksOf(piece: Extract<ContentPiece, { kind: "text" }>, allowance: InlineAllowance): Mark[] {
  const marks: Mark[] = [];
  if (allowance === "paragraph" && piece.link) marks.push({ type: "link", attrs: { href: piece.link.href, title: piece.link.title } });
  if (piece.italic) marks.push({ type: "em" });
  if (allowance === "paragraph" && piece.bold) marks.push({ type: "strong" });
  return marks;
}

function appendText(nodes: DocJson[], text: string, marks: Mark[]): void {
  const last = nodes.at(-1);
  if (last?.type === "text" && sameMarks(last.marks ?? [], marks)) {
    last.text = `${last.text ?? ""}${text}`;
    return;
  }
  nodes.push(marks.length ? { type: "text", text, marks } : { type: "text", text });
}

function sameMarks(a: readonly Mark[], b: readonly Mark[]): boolean {
  return a.length === b.length && a.every((mark, index) => JSON.stringify(mark) === JSON.stringify(b[index]));
}

function endsWithSpace(nodes: readonly DocJson[]): boolean {
  const last = nodes.at(-1);
  return last?.type === "text" && (last.text ?? "").endsWith(" ");
}

// Drops the trailing space of the last text node (and the node, if nothing else is left of it);
// says whether anything was dropped.
function trimEnd(nodes: DocJson[]): boolean {
  const last = nodes.at(-1);
  if (last?.type !== "text" || !(last.text ?? "").endsWith(" ")) return false;
  last.text = (last.text ?? "").trimEnd();
  if (!last.text) nodes.pop();
  return true;
}
