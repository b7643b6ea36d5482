import { diffWordsWithSpace } from "diff";
import type { Node as PMNode } from "prosemirror-model";
import { t } from "../../i18n/translate";
import type { DocJson } from "../../schema/content";
import { showBrackets } from "../../schema/brackets";
import { normalizeDocument } from "../../schema/normalize";
import { clauseNumbers, schema } from "../../schema/prosemirror";
import { canonicalText } from "../render/canonical";
import { clauseAnchor, escapeHtml } from "../render/html";

/** A run of text in a redline: kept, inserted or deleted. */
export interface Segment {
  type: "same" | "ins" | "del";
  text: string;
}

/** How a part of the text changed between the two sides. */
export type Change = "unchanged" | "changed" | "added" | "removed";

/** One part of the compared text, in the order of the newer side (removed parts where they stood). */
export type RedlineEntry =
  | { kind: "title" | "preamble"; change: Change; segments: Segment[] }
  | { kind: "heading"; section: number; change: Change; segments: Segment[] }
  | {
      kind: "clause";
      clauseId: string;
      change: Change;
      /** Its number in the older and in the newer text (null on the side it is absent from). */
      fromNumber: string | null;
      toNumber: string | null;
      /** Moved relative to the other clauses (not merely renumbered by clauses added or removed before it). */
      moved: boolean;
      segments: Segment[];
    };

/** What changed, counted by clause. */
export interface RedlineSummary {
  changed: number;
  added: number;
  removed: number;
  moved: number;
  renumbered: number;
  /** Whether the title, preamble or a section heading changed. */
  framingChanged: boolean;
}

/** The comparison of two texts: entries, a summary, and the redline as HTML. */
export interface Redline {
  entries: RedlineEntry[];
  summary: RedlineSummary;
  identical: boolean;
  html: string;
}

interface Unit {
  key: string;
  kind: "title" | "preamble" | "heading" | "clause";
  text: string;
  /** The part's canonical JSON: equal on both sides only when text, structure and formatting are. */
  json: string;
  section: number;
  clauseId?: string;
  number?: string;
}

/**
 * Compares two texts clause by clause. Clauses are matched by their stable id, so a clause that was
 * renumbered or moved is recognised as itself; inside a clause (and the title, preamble and
 * section headings) insertions and deletions are found word by word. The redline shows words,
 * footnotes (in brackets) and list items; a part whose formatting alone changed (emphasis, a link)
 * counts as changed and says so.
 */
export function compareTexts(older: DocJson | PMNode, newer: DocJson | PMNode): Redline {
  const before = units(toNode(older));
  const after = units(toNode(newer));
  const beforeByKey = new Map(before.map((unit) => [unit.key, unit]));
  const afterKeys = new Set(after.map((unit) => unit.key));
  const moved = movedClauses(before, after);

  // A removed part goes after the part that preceded it in the older text and is still there.
  const removals = new Map<string | null, RedlineEntry[]>();
  let anchorKey: string | null = null;
  for (const unit of before) {
    if (afterKeys.has(unit.key)) anchorKey = unit.key;
    else removals.set(anchorKey, [...(removals.get(anchorKey) ?? []), entry(null, unit, false)]);
  }
  const entries: RedlineEntry[] = [...(removals.get(null) ?? [])];
  for (const unit of after) {
    entries.push(entry(unit, beforeByKey.get(unit.key) ?? null, moved.has(unit.key)));
    entries.push(...(removals.get(unit.key) ?? []));
  }

  const summary = summarise(entries);
  const identical = entries.every((item) => item.change === "unchanged" && !(item.kind === "clause" && (item.moved || item.fromNumber !== item.toNumber)));
  return { entries, summary, identical, html: renderRedline(entries) };
}

/** "5 clauses changed, 2 added": the summary in words. */
export function describeSummary(summary: RedlineSummary): string {
  const counts = (["changed", "added", "removed", "moved", "renumbered"] as const).filter((what) => summary[what] > 0);
  if (counts.length === 0) return t(summary.framingChanged ? "redline.onlyFraming" : "redline.identical");
  const parts = counts.map((what, index) => {
    const count = summary[what];
    const words = { count, what: t(`redline.what.${what}`) };
    // The first count names the clauses; the others follow on ("5 clauses changed, 2 added").
    if (index > 0) return t("redline.more", words);
    return t(count === 1 ? "redline.first.one" : "redline.first.other", words);
  });
  return parts.join(", ") + (summary.framingChanged ? t("redline.andFraming") : "");
}

