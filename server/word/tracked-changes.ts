import type { ContentPiece, Piece, Tracked, WordParagraph } from "./word-document";

/** What to do with a document's tracked changes: take them as made, or undo them. */
export type TrackedChanges = "accept" | "reject";

/** A paragraph once its tracked changes are settled: only the content that remains. */
export interface SettledParagraph extends Omit<WordParagraph, "pieces" | "mark"> {
  pieces: ContentPiece[];
}

/** Whether content with this tracked change remains once changes are accepted (or rejected). */
export function remains(change: Tracked, view: TrackedChanges): boolean {
  return view === "accept" ? change.deleted === null : change.inserted === null;
}

/** The content pieces (markers aside) that remain once changes are accepted (or rejected). */
export function remainingContent(pieces: readonly Piece[], view: TrackedChanges): ContentPiece[] {
  return pieces.filter((piece): piece is ContentPiece => isContent(piece) && remains(piece, view));
}

/** Whether a piece is content rather than the marker of a bookmark or comment. */
export function isContent(piece: Piece): piece is ContentPiece {
  return piece.kind === "text" || piece.kind === "tab" || piece.kind === "break" || piece.kind === "note";
}

/**
 * The paragraphs as they read once every tracked change is accepted (or rejected): removed content
 * dropped, and a paragraph whose mark is removed joined to the next. The joined paragraph keeps the
 * first one's properties (its style, its number), unless nothing of the first one remains (a
 * paragraph deleted whole leaves no trace on the next).
 */
export function settle(paragraphs: readonly WordParagraph[], view: TrackedChanges): SettledParagraph[] {
  const settled: SettledParagraph[] = [];
  let joining: SettledParagraph | null = null;
  for (const { pieces, mark, ...properties } of paragraphs) {
    let paragraph: SettledParagraph = { ...properties, pieces: remainingContent(pieces, view) };
    if (joining) {
      if (joining.pieces.length > 0) paragraph = { ...joining, pieces: [...joining.pieces, ...paragraph.pieces] };
      joining = null;
    }
    if (remains(mark, view)) settled.push(paragraph);
    else joining = paragraph;
  }
  if (joining) settled.push(joining);
  return settled;
}

/** Plain text of content: tabs as "\t", line breaks as "\n", notes left out. */
export function plainText(pieces: readonly ContentPiece[]): string {
  return pieces.map((piece) => (piece.kind === "text" ? piece.text : piece.kind === "tab" ? "\t" : piece.kind === "break" ? "\n" : "")).join("");
}

/** Runs of spaces, tabs and line breaks as one space, trimmed (no-break spaces are kept: French needs them). */
export function collapseSpaces(text: string): string {
  return text.replace(/[ \t\n\r\f\v]+/g, " ").trim();
}

/** A footnote's text as Accord keeps it: each paragraph's text, spaces collapsed, joined by a space. */
export function noteText(note: readonly WordParagraph[], view: TrackedChanges): string {
  return settle(note, view)
    .map((paragraph) => collapseSpaces(plainText(paragraph.pieces)))
    .filter(Boolean)
    .join(" ");
}
