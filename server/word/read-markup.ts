import { openWordArchive } from "./archive";
import { readWordDocument, type WordComment } from "./read-docx";
import { readBaseline, type ExportBaseline } from "./baseline";
import { collapseSpaces, isContent, plainText, remainingContent, settle } from "./tracked-changes";
import type { Piece, Revision, WordParagraph } from "./word-document";

/** A paragraph a capital changed, with tracked changes, in a copy of Accord's Word export. */
export interface MarkedUpChange {
  /** The clause the paragraph belongs to; null for the title, the preamble and section headings. */
  clauseId: string | null;
  /** In a clause, the paragraph's place in it (0: the one that carries the clause's number); elsewhere, its place in the document. */
  paragraphIndex: number;
  /** The paragraph's text with every change rejected (without the clause's number). */
  before: string;
  /** The paragraph's text with every change accepted. */
  after: string;
  /** Who made the changes (several joined with ", "). */
  author: string;
  /** When the latest of them was made, if Word recorded it. */
  date: string | null;
  /** The comments made on the changed paragraph. */
  comments: string[];
}

/** A comment on a paragraph that was not changed. */
export interface MarkedUpComment {
  clauseId: string | null;
  /** The text the comment is anchored to. */
  quote: string;
  author: string;
  text: string;
  /** As in a change; -1 for a comment anchored outside the body (in a footnote). */
  paragraphIndex: number;
}

/** A clause of the marked-up copy as the capital leaves it: every change accepted. */
export interface MarkedUpClause {
  /** Its paragraphs' text with every change accepted (without the clause's number; empty ones left out). */
  paragraphs: string[];
  /** Who made the tracked changes in it. */
  authors: string[];
  /** The comments anchored in it. */
  comments: string[];
}

/** What a capital's marked-up copy of Accord's Word export says. */
export interface MarkedUpDocument {
  changes: MarkedUpChange[];
  comments: MarkedUpComment[];
  /** How many changed paragraphs lie outside any clause (title, preamble, headings). */
  unanchored: number;
  /** The text Accord exported, when the copy still carries it (see baseline.ts). */
  baseline: ExportBaseline | null;
  /** Each clause found in the copy, by id. */
  clauses: Map<string, MarkedUpClause>;
}

const CLAUSE_BOOKMARK = /^clause_(.+)$/;

interface Located {
  paragraph: WordParagraph;
  clauseId: string | null;
  paragraphIndex: number;
  change: MarkedUpChange | null;
}

/**
 * Reads a copy of Accord's Word export that a capital marked up: Accord's export starts each clause
 * with a bookmark `clause_<id>` around its number, and the paragraphs up to the next clause or
 * heading are the clause's. Returns each paragraph with tracked changes (its text before and after
 * them), and the comments, attached to the change when they are on a changed paragraph. Throws a
 * WordFileError for a file that is not a readable Word document.
 */
export function readMarkedUpDocument(bytes: Uint8Array): MarkedUpDocument {
  const archive = openWordArchive(bytes);
  const word = readWordDocument(archive);
  const located = locate(word.paragraphs);
  const { touched, quotes } = commentRanges(word.paragraphs);
  const clauses = acceptedClauses(located);
  for (const comment of word.comments) {
    const text = commentText(comment);
    for (const index of touched.get(comment.id) ?? []) {
      const clauseId = located[index]?.clauseId;
      const clause = clauseId ? clauses.get(clauseId) : undefined;
      if (clause && !clause.comments.includes(text)) clause.comments.push(text);
    }
  }

  const comments: MarkedUpComment[] = [];
  for (const comment of word.comments) {
    const places = (touched.get(comment.id) ?? []).map((index) => located[index]).filter((place) => place !== undefined);
    const text = commentText(comment);
    const changed = places.filter((place) => place.change);
    for (const place of changed) place.change?.comments.push(text);
    if (changed.length > 0) continue;
    const place = places[0];
    comments.push({
      clauseId: place?.clauseId ?? null,
      quote: collapseSpaces(quotes.get(comment.id) ?? ""),
      author: comment.author,
      text,
      paragraphIndex: place ? place.paragraphIndex : -1,
    });
  }

  const changes = located.flatMap((place) => (place.change ? [place.change] : []));
  return { changes, comments, unanchored: changes.filter((change) => change.clauseId === null).length, baseline: readBaseline(archive), clauses };
}

