import type { Node as PMNode } from "prosemirror-model";
import { bracketOptionOf, bracketSigns, type BracketSign } from "../../schema/brackets";
import { schema } from "../../schema/prosemirror";
import type { TextRange } from "./annotation-anchors";

/**
 * A paragraph of the living text as the Word export writes it: white space collapsed as `normalise`
 * collapses it, footnotes leaving no character, and brackets written in as their signs
 * (schema/brackets.ts), so that it reads as the capital's copy does. For each character, where a
 * range starting at it starts in the document and where one ending with it ends: a sign is no text
 * of the document, so "[" starts where the bracket's first option starts, "]" ends where its last
 * option ends, and " / " stands where one option ends and the next starts.
 */
export interface ParagraphText {
  text: string;
  starts: number[];
  ends: number[];
  /** The sign each character belongs to; null for the document's own words. */
  signs: (BracketSign | null)[];
}

/** A run of changed words in a paragraph's text as it was exported. */
export interface ChangedRun {
  /** Where the run starts in the text before the changes. */
  at: number;
  removed: string;
  added: string;
}

/** A run of changed words placed in the living text: the range it changes, the words there now, and the words proposed. */
export interface PlacedRun {
  range: TextRange;
  quote: string;
  proposed: string;
}

// How much of the text around a change must be found again for it to be placed without doubt.
const CONTEXT = 24;

/**
 * Where a run's words stand in the living paragraph: found with the words around them, once only
 * (null when they are not found so). The signs are not words of the text: a run that deletes whole
 * brackets (their signs and every option) deletes their options' words; any other change to a sign
 * (one deleted or typed, a bracket replaced by other words) is none an amendment on words can make
 * ("signs"). Words put at the start or the end of an option are placed with the option's word beside
 * them, so that they go inside it.
 */
export function placeRun(paragraph: ParagraphText, before: string, run: ChangedRun): PlacedRun | "signs" | null {
  const left = before.slice(Math.max(0, run.at - CONTEXT), run.at);
  const right = before.slice(run.at + run.removed.length, run.at + run.removed.length + CONTEXT);
  const found = uniqueIndex(paragraph.text, left + run.removed + right);
  if (found < 0) return null;
  const at = found + left.length;
  const end = at + run.removed.length;
  const touched = new Set(paragraph.signs.slice(at, end).flatMap((sign) => (sign ? [sign.bracket] : [])));
  if (touched.size > 0 || /[[\]]/.test(run.added) || withinSign(paragraph, at)) {
    const wholeBrackets = [...touched].every((bracket) => paragraph.signs.every((sign, index) => sign?.bracket !== bracket || (index >= at && index < end)));
    if (run.added !== "" || touched.size === 0 || !wholeBrackets) return "signs";
  }
  if (run.removed === "") return intoOption(paragraph, at, run.added);
  const range = rangeOf(paragraph, at, run.removed.length);
  return range && { range, quote: run.removed, proposed: run.added };
}

/** The range of `length` characters of a paragraph's text from `at`; null outside it. */
export function rangeOf(paragraph: ParagraphText, at: number, length: number): TextRange | null {
  const { starts, ends, text } = paragraph;
  if (at < 0 || at + length > text.length) return null;
  // A point after the last character is just past it; an empty paragraph has no point to give.
  const from = at < starts.length ? (starts[at] ?? -1) : (ends.at(-1) ?? -1);
  const to = length === 0 ? from : (ends[at + length - 1] ?? -1);
  return from < 0 || to < 0 ? null : { from, to };
}

/** Where `search` is in `text`, when it is there exactly once; else -1. */
export function uniqueIndex(text: string, search: string): number {
  const first = text.indexOf(search);
  if (first < 0 || text.indexOf(search, first + 1) >= 0) return -1;
  return first;
}

/** Each clause's paragraphs (list items' included, in order), as the Word export writes them. */
export function clauseParagraphs(doc: PMNode): Map<string, ParagraphText[]> {
  const clauses = new Map<string, ParagraphText[]>();
  doc.descendants((node, position) => {
    if (node.type !== schema.nodes.clause) return true;
    const paragraphs: ParagraphText[] = [];
    node.descendants((child, offset) => {
      if (!child.isTextblock) return true;
      paragraphs.push(paragraphText(child, position + 1 + offset + 1));
      return false;
    });
    if (typeof node.attrs.id === "string") clauses.set(node.attrs.id, paragraphs);
    return false;
  });
  return clauses;
}

// Words put where an option starts or ends: a point there is also the point before or after the
// bracket, and new words there would take no bracket mark (it is not inclusive). They replace the
// option's first (or last) word with themselves and it instead, so that they take its mark.
function intoOption(paragraph: ParagraphText, at: number, added: string): PlacedRun | null {
  const { text, signs } = paragraph;
  const [previous, next] = [at > 0 ? signs[at - 1] : null, signs[at]];
  const opensOption = Boolean(previous && previous.text !== "]" && !next);
  const closesOption = Boolean(next && next.text !== "[" && at > 0 && !previous);
  let [from, to] = [at, at];
  if (opensOption) while (to < text.length && !signs[to] && (to === at || !/\s/.test(text[to] ?? ""))) to += 1;
  else if (closesOption) while (from > 0 && !signs[from - 1] && (from === at || !/\s/.test(text[from - 1] ?? ""))) from -= 1;
  const range = rangeOf(paragraph, from, to - from);
  const word = text.slice(from, to);
  return range && { range, quote: word, proposed: opensOption ? added + word : word + added };
}

// Whether a point falls between two characters of one sign (between the space and the slash of " / ").
function withinSign(paragraph: ParagraphText, at: number): boolean {
  const sign = paragraph.signs[at];
  return sign !== undefined && sign !== null && paragraph.signs[at - 1] === sign;
}

// The words of a textblock starting at `start`, white space collapsed as `normalise` does and
// brackets written in, each character with where it stands.
function paragraphText(block: PMNode, start: number): ParagraphText {
  const pieces: { node: PMNode; position: number }[] = [];
  block.forEach((child, offset) => pieces.push({ node: child, position: start + offset }));
  const chars: { char: string; start: number; end: number; sign: BracketSign | null }[] = [];
  const signs = bracketSigns(pieces, (piece) => bracketOptionOf(piece.node));
  const signsBefore = (index: number) => {
    for (const sign of signs.filter((item) => item.before === index)) {
      // A sign stands where the pieces around it meet.
      const position = pieces[index]?.position ?? start + block.content.size;
      for (const char of sign.text) chars.push({ char, start: position, end: position, sign });
    }
  };
  pieces.forEach(({ node, position }, index) => {
    signsBefore(index);
    if (node.isText) (node.text ?? "").split("").forEach((char, offset) => chars.push({ char, start: position + offset, end: position + offset + 1, sign: null }));
    else if (node.type === schema.nodes.hard_break) chars.push({ char: " ", start: position, end: position + 1, sign: null });
  });
  signsBefore(pieces.length);
  const kept: typeof chars = [];
  for (const entry of chars) {
    const space = /\s/.test(entry.char);
    if (space && (kept.length === 0 || kept.at(-1)?.char === " ")) continue;
    kept.push(space ? { ...entry, char: " " } : entry);
  }
  while (kept.at(-1)?.char === " ") kept.pop();
  return { text: kept.map((entry) => entry.char).join(""), starts: kept.map((entry) => entry.start), ends: kept.map((entry) => entry.end), signs: kept.map((entry) => entry.sign) };
}
