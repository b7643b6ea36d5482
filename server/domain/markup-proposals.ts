import { diffArrays, diffWordsWithSpace } from "diff";
import type { Node as PMNode } from "prosemirror-model";
import { clauseNumbers } from "../../schema/prosemirror";
import type { ExportBaseline } from "../word/baseline";
import type { MarkedUpDocument } from "../word/read-markup";
import type { AmendmentKind } from "./amendment-anchors";
import type { TextRange } from "./annotation-anchors";
import { clauseParagraphs, placeRun, rangeOf, uniqueIndex, type ChangedRun, type ParagraphText, type PlacedRun } from "./markup-places";

/** One change of a capital's marked-up file, as an amendment the delegation may table. */
export interface MarkupProposal {
  /** Names the proposal in the review form: its clause, paragraph and place in it. */
  key: string;
  clauseId: string;
  /** The clause's number in the living text; null once the clause is gone. */
  clauseNumber: string | null;
  kind: AmendmentKind;
  /** The words the capital replaced or deleted (empty for an insertion). */
  quote: string;
  proposed: string;
  /** The capital's comments on the paragraph, as the amendment's rationale. */
  rationale: string;
  author: string;
  /** Where it applies in the living text now; null when the words it changes have changed since. */
  range: TextRange | null;
  /** When the words have changed since the export: the paragraph as the capital saw it, as it is now (null if gone), and as the capital wants it. */
  sideBySide: { before: string; now: string | null; after: string } | null;
  /** A paragraph the capital added: no amendment can add a paragraph, so it is shown, not tabled. */
  newParagraph?: boolean;
  /** A change to the signs of square brackets (not a whole bracket deleted): shown side by side, since the signs are no words of the text. */
  bracketSigns?: boolean;
}

/** A comment on words the capital did not change, which may become a comment thread. */
export interface MarkupNote {
  key: string;
  clauseId: string;
  clauseNumber: string | null;
  quote: string;
  author: string;
  text: string;
  /** The quoted words in the living text; null when they are no longer found there. */
  range: TextRange | null;
}

/** What a marked-up file proposes against the living text. */
export interface MarkupProposals {
  proposals: MarkupProposal[];
  notes: MarkupNote[];
  /** Changes outside any clause (title, preamble, headings), which amendments do not cover. */
  outsideClauses: number;
}

/**
 * Turns a capital's marked-up copy of a draft into proposed amendments against the living text:
 * each run of changed words in a paragraph is one amendment (a replacement, an insertion or a
 * deletion), placed by its clause id and by its words with what surrounds them. Where those words
 * have changed in Accord since the export, the change is not placed: it is shown side by side, and
 * the delegation decides (tabling it then replaces the paragraph as it is now).
 */
export function proposeFromMarkup(doc: PMNode, markup: MarkedUpDocument): MarkupProposals {
  return markup.baseline ? fromBaseline(doc, markup, markup.baseline) : fromRevisions(doc, markup);
}

/**
 * With the text Accord exported (carried in the file), the capital's changes are the differences
 * between it and the file with every change accepted: its own tracked changes, and Accord's
 * revisions it rejected. Revisions Accord wrote and the capital left alone change nothing.
 */
