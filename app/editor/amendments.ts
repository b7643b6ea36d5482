import type { Node as PMNode } from "prosemirror-model";
import { Plugin, PluginKey, type EditorState } from "prosemirror-state";
import { Decoration, DecorationSet, type EditorView } from "prosemirror-view";
import { ySyncPluginKey } from "y-prosemirror";
import { absoluteFromRelative } from "./yjs-positions";

/** An open amendment as the redline draws it. */
export interface RedlineAmendment {
  label: string;
  kind: "replace" | "insert" | "delete";
  /** Yjs relative positions (JSON) of the start and end of its range, as the server stored them. */
  anchor: { start: unknown; end: unknown };
  proposed: string;
  /** The tabling delegation's colour. */
  colour: string;
  /** "A-3, tabled by the United Kingdom", for the title and screen readers. */
  description: string;
}

interface RedlineState {
  amendments: readonly RedlineAmendment[];
  visible: boolean;
  decorations: DecorationSet;
}

type RedlineUpdate = Partial<Pick<RedlineState, "amendments" | "visible">>;

export const amendmentsKey = new PluginKey<RedlineState>("amendments");

/** Gives the redline the amendments to draw and whether to draw them (changes nothing in the text). */
export function setRedline(view: EditorView, update: RedlineUpdate): void {
  view.dispatch(view.state.tr.setMeta(amendmentsKey, update).setMeta("addToHistory", false));
}

/** Where the redline draws each amendment now, by label (for tests and the list's "show in text"). */
export function redlineRanges(state: EditorState): Map<string, { from: number; to: number }> {
  const ranges = new Map<string, { from: number; to: number }>();
  const current = amendmentsKey.getState(state);
  if (!current) return ranges;
  for (const amendment of current.amendments) {
    const range = resolve(state, amendment);
    if (range) ranges.set(amendment.label, range);
  }
  return ranges;
}

/**
 * Draws open amendments in the text as a redline in the tabling delegation's colour: the words
 * to delete struck through, the proposed words inserted beside them (never part of the text).
 * Anchors are resolved against the live Yjs document whenever it changes under the editor, and
 * follow local typing through the transaction's mapping in between.
 */
export function amendmentsPlugin(): Plugin<RedlineState> {
  return new Plugin<RedlineState>({
    key: amendmentsKey,
    state: {
      init: () => ({ amendments: [], visible: true, decorations: DecorationSet.empty }),
      apply(tr, previous, _old, state): RedlineState {
        const update = tr.getMeta(amendmentsKey) as RedlineUpdate | undefined;
        // Transactions carrying y-sync's meta come from the Yjs document (others' edits, undo, the
        // first load): the binding's mapping is current then, so anchors resolve.
        const fromYjs = tr.getMeta(ySyncPluginKey) !== undefined;
        if (!update && !fromYjs) return { ...previous, decorations: previous.decorations.map(tr.mapping, tr.doc) };
        const amendments = update?.amendments ?? previous.amendments;
        const visible = update?.visible ?? previous.visible;
        return { amendments, visible, decorations: visible ? decorate(state, tr.doc, amendments) : DecorationSet.empty };
      },
    },
    props: {
      decorations: (state) => amendmentsKey.getState(state)?.decorations,
    },
  });
}

function decorate(state: EditorState, doc: PMNode, amendments: readonly RedlineAmendment[]): DecorationSet {
  const decorations: Decoration[] = [];
  for (const amendment of amendments) {
    const range = resolve(state, amendment, doc);
    if (!range) continue;
    const style = `--redline: ${safeColour(amendment.colour)}`;
    if (amendment.kind !== "insert") {
      decorations.push(Decoration.inline(range.from, range.to, { class: "redline-deleted", style, title: amendment.description }));
    }
    if (amendment.kind !== "delete") {
      decorations.push(
        Decoration.widget(range.to, () => insertion(amendment), { side: 1, key: `${amendment.label}:${amendment.proposed}`, ignoreSelection: true }),
      );
    }
  }
  return DecorationSet.create(doc, decorations);
}

function insertion(amendment: RedlineAmendment): HTMLElement {
  const ins = document.createElement("ins");
  ins.className = "redline-inserted";
  ins.contentEditable = "false";
  ins.style.setProperty("--redline", safeColour(amendment.colour));
  ins.title = amendment.description;
  ins.dataset.amendment = amendment.label;
  ins.textContent = amendment.proposed;
  const label = document.createElement("sup");
  label.className = "redline-label";
  label.textContent = amendment.label;
  ins.append(label);
  return ins;
}

function resolve(state: EditorState, amendment: RedlineAmendment, doc: PMNode = state.doc): { from: number; to: number } | null {
  const from = absoluteFromRelative(state, amendment.anchor.start);
  if (from === null || from > doc.content.size) return null;
  if (amendment.kind === "insert") return doc.resolve(from).parent.isTextblock ? { from, to: from } : null;
  const to = absoluteFromRelative(state, amendment.anchor.end);
  if (to === null || to > doc.content.size || to <= from) return null;
  return { from, to };
}

function safeColour(colour: string): string {
  return /^#[0-9a-f]{6}$/i.test(colour) ? colour : "#4a5368";
}
