import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet, type EditorView } from "prosemirror-view";
import { ySyncPluginKey } from "y-prosemirror";
import { clauseNumbers, schema } from "../../schema/prosemirror";

/** What the margin shows for one clause: its status, a short label, and the full text for screen readers. */
export interface ClauseMark {
  status: string;
  short: string;
  label: string;
  /** Whether editing the clause reopens an agreement (agreed, agreed ad referendum). */
  agreed: boolean;
}

interface ClauseStatusState {
  marks: ReadonlyMap<string, ClauseMark>;
  /** Agreed clauses whose editor has been warned in this session. */
  warned: ReadonlySet<string>;
  /** The clause whose warning is due, set by the transaction that edited it. */
  warn: string | null;
}

export const clauseStatusKey = new PluginKey<ClauseStatusState>("clause-status");

/** Gives the editor the statuses to show (a transaction that changes nothing in the text). */
export function setClauseMarks(view: EditorView, marks: ReadonlyMap<string, ClauseMark>): void {
  view.dispatch(view.state.tr.setMeta(clauseStatusKey, marks).setMeta("addToHistory", false));
}

/**
 * Shows each clause's status in the margin (a class and data attribute on the clause, and a label
 * that screen readers read), and calls `onEditAgreed` the first time in a session that the person
 * types into an agreed clause. The keystroke itself goes through: the warning never blocks.
 */
export function clauseStatusPlugin(options: {
  onEditAgreed: (clause: { clauseId: string; number: string; status: string }) => void;
}): Plugin<ClauseStatusState> {
  return new Plugin<ClauseStatusState>({
    key: clauseStatusKey,
    state: {
      init: () => ({ marks: new Map(), warned: new Set(), warn: null }),
      apply(tr, previous): ClauseStatusState {
        const marks = (tr.getMeta(clauseStatusKey) as ReadonlyMap<string, ClauseMark> | undefined) ?? previous.marks;
        const edited = isLocalEdit(tr) ? clauseAt(tr) : null;
        if (edited && marks.get(edited)?.agreed && !previous.warned.has(edited)) {
          return { marks, warned: new Set([...previous.warned, edited]), warn: edited };
        }
        return { marks, warned: previous.warned, warn: null };
      },
    },
    props: {
      decorations: (state) => decorate(state),
    },
    view: () => ({
      update(view, previousState) {
        const current = clauseStatusKey.getState(view.state);
        if (!current?.warn || current === clauseStatusKey.getState(previousState)) return;
        const clauseId = current.warn;
        options.onEditAgreed({
          clauseId,
          number: clauseNumbers(view.state.doc).get(clauseId) ?? "",
          status: current.marks.get(clauseId)?.status ?? "agreed",
        });
      },
    }),
  });
}

// Changes that arrive from others through Yjs are not this person's typing.
function isLocalEdit(tr: Transaction): boolean {
  if (!tr.docChanged) return false;
  const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return !sync?.isChangeOrigin;
}

function clauseAt(tr: Transaction): string | null {
  const { $from } = tr.selection;
  for (let depth = $from.depth; depth > 0; depth -= 1) {
    const node = $from.node(depth);
    if (node.type === schema.nodes.clause) return typeof node.attrs.id === "string" ? node.attrs.id : null;
  }
  return null;
}

function decorate(state: EditorState): DecorationSet {
  const marks = clauseStatusKey.getState(state)?.marks;
  if (!marks || marks.size === 0) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  state.doc.forEach((section, sectionPos) => {
    if (section.type !== schema.nodes.section) return;
    section.forEach((node, offset) => {
      const mark = typeof node.attrs.id === "string" ? marks.get(node.attrs.id) : undefined;
      if (node.type !== schema.nodes.clause || !mark) return;
      const pos = sectionPos + 1 + offset;
      decorations.push(
        Decoration.node(pos, pos + node.nodeSize, {
          class: `clause--status clause--${mark.status}`,
          "data-status": mark.status,
        }),
        Decoration.widget(pos + 1, () => marginLabel(mark), {
          side: -1,
          ignoreSelection: true,
          key: `clause-status-${mark.status}-${mark.label}`,
        }),
      );
    });
  });
  return DecorationSet.create(state.doc, decorations);
}

// Text only: labels never become markup.
function marginLabel(mark: ClauseMark): HTMLElement {
  const label = document.createElement("span");
  label.className = `clause-status-mark clause-status-mark--${mark.status}`;
  label.contentEditable = "false";
  label.title = mark.label;
  const short = document.createElement("span");
  short.setAttribute("aria-hidden", "true");
  short.textContent = mark.short;
  const full = document.createElement("span");
  full.className = "visually-hidden";
  full.textContent = mark.label;
  label.append(short, full);
  return label;
}
