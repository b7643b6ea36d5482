import type { Mark, Node as PMNode } from "prosemirror-model";
import { Transform } from "prosemirror-transform";
import { absolutePositionToRelativePosition } from "y-prosemirror";
import * as Y from "yjs";
import { schema } from "../../schema/prosemirror";
import { anchorRange, resolvePosition, type Anchor, type TextRange, type TextSnapshot } from "./annotation-anchors";

/** What an amendment does to its range. */
export type AmendmentKind = "replace" | "insert" | "delete";

/** Where an amendment's anchor stands in the text now. */
export interface AmendmentPlace extends TextRange {
  /** The text the range holds now (empty for an insertion point). */
  current: string;
  /** Whether the range still lies within one paragraph, where an amendment can be applied. */
  applicable: boolean;
}

/**
 * Anchors an amendment to the text: a range within one paragraph (replace, delete) with the quoted
 * text, or a point in a paragraph (insert), with an empty quote. Null when the range does not fit.
 */
export function anchorAmendment(text: TextSnapshot, kind: AmendmentKind, range: TextRange): { anchor: Anchor; quote: string } | null {
  const { from, to } = range;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > text.node.content.size) return null;
  if (kind === "insert") {
    if (from !== to || !text.node.resolve(from).parent.isTextblock) return null;
    const point = Y.relativePositionToJSON(absolutePositionToRelativePosition(from, text.fragment, text.mapping));
    return { anchor: { start: point, end: point }, quote: "" };
  }
  if (!withinOneParagraph(text.node, from, to)) return null;
  return anchorRange(text, range);
}

/**
 * Where an amendment's anchor stands now, with the text it holds; null when its text was deleted
 * (a range collapsed, or a point whose paragraph is gone).
 */
export function placeAmendment(text: TextSnapshot, kind: AmendmentKind, anchor: Anchor): AmendmentPlace | null {
  const size = text.node.content.size;
  const from = resolvePosition(text, anchor.start);
  if (from === null || from > size) return null;
  if (kind === "insert") {
    const applicable = text.node.resolve(from).parent.isTextblock;
    return applicable ? { from, to: from, current: "", applicable } : null;
  }
  const to = resolvePosition(text, anchor.end);
  if (to === null || to > size || from >= to) return null;
  const current = text.node.textBetween(from, to, "\n", " ");
  return { from, to, current, applicable: withinOneParagraph(text.node, from, to) };
}

/**
 * The document with `range` replaced by `proposed` (plain text; empty deletes), nothing else
 * changed. The new words take the marks of the words they replace (or, for an insertion, of the
 * text before the point), as far as the paragraph allows them.
 */
export function applyAmendment(doc: PMNode, range: TextRange, proposed: string): PMNode {
  const $from = doc.resolve(range.from);
  const transform = new Transform(doc);
  if (proposed === "") return transform.delete(range.from, range.to).doc;
  const marks: readonly Mark[] = range.from < range.to ? (doc.nodeAt(range.from)?.marks ?? []) : $from.marks();
  const allowed = marks.filter((mark) => $from.parent.type.allowsMarkType(mark.type));
  return transform.replaceWith(range.from, range.to, schema.text(proposed, allowed)).doc;
}

function withinOneParagraph(doc: PMNode, from: number, to: number): boolean {
  const $from = doc.resolve(from);
  return $from.parent.isTextblock && $from.sameParent(doc.resolve(to));
}
