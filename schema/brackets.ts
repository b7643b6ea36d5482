import { Fragment, type Mark, type Node as PMNode } from "prosemirror-model";
import { schema } from "./prosemirror";

// Square brackets mark what is not yet agreed: "[option A / option B]". Each option is text under a
// `bracket` mark carrying the bracket's id, the option's place and the delegations supporting it;
// the options of a bracket follow each other in one paragraph. What is shown is derived here: the
// customary square brackets, or the clean text of the first options.

/** A bracket id: "b" and twelve hex digits, as clause ids are made. */
export const BRACKET_ID = /^b[0-9a-f]{12}$/;
/** A bracket has at most this many options. */
export const MAX_OPTIONS = 10;
/** Delegation codes, comma-separated (none: a bracket on the passage alone). */
export const SUPPORTERS = /^(?:[a-z]{2}(?:,[a-z]{2})*)?$/;

/** Whether a bracket mark's attributes are of the right form. */
export function bracketAttrsValid(attrs: Record<string, unknown>): boolean {
  const { id, option, supporters } = attrs;
  return (
    typeof id === "string" &&
    BRACKET_ID.test(id) &&
    typeof option === "number" &&
    Number.isInteger(option) &&
    option >= 0 &&
    option < MAX_OPTIONS &&
    (supporters === undefined || (typeof supporters === "string" && SUPPORTERS.test(supporters)))
  );
}