function toNode(content: DocJson | PMNode): PMNode {
  // Stored JSON goes through the normalising conversion, as every reader's does; brackets show as
  // the customary square brackets, so that opening or resolving one is a change like any other.
  return showBrackets(typeof (content as { type: unknown }).type === "string" ? normalizeDocument(content) : (content as PMNode), "bracketed");
}

// The parts of a text, in order: title, preamble, and each section's heading and clauses.
function units(doc: PMNode): Unit[] {
  const numbers = clauseNumbers(doc);
  const result: Unit[] = [];
  const seen = new Set<string>();
  let section = 0;
  doc.forEach((child) => {
    if (child.type === schema.nodes.title) result.push({ key: "title", kind: "title", text: plainText(child), json: canonicalText(child), section: 0 });
    else if (child.type === schema.nodes.preamble) result.push({ key: "preamble", kind: "preamble", text: plainText(child), json: canonicalText(child), section: 0 });
    else if (child.type === schema.nodes.section) {
      section += 1;
      let unnamed = 0;
      child.forEach((node) => {
        if (node.type === schema.nodes.section_heading) {
          result.push({ key: `section-${section}`, kind: "heading", text: plainText(node), json: canonicalText(node), section });
          return;
        }
        if (node.type !== schema.nodes.clause) return;
        const id = typeof node.attrs.id === "string" ? node.attrs.id : null;
        // A clause without an id, or repeating one, cannot be matched: it counts as its own.
        const key = id && !seen.has(id) ? id : `${id ?? "unnamed"}#${section}.${(unnamed += 1)}`;
        seen.add(key);
        result.push({ key, kind: "clause", text: plainText(node), json: canonicalText(node), section, clauseId: id ?? key, number: id ? numbers.get(id) : undefined });
      });
    }
  });
  return result;
}

// Paragraphs and list items on their own lines; footnotes in brackets where they stand.
function plainText(node: PMNode): string {
  const lines: string[] = [];
  const visit = (block: PMNode, prefix: string) => {
    if (block.type === schema.nodes.paragraph || block.type === schema.nodes.section_heading || block.type === schema.nodes.title) {
      lines.push(prefix + block.textBetween(0, block.content.size, "\n", leafText));
      return;
    }
    let item = 0;
    block.forEach((child) => {
      if (child.type === schema.nodes.list_item) {
        item += 1;
        const marker = block.type === schema.nodes.ordered_list ? `${item}. ` : "• ";
        let first = true;
        child.forEach((part) => {
          visit(part, first ? marker : "  ");
          first = false;
        });
      } else visit(child, prefix);
    });
  };
  visit(node, "");
  return lines.join("\n");
}

function leafText(leaf: PMNode): string {
  if (leaf.type === schema.nodes.footnote) return ` [${String(leaf.attrs.note ?? "")}]`;
  if (leaf.type === schema.nodes.hard_break) return "\n";
  return "";
}

// Clauses present on both sides whose order relative to the others changed: those outside the
// longest run of common clauses that kept their order.
function movedClauses(before: Unit[], after: Unit[]): Set<string> {
  const position = new Map(before.filter((unit) => unit.kind === "clause").map((unit, index) => [unit.key, index]));
  const common = after.filter((unit) => unit.kind === "clause" && position.has(unit.key));
  const sequence = common.map((unit) => position.get(unit.key) ?? 0);
  const kept = longestIncreasing(sequence);
  return new Set(common.filter((_, index) => !kept.has(index)).map((unit) => unit.key));
}

// Indexes of one longest strictly increasing subsequence (patience sorting, O(n log n)).
function longestIncreasing(values: number[]): Set<number> {
  const tails: number[] = [];
  const previous: number[] = new Array<number>(values.length).fill(-1);
  values.forEach((value, index) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((values[tails[middle] ?? 0] ?? 0) < value) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[index] = tails[low - 1] ?? -1;
    tails[low] = index;
  });
  const kept = new Set<number>();
  for (let index = tails.at(-1) ?? -1; index >= 0; index = previous[index] ?? -1) kept.add(index);
  return kept;
}

