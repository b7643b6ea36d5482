import type { ContentPiece } from "./word-document";

/**
 * A number or list marker typed at the start of a paragraph (rather than made by Word's automatic
 * numbering): a clause number ("1.", "1.1", "2.3.", "4)", "Article 4"), with its depth (1.1 is
 * deeper than 1.), or a list item's marker ("(a)", "iv)", "•"). `length` is how much of the text
 * it takes, with the tab or spaces after it.
 */
export type TypedLead = { kind: "number"; depth: number; length: number } | { kind: "item"; bullet: boolean; length: number };

const ARTICLE = /^(?:article|art\.)\s*(\d{1,3}(?:\.\d{1,3})*)(?:\s*[.:)–—-])?(?:\s+|$)/i;
const DOTTED = /^(\d{1,3}(?:\.\d{1,3})+)\.?(?:\s+|$)/;
const CLOSED = /^(\d{1,3})[.)](?:\s+|$)/;
// A bare number counts only before a tab: "12 delegations agree" starts with a number, not a clause's.
const TABBED = /^(\d{1,3})\t\s*/;
const LETTERED = /^(?:\((?:[a-z]{1,2}|[ivxlc]{1,6}|\d{1,2})\)|(?:[a-z]|[ivxlc]{1,6})\))(?:\s+|$)/i;
const BULLET = /^[•·▪◦‣●○■□➢►–—-]\s+/;

/** The clause number or list marker typed at the start of `text`, if any (leading spaces allowed). */
export function typedLead(text: string): TypedLead | null {
  const start = text.length - text.trimStart().length;
  const rest = text.slice(start);
  for (const pattern of [ARTICLE, DOTTED, CLOSED, TABBED]) {
    const match = pattern.exec(rest);
    if (match?.[1]) return { kind: "number", depth: match[1].split(".").length, length: start + match[0].length };
  }
  const lettered = LETTERED.exec(rest);
  if (lettered) return { kind: "item", bullet: false, length: start + lettered[0].length };
  const bullet = BULLET.exec(rest);
  if (bullet) return { kind: "item", bullet: true, length: start + bullet[0].length };
  return null;
}

const HEADING_WORD = /^(?:section|chapter|part|chapitre|partie|titre)\s+(?:\d{1,3}|[IVXLC]{1,6})\b\.?(?:\s*[:.–—-])?(?:\s+|$)/i;
const HEADING_NUMBER = /^\d{1,3}(?:\.\d{1,3})*\.?(?:\s*[:–—-])?(?:\s+|$)/;
const HEADING_ROMAN = /^[IVXLC]{1,6}\.(?:\s+|$)/;

/** How much of a heading's text is a typed section number ("1. ", "IV. ", "Section 2 – "), or 0. */
export function typedHeadingNumber(text: string): number {
  const start = text.length - text.trimStart().length;
  const rest = text.slice(start);
  const match = HEADING_WORD.exec(rest) ?? HEADING_NUMBER.exec(rest) ?? HEADING_ROMAN.exec(rest);
  return match ? start + match[0].length : 0;
}

/** The content without its first `length` characters of plain text (a tab or a line break is one). */
export function stripLead(pieces: readonly ContentPiece[], length: number): ContentPiece[] {
  let left = length;
  const kept: ContentPiece[] = [];
  for (const piece of pieces) {
    if (left > 0 && piece.kind === "text") {
      if (piece.text.length > left) kept.push({ ...piece, text: piece.text.slice(left) });
      left -= Math.min(left, piece.text.length);
    } else if (left > 0 && (piece.kind === "tab" || piece.kind === "break")) left -= 1;
    else kept.push(piece);
  }
  return kept;
}
