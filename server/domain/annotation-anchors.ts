import type { Node as PMNode } from "prosemirror-model";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from "y-prosemirror";
import * as Y from "yjs";
import { fragmentMapping, readFragmentText, rewriteFragment } from "../../schema/normalize-yjs";
import { YJS_FRAGMENT } from "../../schema/prosemirror";
import { loadDraftState } from "../text-store/persistence";

/** Where a thread is anchored: Yjs relative positions (as JSON) of the start and end of its range. */
export interface Anchor {
  start: unknown;
  end: unknown;
}

/** A range of the text as ProseMirror positions. */
export interface TextRange {
  from: number;
  to: number;
}

/** A draft's text at one moment: its Yjs document, and the ProseMirror document built from it. */
export interface TextSnapshot {
  doc: Y.Doc;
  fragment: Y.XmlFragment;
  node: PMNode;
  mapping: Map<Y.AbstractType<unknown>, PMNode | PMNode[]>;
}

/**
 * A draft's current text, read from storage: the collaboration server relays an update only once
 * it is stored, so storage holds every change anyone else's editor has shown. It is a private copy,
 * so that reading it may bring it into the schema (see `textSnapshot`) without ever touching the
 * live document or the log. Call `destroy` when done.
 */
export async function loadTextSnapshot(draftId: string): Promise<TextSnapshot & { destroy(): void }> {
  const { update } = await loadDraftState(draftId);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
  } catch {
    // A state that cannot be applied reads as an empty text, as it does for every other reader.
  }
  return { ...textSnapshot(doc), destroy: () => doc.destroy() };
}

/**
 * The ProseMirror view of a private Yjs document: its text through the normalising conversion
 * (the same text every reader shows) and which node each Yjs element stands for. When the stored
 * text is outside the schema, positions in it would not line up with the normalised text, so this
 * copy is first rewritten into it (never stored): anchors into the rewritten part then resolve to
 * nothing (their thread is detached) until the draft is repaired.
 */
export function textSnapshot(doc: Y.Doc): TextSnapshot {
  const fragment = doc.getXmlFragment(YJS_FRAGMENT);
  const node = readFragmentText(fragment);
  return { doc, fragment, node, mapping: fragmentMapping(fragment, node) ?? alignedMapping(doc, fragment, node) };
}

function alignedMapping(doc: Y.Doc, fragment: Y.XmlFragment, node: PMNode): TextSnapshot["mapping"] {
  try {
    return rewriteFragment(doc, fragment, node);
  } catch {
    // Without a mapping no position resolves: threads read as detached, nothing fails.
    return new Map();
  }
}

/**
 * Anchors a range of the text: relative positions that follow the text through others' edits, and
 * the quoted text. Null when the range is outside the document, empty, or holds no text.
 */
export function anchorRange(text: TextSnapshot, range: TextRange): { anchor: Anchor; quote: string } | null {
  const { from, to } = range;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > text.node.content.size || from >= to) return null;
  const quote = text.node.textBetween(from, to, "\n", " ");
  if (quote.trim() === "") return null;
  const start = absolutePositionToRelativePosition(from, text.fragment, text.mapping);
  let end = absolutePositionToRelativePosition(to, text.fragment, text.mapping);
  // The end sticks to the last quoted character (not the one after it), so text typed just after
  // the range stays outside it and deleting the quoted text collapses the range.
  const absoluteEnd = Y.createAbsolutePositionFromRelativePosition(end, text.doc);
  if (absoluteEnd && absoluteEnd.type instanceof Y.XmlText && absoluteEnd.index > 0) {
    end = Y.createRelativePositionFromTypeIndex(absoluteEnd.type, absoluteEnd.index, -1);
  }
  return { anchor: { start: Y.relativePositionToJSON(start), end: Y.relativePositionToJSON(end) }, quote };
}

/**
 * Where an anchor stands in the text now, or null when its text was deleted (the thread is then
 * detached): the range collapsed, or no text is left in it.
 */
export function resolveAnchor(text: TextSnapshot, anchor: Anchor): TextRange | null {
  const from = resolvePosition(text, anchor.start);
  const to = resolvePosition(text, anchor.end);
  if (from === null || to === null || from >= to || to > text.node.content.size) return null;
  if (text.node.textBetween(from, to, "\n", " ").trim() === "") return null;
  return { from, to };
}

/** Where one relative position (as JSON) stands in the text now; null when it cannot be mapped. */
export function resolvePosition(text: TextSnapshot, json: unknown): number | null {
  try {
    const position = Y.createRelativePositionFromJSON(json);
    return relativePositionToAbsolutePosition(text.doc, text.fragment, position, text.mapping);
  } catch {
    // A position into a removed part of the tree cannot be mapped back.
    return null;
  }
}