/** A new bracket id. */
export function newBracketId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `b${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** One bracket found in a text: its options in order, and the clause it stands in. */
export interface Bracket {
  id: string;
  clauseId: string | null;
  options: { option: number; text: string; supporters: string[] }[];
  /** Where it starts and ends in the document. */
  from: number;
  to: number;
}

/** The brackets of a document, in reading order. A bracket mark of the wrong form is not one. */
export function bracketsIn(doc: PMNode): Bracket[] {
  const found = new Map<string, Bracket>();
  let clauseId: string | null = null;
  doc.descendants((node, position) => {
    if (node.type === schema.nodes.clause) clauseId = typeof node.attrs.id === "string" ? node.attrs.id : null;
    else if (node.type === schema.nodes.section || node.type === schema.nodes.preamble) clauseId = null;
    if (!node.isText) return true;
    const mark = bracketMark(node);
    if (!mark) return false;
    const id = mark.attrs.id as string;
    const bracket = found.get(id) ?? { id, clauseId, options: [], from: position, to: position };
    const option = mark.attrs.option as number;
    const entry = bracket.options.find((item) => item.option === option);
    if (entry) entry.text += node.text ?? "";
    else bracket.options.push({ option, text: node.text ?? "", supporters: supportersOf(mark) });
    bracket.to = position + node.nodeSize;
    found.set(id, bracket);
    return false;
  });
  return [...found.values()];
}

/** How many open brackets each clause holds, by clause id (clauses without any left out). */
export function openBracketsByClause(doc: PMNode): Map<string, number> {
  const counts = new Map<string, number>();
  for (const bracket of bracketsIn(doc)) if (bracket.clauseId) counts.set(bracket.clauseId, (counts.get(bracket.clauseId) ?? 0) + 1);
  return counts;
}

/** A sign of the customary square brackets: where it goes among a textblock's pieces, and whose it is. */
export interface BracketSign {
  text: "[" | " / " | "]";
  /** The piece it goes before (the number of pieces: after the last). */
  before: number;
  /** The bracket's id, and the place of its first piece. */
  bracket: string;
  first: number;
}

/**
 * The signs that show a textblock's brackets, as `showBrackets` writes them: "[" before a bracket's
 * first piece, " / " where its option changes, "]" after its last piece; anything that is not an
 * option of the same bracket (plain words, a footnote, another bracket) closes it. `optionOf` gives
 * a piece's bracket and option, or null. Every reader that writes the signs (the downloads, the Word
 * comparison, the reading of a capital's copy) places them with this.
 */
export function bracketSigns<T>(pieces: readonly T[], optionOf: (piece: T) => { id: string; option: number } | null): BracketSign[] {
  const signs: BracketSign[] = [];
  let open: { id: string; option: number; first: number } | null = null;
  const close = (before: number) => {
    if (open) signs.push({ text: "]", before, bracket: open.id, first: open.first });
    open = null;
  };
  pieces.forEach((piece, index) => {
    const option = optionOf(piece);
    if (!option) {
      close(index);
      return;
    }
    if (open?.id !== option.id) {
      close(index);
      open = { id: option.id, option: option.option, first: index };
      signs.push({ text: "[", before: index, bracket: option.id, first: index });
    } else if (open.option !== option.option) {
      open.option = option.option;
      signs.push({ text: " / ", before: index, bracket: option.id, first: open.first });
    }
  });
  close(pieces.length);
  return signs;
}

/** A text node's bracket and option, when it is an option of a bracket of the right form. */
export function bracketOptionOf(node: PMNode): { id: string; option: number } | null {
  const mark = node.isText ? bracketMark(node) : null;
  return mark ? { id: mark.attrs.id as string, option: mark.attrs.option as number } : null;
}

/**
 * The document as read: "bracketed" writes the customary square brackets and slashes around and
 * between the options (which keep their marks, for a view to colour them); "clean" keeps only the
 * first option of each bracket, as plain agreed text would read. Every download and redline reads
 * the bracketed text, so that what is open shows wherever the text goes.
 */
export function showBrackets(doc: PMNode, view: "bracketed" | "clean"): PMNode {
  if (!hasBrackets(doc)) return doc;
  return mapTextblocks(doc, (block) => {
    const pieces: PMNode[] = [];
    block.forEach((child) => pieces.push(child));
    if (view === "bracketed") {
      const children: PMNode[] = [];
      let next = 0;
      for (const sign of bracketSigns(pieces, bracketOptionOf)) {
        children.push(...pieces.slice(next, sign.before), schema.text(sign.text));
        next = sign.before;
      }
      return [...children, ...pieces.slice(next)];
    }
    // The clean text keeps, of each bracket, the option it opens with.
    const children: PMNode[] = [];
    let open: { id: string; first: number } | null = null;
    for (const child of pieces) {
      const mark = child.isText ? bracketMark(child) : null;
      if (!mark) {
        open = null;
        children.push(child);
        continue;
      }
      const id = mark.attrs.id as string;
      const option = mark.attrs.option as number;
      const first: number = open?.id === id ? open.first : option;
      open = { id, first };
      if (option === first) children.push(child.mark(mark.removeFromSet(child.marks)));
    }
    return children;
  });
}

/**
 * The document with a bracket resolved: its option `keep` becomes agreed text (its bracket mark
 * removed), the other options go; with `keep` null the whole passage goes. Null when the document
 * has no such bracket, or no such option.
 */
export function resolveBracket(doc: PMNode, id: string, keep: number | null): PMNode | null {
  const bracket = bracketsIn(doc).find((item) => item.id === id);
  if (!bracket || (keep !== null && !bracket.options.some((item) => item.option === keep))) return null;
  return mapTextblocks(doc, (block) => {
    const children: PMNode[] = [];
    block.forEach((child) => {
      const mark = child.isText ? bracketMark(child) : null;
      if (!mark || mark.attrs.id !== id) children.push(child);
      else if (keep !== null && mark.attrs.option === keep) children.push(child.mark(mark.removeFromSet(child.marks)));
    });
    return children;
  });
}

function bracketMark(node: PMNode): Mark | null {
  const mark = node.marks.find((item) => item.type === schema.marks.bracket);
  return mark && bracketAttrsValid(mark.attrs) ? mark : null;
}

function supportersOf(mark: Mark): string[] {
  const value = mark.attrs.supporters;
  return typeof value === "string" && value ? value.split(",") : [];
}

function hasBrackets(doc: PMNode): boolean {
  let found = false;
  doc.descendants((node) => {
    if (found) return false;
    if (node.isText && bracketMark(node)) found = true;
    return !node.isText;
  });
  return found;
}

// The document with each textblock's inline content replaced by what `inline` makes of it.
function mapTextblocks(node: PMNode, inline: (block: PMNode) => PMNode[]): PMNode {
  if (node.isTextblock) return node.copy(Fragment.fromArray(inline(node)));
  if (node.isLeaf) return node;
  const children: PMNode[] = [];
  node.forEach((child) => children.push(mapTextblocks(child, inline)));
  return node.copy(Fragment.from(children));
}
