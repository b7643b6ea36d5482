import { chainCommands, exitCode, setBlockType, toggleMark } from "prosemirror-commands";
import type { Attrs, MarkType, Node as PMNode } from "prosemirror-model";
import { liftListItem, sinkListItem, splitListItem, wrapInList } from "prosemirror-schema-list";
import { TextSelection, type Command, type EditorState } from "prosemirror-state";
import { newClauseId, schema } from "../../schema/prosemirror";

const { nodes, marks } = schema;

/** Whether a mark is active over the selection (for the toolbar's pressed state). */
export function markActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  if (empty) return Boolean(type.isInSet(state.storedMarks ?? $from.marks()));
  return state.doc.rangeHasMark(from, to, type);
}

/** Toggles emphasis. */
export const toggleEm: Command = toggleMark(marks.em);
/** Toggles strong. */
export const toggleStrong: Command = toggleMark(marks.strong);
/** Wraps the selection in a bullet list. */
export const bulletList: Command = wrapInList(nodes.bullet_list);
/** Wraps the selection in a numbered list. */
export const orderedList: Command = wrapInList(nodes.ordered_list);
/** Turns the selected block back into a plain paragraph. */
export const plainParagraph: Command = setBlockType(nodes.paragraph);
/** Enter inside a list item splits it. */
export const splitItem: Command = splitListItem(nodes.list_item);
/** Indents and outdents list items. */
export const sinkItem: Command = sinkListItem(nodes.list_item);
export const liftItem: Command = liftListItem(nodes.list_item);
/** Shift-Enter inserts a line break. */
export const hardBreak: Command = chainCommands(exitCode, (state, dispatch) => {
  dispatch?.(state.tr.replaceSelectionWith(nodes.hard_break.create()).scrollIntoView());
  return true;
});

/** Sets or removes a link on the selection; `href` null removes it. Unsafe addresses are refused. */
export function setLink(href: string | null): Command {
  return (state, dispatch) => {
    const { from, to, empty } = state.selection;
    if (empty) return false;
    if (href === null) {
      dispatch?.(state.tr.removeMark(from, to, marks.link));
      return true;
    }
    if (!/^(https?:\/\/|mailto:|#)/i.test(href.trim())) return false;
    dispatch?.(state.tr.addMark(from, to, marks.link.create({ href: href.trim() })));
    return true;
  };
}

/** Inserts a footnote-style reference with its note at the cursor. */
export function insertFootnote(note: string): Command {
  return (state, dispatch) => {
    const text = note.trim();
    if (!text || !canInsertInline(state)) return false;
    dispatch?.(state.tr.replaceSelectionWith(nodes.footnote.create({ note: text })).scrollIntoView());
    return true;
  };
}

/** Adds a new, empty clause after the clause (or section heading) holding the cursor. */
export const insertClause: Command = (state, dispatch) => {
  const position = insertionPoint(state, "clause");
  if (position === null) return false;
  if (dispatch) {
    const clause = nodes.clause.create({ id: newClauseId() }, nodes.paragraph.create());
    const tr = state.tr.insert(position, clause);
    dispatch(tr.setSelection(TextSelection.create(tr.doc, position + 2)).scrollIntoView());
  }
  return true;
};

/** Adds a new section, with a heading and one clause, after the section holding the cursor. */
export const insertSection: Command = (state, dispatch) => {
  const position = insertionPoint(state, "section");
  if (position === null) return false;
  if (dispatch) {
    const section = nodes.section.create(null, [
      nodes.section_heading.create(),
      nodes.clause.create({ id: newClauseId() }, nodes.paragraph.create()),
    ]);
    const tr = state.tr.insert(position, section);
    dispatch(tr.setSelection(TextSelection.create(tr.doc, position + 2)).scrollIntoView());
  }
  return true;
};

// Where a new clause or section goes: after the enclosing one (or at the start of the section
// whose heading holds the cursor, or after the preamble for a section).
function insertionPoint(state: EditorState, kind: "clause" | "section"): number | null {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth -= 1) {
    const node: PMNode = $from.node(depth);
    if (kind === "clause" && node.type === nodes.clause) return $from.after(depth);
    if (kind === "clause" && node.type === nodes.section_heading) return $from.after(depth);
    if (kind === "section" && node.type === nodes.section) return $from.after(depth);
    if (kind === "section" && (node.type === nodes.preamble || node.type === nodes.title)) {
      return $from.after(depth) + (node.type === nodes.title ? state.doc.child(1).nodeSize : 0);
    }
  }
  return null;
}

function canInsertInline(state: EditorState): boolean {
  const { $from } = state.selection;
  return $from.parent.type === nodes.paragraph;
}

/** Attributes of the link over the selection, if any. */
export function linkAt(state: EditorState): Attrs | null {
  const { $from } = state.selection;
  return marks.link.isInSet($from.marks())?.attrs ?? null;
}