// Each clause's paragraphs as the capital leaves them, every change accepted (a paragraph deleted
// whole is gone, one whose mark was deleted is joined to the next), with who changed it.
function acceptedClauses(located: readonly Located[]): Map<string, MarkedUpClause> {
  const groups = new Map<string, Located[]>();
  for (const place of located) {
    if (!place.clauseId) continue;
    const group = groups.get(place.clauseId) ?? [];
    group.push(place);
    groups.set(place.clauseId, group);
  }
  const clauses = new Map<string, MarkedUpClause>();
  for (const [clauseId, group] of groups) {
    const paragraphs = group.map((place, index) => (index === 0 ? { ...place.paragraph, pieces: withoutClauseNumber(place.paragraph.pieces) } : place.paragraph));
    const texts = settle(paragraphs, "accept")
      .map((paragraph, index) => {
        const raw = plainText(paragraph.pieces);
        return collapseSpaces(index === 0 ? raw.replace(/^\s*(?:\d+(?:\.\d+)*\s*)?\t/, "") : raw);
      })
      .filter(Boolean);
    const authors = group.flatMap((place) =>
      [place.paragraph.mark, ...place.paragraph.pieces.filter(isContent)].flatMap((tracked) => [tracked.inserted?.author, tracked.deleted?.author]).filter((author): author is string => Boolean(author)),
    );
    clauses.set(clauseId, { paragraphs: texts, authors: [...new Set(authors)], comments: [] });
  }
  return clauses;
}

// Each paragraph's clause and place in it: a clause starts at its bookmark and runs until the next
// clause or heading.
function locate(paragraphs: readonly WordParagraph[]): Located[] {
  let clauseId: string | null = null;
  let inClause = 0;
  return paragraphs.map((paragraph, index) => {
    const bookmark = clauseBookmark(paragraph.pieces);
    if (paragraph.headingLevel !== null || paragraph.title) clauseId = null;
    else if (bookmark !== null) [clauseId, inClause] = [bookmark, 0];
    else inClause += 1;
    const place = { clauseId, paragraphIndex: clauseId === null ? index : inClause };
    return { paragraph, ...place, change: changeOf(paragraph, place.clauseId, place.paragraphIndex, bookmark !== null) };
  });
}

function changeOf(paragraph: WordParagraph, clauseId: string | null, paragraphIndex: number, numbered: boolean): MarkedUpChange | null {
  const revisions = [paragraph.mark, ...paragraph.pieces.filter(isContent)].flatMap((tracked) => [tracked.inserted, tracked.deleted]).filter((revision): revision is Revision => revision !== null);
  if (revisions.length === 0) return null;
  const pieces = numbered ? withoutClauseNumber(paragraph.pieces) : paragraph.pieces;
  const text = (view: "accept" | "reject") => {
    const raw = plainText(remainingContent(pieces, view));
    // The number is in the bookmark as Accord writes it; an editor may have moved the bookmark, so a
    // number left before the tab goes too.
    return collapseSpaces(numbered ? raw.replace(/^\s*(?:\d+(?:\.\d+)*\s*)?\t/, "") : raw);
  };
  const dates = revisions.flatMap((revision) => (revision.date ? [revision.date] : [])).sort();
  return {
    clauseId,
    paragraphIndex,
    before: text("reject"),
    after: text("accept"),
    author: [...new Set(revisions.map((revision) => revision.author).filter(Boolean))].join(", "),
    date: dates.at(-1) ?? null,
    comments: [],
  };
}

function clauseBookmark(pieces: readonly Piece[]): string | null {
  for (const piece of pieces) {
    const match = piece.kind === "bookmarkStart" ? CLAUSE_BOOKMARK.exec(piece.name) : null;
    if (match?.[1]) return match[1];
  }
  return null;
}

// The content inside the clause's bookmark is its number.
function withoutClauseNumber(pieces: readonly Piece[]): Piece[] {
  const start = pieces.find((piece) => piece.kind === "bookmarkStart" && CLAUSE_BOOKMARK.test(piece.name));
  if (start?.kind !== "bookmarkStart") return [...pieces];
  let inside = false;
  return pieces.filter((piece) => {
    if (piece === start) inside = true;
    else if (piece.kind === "bookmarkEnd" && piece.id === start.id) inside = false;
    return !inside || !isContent(piece);
  });
}

// Which paragraphs each comment's range covers (or where it is referenced), and the text it covers.
function commentRanges(paragraphs: readonly WordParagraph[]): { touched: Map<string, number[]>; quotes: Map<string, string> } {
  const touched = new Map<string, number[]>();
  const quotes = new Map<string, string>();
  const open = new Set<string>();
  const touch = (id: string, index: number) => {
    const places = touched.get(id) ?? [];
    if (places.at(-1) !== index) places.push(index);
    touched.set(id, places);
  };
  paragraphs.forEach((paragraph, index) => {
    for (const id of open) touch(id, index);
    for (const piece of paragraph.pieces) {
      if (piece.kind === "commentStart") open.add(piece.id);
      if (piece.kind === "commentEnd") open.delete(piece.id);
      if (piece.kind === "commentStart" || piece.kind === "commentReference") touch(piece.id, index);
      if (isContent(piece)) for (const id of open) quotes.set(id, (quotes.get(id) ?? "") + plainText([piece]));
    }
    for (const id of open) quotes.set(id, `${quotes.get(id) ?? ""} `);
  });
  return { touched, quotes };
}

function commentText(comment: WordComment): string {
  return comment.paragraphs
    .map((paragraph) => collapseSpaces(plainText(remainingContent(paragraph.pieces, "accept"))))
    .filter(Boolean)
    .join("\n");
}