function fromBaseline(doc: PMNode, markup: MarkedUpDocument, baseline: ExportBaseline): MarkupProposals {
  const numbers = clauseNumbers(doc);
  const living = clauseParagraphs(doc);
  const accordAuthors = new Set(baseline.authors);
  const proposals: MarkupProposal[] = [];
  const proposed = new Set<string>();
  for (const clause of baseline.clauses) {
    const marked = markup.clauses.get(clause.id);
    const sent = clause.paragraphs.map(normalise).filter(Boolean);
    const returned = (marked?.paragraphs ?? []).map(normalise).filter(Boolean);
    const livingParagraphs = living.get(clause.id) ?? [];
    const base = {
      clauseId: clause.id,
      clauseNumber: numbers.get(clause.id) ?? null,
      author: (marked?.authors ?? []).filter((author) => !accordAuthors.has(author)).join(", "),
      rationale: (marked?.comments ?? []).join("\n\n"),
    };
    for (const [pairIndex, pair] of alignParagraphs(sent, returned).entries()) {
      const keyOf = (index: number) => `${clause.id}:${pairIndex}:${index}`;
      const target = pair.before === null ? null : livingFor(livingParagraphs, pair.before, pair.index);
      const whole = target?.text ? rangeOf(target, 0, target.text.length) : null;
      if (pair.before === null) {
        proposals.push({ ...base, key: keyOf(0), kind: "insert", quote: "", proposed: pair.after ?? "", range: null, sideBySide: { before: "", now: null, after: pair.after ?? "" }, newParagraph: true });
      } else if (pair.after === null) {
        const exact = target?.text === pair.before;
        proposals.push({ ...base, key: keyOf(0), kind: "delete", quote: pair.before, proposed: "", range: whole, sideBySide: exact ? null : { before: pair.before, now: target?.text ?? null, after: "" } });
      } else {
        const placed = placeParagraph(target, pair.before, pair.after);
        if (Array.isArray(placed)) {
          placed.forEach((run, index) => proposals.push({ ...base, key: keyOf(index), ...amendmentOf(run) }));
        } else {
          const sideBySide = { before: pair.before, now: target?.text ?? null, after: pair.after };
          proposals.push({ ...base, key: keyOf(0), kind: "replace", quote: pair.before, proposed: pair.after, range: whole, sideBySide, ...(placed === "signs" ? { bracketSigns: true } : {}) });
        }
      }
      proposed.add(clause.id);
    }
  }
  // Comments on clauses the capital did not change may become threads.
  const unchanged = { ...markup, comments: [...markup.comments, ...markup.changes.flatMap((change) => change.comments.map((text) => ({ clauseId: change.clauseId, quote: "", author: "", text, paragraphIndex: change.paragraphIndex })))] };
  const notes = notesOf(doc, unchanged, numbers).filter((note) => !proposed.has(note.clauseId));
  return { proposals, notes, outsideClauses: markup.unanchored };
}

/** Paragraphs sent and returned, paired: equal ones left out, changed ones together, added and removed ones alone. */
function alignParagraphs(sent: string[], returned: string[]): { index: number; before: string | null; after: string | null }[] {
  const pairs: { index: number; before: string | null; after: string | null }[] = [];
  let [s, r] = [0, 0];
  let removed: number[] = [];
  let added: string[] = [];
  const flush = () => {
    const both = Math.min(removed.length, added.length);
    for (let i = 0; i < removed.length; i += 1) pairs.push({ index: removed[i] ?? 0, before: sent[removed[i] ?? 0] ?? "", after: i < both ? (added[i] ?? "") : null });
    for (const text of added.slice(both)) pairs.push({ index: s, before: null, after: text });
    removed = [];
    added = [];
  };
  for (const part of diffArrays(sent, returned)) {
    const count = part.value.length;
    if (part.removed) for (let i = 0; i < count; i += 1) removed.push(s++);
    else if (part.added) added.push(...returned.slice(r, (r += count)));
    else {
      flush();
      s += count;
      r += count;
    }
  }
  flush();
  return pairs;
}

// The living paragraph a sent one is now: the one with the same words, else the one in its place.
function livingFor(paragraphs: ParagraphText[], text: string, index: number): ParagraphText | null {
  const same = paragraphs.filter((paragraph) => paragraph.text === text);
  if (same.length === 1) return same[0] ?? null;
  return paragraphs.filter((paragraph) => paragraph.text)[index] ?? null;
}

