import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import { ySyncPluginKey } from "y-prosemirror";
import { absoluteFromRelative } from "./yjs-positions";

/** A thread to highlight: its anchor (Yjs relative positions, as the server stores them). */
export interface HighlightThread {
  id: string;
  anchor: RelativeAnchor;
  private: boolean;
  /** Whether its words are highlighted (open threads); the range of every thread is followed. */
  highlighted: boolean;
}

/** A range as Yjs relative positions (JSON), which follow the words through everyone's edits. */
export interface RelativeAnchor {
  start: unknown;
  end: unknown;
}

/** A range of the live text. */
export interface LiveRange {
  from: number;
  to: number;
}

interface HighlightState {
  threads: readonly HighlightThread[];
  /** Where each thread's words stand now; a thread whose words are gone has none. */
  ranges: ReadonlyMap<string, LiveRange>;
  active: string | null;
  /** The range a new comment is being written about. */
  pending: { anchor: RelativeAnchor; range: LiveRange | null } | null;
  decorations: DecorationSet;
}

type HighlightMeta = { threads?: readonly HighlightThread[]; active?: string | null; pending?: RelativeAnchor | null };

export const annotationHighlightsKey = new PluginKey<HighlightState>("annotation-highlights");

/** Gives the editor the threads to highlight, the active one, or the range being commented on. */
export function setHighlights(state: EditorState, meta: HighlightMeta): Transaction {
  return state.tr.setMeta(annotationHighlightsKey, meta).setMeta("addToHistory", false);
}

/** Where each thread's words stand in the live text. */
export function highlightRanges(state: EditorState): ReadonlyMap<string, LiveRange> {
  return annotationHighlightsKey.getState(state)?.ranges ?? new Map();
}

/** Where the words a new comment is about stand now, or null. */
export function pendingRange(state: EditorState): LiveRange | null {
  return annotationHighlightsKey.getState(state)?.pending?.range ?? null;
}

/**
 * Highlights each thread's words in the text. Ranges come from the threads' Yjs anchors, resolved
 * against the live document whenever the text changes through Yjs (others' edits, undo), and are
 * mapped through one's own typing in between; clicking a highlight calls `onActivate`. `onChange`
 * hears every update of the view (the sidebar follows the text's layout with it).
 */
export function annotationHighlightsPlugin(options: { onActivate: (threadId: string) => void; onChange: () => void }): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key: annotationHighlightsKey,
    state: {
      init: () => ({ threads: [], ranges: new Map(), active: null, pending: null, decorations: DecorationSet.empty }),
      apply(tr, previous, _old, state): HighlightState {
        const meta = tr.getMeta(annotationHighlightsKey) as HighlightMeta | undefined;
        if (!meta && !tr.docChanged) return previous;
        const threads = meta?.threads ?? previous.threads;
        const active = meta?.active !== undefined ? meta.active : previous.active;
        let pending = meta?.pending !== undefined ? (meta.pending ? { anchor: meta.pending, range: null } : null) : previous.pending;
        let ranges = previous.ranges;
        if (meta?.threads || fromYjs(tr)) ranges = resolve(state, threads);
        else if (tr.docChanged) ranges = mapRanges(previous.ranges, tr);
        if (pending && (meta?.pending || fromYjs(tr))) pending = { anchor: pending.anchor, range: resolveAnchor(state, pending.anchor) };
        else if (pending?.range && tr.docChanged) pending = { anchor: pending.anchor, range: mapRange(pending.range, tr) };
        return { threads, ranges, active, pending, decorations: decorate(state, threads, ranges, active, pending) };
      },
    },
    props: {
      decorations: (state) => annotationHighlightsKey.getState(state)?.decorations,
      handleClick(view, pos) {
        const threadId = threadAt(view.state, pos);
        if (threadId) options.onActivate(threadId);
        return false;
      },
    },
    view: () => ({
      update(view, previous) {
        // Moving the cursor into highlighted words (with the keyboard too) makes their thread the active one.
        if (view.hasFocus() && !view.state.selection.eq(previous.selection) && view.state.selection.empty) {
          const threadId = threadAt(view.state, view.state.selection.from);
          if (threadId && threadId !== annotationHighlightsKey.getState(view.state)?.active) options.onActivate(threadId);
        }
        options.onChange();
      },
    }),
  });
}

// The innermost (shortest) highlighted thread at a position.
function threadAt(state: EditorState, pos: number): string | null {
  const highlights = annotationHighlightsKey.getState(state);
  if (!highlights) return null;
  let best: { id: string; length: number } | null = null;
  for (const [id, range] of highlights.ranges) {
    if (pos < range.from || pos > range.to) continue;
    if (!highlights.threads.some((thread) => thread.id === id && thread.highlighted)) continue;
    if (!best || range.to - range.from < best.length) best = { id, length: range.to - range.from };
  }
  return best?.id ?? null;
}

// Changes that arrive through Yjs (others' edits, undo) rebuild the document wholesale, so
// positions cannot be mapped through them: the anchors are resolved again instead.
function fromYjs(tr: Transaction): boolean {
  const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return tr.docChanged && Boolean(sync?.isChangeOrigin);
}

/** Where an anchor's words stand in the live text, or null when they are gone. */
export function resolveAnchor(state: EditorState, anchor: RelativeAnchor): LiveRange | null {
  const from = absoluteFromRelative(state, anchor.start);
  const to = absoluteFromRelative(state, anchor.end);
  if (from === null || to === null || from >= to) return null;
  if (state.doc.textBetween(from, to, "\n", " ").trim() === "") return null;
  return { from, to };
}

function resolve(state: EditorState, threads: readonly HighlightThread[]): ReadonlyMap<string, LiveRange> {
  const ranges = new Map<string, LiveRange>();
  for (const thread of threads) {
    const range = resolveAnchor(state, thread.anchor);
    if (range) ranges.set(thread.id, range);
  }
  return ranges;
}

function mapRange(range: LiveRange, tr: Transaction): LiveRange | null {
  // Text typed at either edge stays outside the range.
  const from = tr.mapping.map(range.from, 1);
  const to = tr.mapping.map(range.to, -1);
  return from < to ? { from, to } : null;
}

function mapRanges(ranges: ReadonlyMap<string, LiveRange>, tr: Transaction): ReadonlyMap<string, LiveRange> {
  const mapped = new Map<string, LiveRange>();
  for (const [id, range] of ranges) {
    const next = mapRange(range, tr);
    if (next) mapped.set(id, next);
  }
  return mapped;
}

function decorate(
  state: EditorState,
  threads: readonly HighlightThread[],
  ranges: ReadonlyMap<string, LiveRange>,
  active: string | null,
  pending: HighlightState["pending"],
): DecorationSet {
  const decorations: Decoration[] = [];
  for (const thread of threads) {
    const range = ranges.get(thread.id);
    if (!range || !thread.highlighted) continue;
    const classes = ["annotation-highlight"];
    if (thread.private) classes.push("annotation-highlight--private");
    if (thread.id === active) classes.push("annotation-highlight--active");
    decorations.push(Decoration.inline(range.from, range.to, { class: classes.join(" "), "data-thread-id": thread.id }));
  }
  if (pending?.range) {
    decorations.push(Decoration.inline(pending.range.from, pending.range.to, { class: "annotation-highlight annotation-highlight--pending" }));
  }
  return DecorationSet.create(state.doc, decorations);
}