function entry(now: Unit | null, was: Unit | null, moved: boolean): RedlineEntry {
  const unit = now ?? was;
  if (!unit) throw new Error("An entry needs a side.");
  const change: Change = !was ? "added" : !now ? "removed" : was.json === now.json ? "unchanged" : "changed";
  const segments = wordDiff(was?.text ?? "", now?.text ?? "");
  if (unit.kind === "clause") {
    return { kind: "clause", clauseId: unit.clauseId ?? unit.key, change, fromNumber: was?.number ?? null, toNumber: now?.number ?? null, moved, segments };
  }
  if (unit.kind === "heading") return { kind: "heading", section: unit.section, change, segments };
  return { kind: unit.kind, change, segments };
}

function wordDiff(before: string, after: string): Segment[] {
  if (before === after) return before ? [{ type: "same", text: before }] : [];
  return diffWordsWithSpace(before, after).map((part) => ({
    type: part.added ? "ins" : part.removed ? "del" : "same",
    text: part.value,
  }));
}

function summarise(entries: RedlineEntry[]): RedlineSummary {
  const summary: RedlineSummary = { changed: 0, added: 0, removed: 0, moved: 0, renumbered: 0, framingChanged: false };
  for (const item of entries) {
    if (item.kind !== "clause") {
      if (item.change !== "unchanged") summary.framingChanged = true;
      continue;
    }
    if (item.change === "changed") summary.changed += 1;
    else if (item.change === "added") summary.added += 1;
    else if (item.change === "removed") summary.removed += 1;
    if (item.moved) summary.moved += 1;
    else if (item.fromNumber && item.toNumber && item.fromNumber !== item.toNumber) summary.renumbered += 1;
  }
  return summary;
}

function renderSegments(segments: Segment[]): string {
  return segments
    .map((segment) => {
      const text = escapeHtml(segment.text);
      if (segment.type === "ins") return `<ins>${text}</ins>`;
      if (segment.type === "del") return `<del>${text}</del>`;
      return text;
    })
    .join("");
}

function renderRedline(entries: RedlineEntry[]): string {
  const parts = entries.map((item) => {
    const body = renderSegments(item.segments);
    const state = `redline-${item.change}`;
    if (item.kind === "heading") {
      return `<h2 class="section-heading ${state}"><span class="section-number">${item.section}.</span> ${body}</h2>`;
    }
    if (item.kind !== "clause") {
      return item.kind === "title" ? `<h1 class="doc-title ${state}">${body}</h1>` : `<div class="preamble redline-text ${state}">${body}</div>`;
    }
    const number = item.toNumber ?? item.fromNumber ?? "";
    const notes = clauseNotes(item).map((note) => `<span class="redline-label">${escapeHtml(note)}</span>`).join(" ");
    // A removed clause keeps no anchor: its id now belongs to no clause of the newer text.
    const anchor = item.change === "removed" ? "" : ` id="${escapeHtml(clauseAnchor(item.clauseId))}"`;
    const moved = item.moved ? " redline-moved" : "";
    return `<div class="clause ${state}${moved}"${anchor}><p class="redline-clause-head"><span class="clause-number">${escapeHtml(number)}</span> ${notes}</p><div class="redline-text">${body}</div></div>`;
  });
  return `<article class="document redline">${parts.join("")}</article>`;
}

function clauseNotes(item: Extract<RedlineEntry, { kind: "clause" }>): string[] {
  const notes: string[] = [];
  if (item.change === "added") notes.push(t("redline.label.added"));
  if (item.change === "removed") notes.push(t("redline.label.removed"));
  if (item.change === "changed") {
    const onlyFormatting = item.segments.every((segment) => segment.type === "same");
    notes.push(t(onlyFormatting ? "redline.label.formatting" : "redline.label.changed"));
  }
  if (item.moved && item.fromNumber) notes.push(t("redline.label.moved", { from: item.fromNumber }));
  else if (item.fromNumber && item.toNumber && item.fromNumber !== item.toNumber) notes.push(t("redline.label.renumbered", { from: item.fromNumber }));
  return notes;
}
