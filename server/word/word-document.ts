/**
 * A Word document as read, before Accord makes anything of it: paragraphs of pieces (text, tabs,
 * breaks, notes, and the markers of bookmarks and comments), each piece with its tracked change.
 */

/** Who made a tracked change, and when (an ISO date, when Word recorded one). */
export interface Revision {
  author: string;
  date: string | null;
}

/** A link on text: a safe address only (see `isSafeHref`). */
export interface Link {
  href: string;
  title: string | null;
}

/** Whether a piece of text is a tracked insertion, a tracked deletion, or (inserted, then deleted) both. */
export interface Tracked {
  inserted: Revision | null;
  deleted: Revision | null;
}

/** What a paragraph shows: text, a tab, a line break, a footnote (or endnote) with its own paragraphs. */
export type ContentPiece =
  | (Tracked & { kind: "text"; text: string; bold: boolean; italic: boolean; link: Link | null })
  | (Tracked & { kind: "tab" | "break" })
  | (Tracked & { kind: "note"; note: readonly WordParagraph[] });

/** Where a bookmark or a comment's range starts and ends in the text, and where a comment is referenced. */
export type MarkerPiece =
  | { kind: "bookmarkStart"; id: string; name: string }
  | { kind: "bookmarkEnd"; id: string }
  | { kind: "commentStart" | "commentEnd" | "commentReference"; id: string };

/** A paragraph's content, in order. */
export type Piece = ContentPiece | MarkerPiece;

/** A paragraph as read from Word, tracked changes and all. */
export interface WordParagraph {
  /** In Word's Title style. */
  title: boolean;
  /** Its heading level (1–9), or null for body text. */
  headingLevel: number | null;
  /** Its automatic numbering, when it shows a number or a bullet: the list level and whether it is a bullet. */
  list: { level: number; bullet: boolean } | null;
  /** Its left indentation, in twentieths of a point. */
  indent: number;
  /** In a table cell (neither a heading nor numbered, whatever its style says). */
  inTable: boolean;
  pieces: Piece[];
  /** The paragraph mark's own tracked change: a paragraph inserted, or joined to the next. */
  mark: Tracked;
}

/** What Accord cannot keep from a Word document, by kind. */
export type LostKind = "image" | "table" | "comment" | "trackedChange" | "textBox" | "field" | "other";

/** What reading counts on the way: what cannot be kept, and the tracked changes. */
export class ReadingTally {
  readonly lost = new Map<LostKind, number>();
  trackedChanges = 0;

  add(kind: LostKind, count = 1): void {
    if (count > 0) this.lost.set(kind, (this.lost.get(kind) ?? 0) + count);
  }
}