/** Without the baseline (a copy whose custom part was dropped): each paragraph's own tracked changes, rejected and accepted. */
function fromRevisions(doc: PMNode, markup: MarkedUpDocument): MarkupProposals {
  const numbers = clauseNumbers(doc);
  const clauses = clauseParagraphs(doc);
  const proposals: MarkupProposal[] = [];
  for (const change of markup.changes) {
    if (!change.clauseId) continue;
    const paragraph = clauses.get(change.clauseId)?.[change.paragraphIndex] ?? null;
    const base = { clauseId: change.clauseId, clauseNumber: numbers.get(change.clauseId) ?? null, author: change.author, rationale: change.comments.join("\n\n") };
    const keyOf = (index: number) => `${change.clauseId}:${change.paragraphIndex}:${index}`;
    const before = normalise(change.before);
    const after = normalise(change.after);
    const placed = placeParagraph(paragraph, before, after);
    if (Array.isArray(placed)) {
      placed.forEach((run, index) => proposals.push({ ...base, key: keyOf(index), ...amendmentOf(run) }));
    } else {
      // The words changed since the export (or the paragraph is gone, or the capital changed the
      // signs of a bracket): one decision for the paragraph.
      proposals.push({
        ...base,
        key: keyOf(0),
        kind: "replace",
        quote: before,
        proposed: after,
        range: paragraph ? rangeOf(paragraph, 0, paragraph.text.length) : null,
        sideBySide: { before, now: paragraph ? paragraph.text : null, after },
        ...(placed === "signs" ? { bracketSigns: true } : {}),
      });
    }
  }
  return { proposals, notes: notesOf(doc, markup, numbers), outsideClauses: markup.unanchored };
}

// The comments on unchanged words, each placed on its quoted words (or its whole paragraph).
function notesOf(doc: PMNode, markup: Pick<MarkedUpDocument, "comments">, numbers: Map<string, string>): MarkupNote[] {
  const clauses = clauseParagraphs(doc);
  return markup.comments.flatMap((comment, index): MarkupNote[] => {
    if (!comment.clauseId) return [];
    const paragraph = clauses.get(comment.clauseId)?.[comment.paragraphIndex] ?? null;
    const quote = normalise(comment.quote);
    const at = paragraph && quote ? uniqueIndex(paragraph.text, quote) : -1;
    const range = paragraph && at >= 0 ? rangeOf(paragraph, at, quote.length) : paragraph && !quote && paragraph.text ? rangeOf(paragraph, 0, paragraph.text.length) : null;
    return [{ key: `note:${index}`, clauseId: comment.clauseId, clauseNumber: numbers.get(comment.clauseId) ?? null, quote, author: comment.author, text: comment.text, range }];
  });
}

// Each run of changed words of a paragraph placed in the living one; else why they cannot all be:
// a change to brackets' signs ("signs"), or words not found as they were ("moved").
function placeParagraph(paragraph: ParagraphText | null, before: string, after: string): PlacedRun[] | "signs" | "moved" {
  if (!paragraph) return "moved";
  const placed = changedRuns(before, after).map((run) => placeRun(paragraph, before, run));
  if (placed.includes("signs")) return "signs";
  return placed.every((run): run is PlacedRun => run !== null && run !== "signs") ? placed : "moved";
}

function amendmentOf(run: PlacedRun): Pick<MarkupProposal, "kind" | "quote" | "proposed" | "range" | "sideBySide"> {
  const kind: AmendmentKind = run.quote === "" ? "insert" : run.proposed === "" ? "delete" : "replace";
  return { kind, quote: run.quote, proposed: run.proposed, range: run.range, sideBySide: null };
}

// The runs of changed words: neighbouring removals and additions with no kept words between them
// (a kept space between two changed words belongs to the run: "a month" → "two weeks" is one change).
function changedRuns(before: string, after: string): ChangedRun[] {
  const runs: ChangedRun[] = [];
  let offset = 0;
  let open: ChangedRun | null = null;
  let space = "";
  for (const part of diffWordsWithSpace(before, after)) {
    if (!part.added && !part.removed) {
      if (open && /^\s+$/.test(part.value) && !space) space = part.value;
      else {
        open = null;
        space = "";
      }
      offset += part.value.length;
      continue;
    }
    if (!open) {
      open = { at: offset, removed: "", added: "" };
      runs.push(open);
    } else if (space) {
      open.removed += space;
      open.added += space;
    }
    space = "";
    if (part.removed) {
      open.removed += part.value;
      offset += part.value.length;
    } else open.added += part.value;
  }
  return runs;
}

// Spaces as Word and the export write them: runs of white space as one space, none at the ends.
function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
