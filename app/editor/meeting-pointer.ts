import type { Node as PMNode } from "prosemirror-model";
import { Plugin, PluginKey } from "prosemirror-state";
import { Decoration, DecorationSet, type EditorView } from "prosemirror-view";
import { schema } from "../../schema/prosemirror";

/**
 * The chair's pointer in the text: the clause the room is on is drawn apart, and a follower's view
 * is brought to it. The pointer changes nothing in the text.
 */
export const meetingPointerKey = new PluginKey<string | null>("meeting-pointer");

/** Where the clause with `clauseId` starts in the document, or null when it is not in it. */
export function clausePosition(doc: PMNode, clauseId: string): number | null {
  let found: number | null = null;
  doc.descendants((node, pos) => {
    if (found !== null) return false;
    if (node.type === schema.nodes.clause && node.attrs.id === clauseId) {
      found = pos;
      return false;
    }
    return node.type !== schema.nodes.clause;
  });
  return found;
}

/** The plugin that draws the clause the room is on (class `clause--now`). */
export function meetingPointerPlugin(): Plugin<string | null> {
  return new Plugin<string | null>({
    key: meetingPointerKey,
    state: {
      init: () => null,
      apply: (tr, value) => {
        const next = tr.getMeta(meetingPointerKey) as string | null | undefined;
        return next === undefined ? value : next;
      },
    },
    props: {
      decorations(state) {
        const clauseId = meetingPointerKey.getState(state);
        if (!clauseId) return null;
        const pos = clausePosition(state.doc, clauseId);
        const node = pos === null ? null : state.doc.nodeAt(pos);
        if (pos === null || !node) return null;
        return DecorationSet.create(state.doc, [Decoration.node(pos, pos + node.nodeSize, { class: "clause--now" })]);
      },
    },
  });
}

/** Tells the editor which clause the room is on (null: none). */
export function setMeetingPointer(view: EditorView, clauseId: string | null): void {
  if (meetingPointerKey.getState(view.state) === clauseId) return;
  view.dispatch(view.state.tr.setMeta(meetingPointerKey, clauseId).setMeta("addToHistory", false));
}

/** Brings the clause into view, at the top of the reader's window; false when it is not in the text. */
export function scrollToClause(view: EditorView, clauseId: string): boolean {
  const pos = clausePosition(view.state.doc, clauseId);
  if (pos === null) return false;
  const dom = view.nodeDOM(pos);
  if (!(dom instanceof HTMLElement)) return false;
  const reduce = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
  dom.scrollIntoView({ block: "start", behavior: reduce ? "auto" : "smooth" });
  return true;
}
