import { baseKeymap } from "prosemirror-commands";
import { keymap } from "prosemirror-keymap";
import { EditorState, type Plugin } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { redoCommand, undoCommand, yCursorPlugin, ySyncPlugin, yUndoPlugin } from "y-prosemirror";
import { schema } from "../../schema/prosemirror";
import { currentLanguage } from "../../i18n/languages";
import { t } from "../../i18n/translate";
import { clauseIdsPlugin } from "./clause-ids";
import { emptyHeadingsPlugin } from "./empty-headings";
import type { CollabSession } from "./collab";
import {
  bulletList,
  hardBreak,
  insertClause,
  insertSection,
  liftItem,
  orderedList,
  sinkItem,
  splitItem,
  toggleEm,
  toggleStrong,
} from "./commands";
import { cleanPastedHtml } from "./paste";

/** The keyboard shortcuts the toolbar lists. */
export const SHORTCUTS = {
  strong: "Mod-b",
  em: "Mod-i",
  clause: "Mod-Enter",
  section: "Mod-Shift-Enter",
  undo: "Mod-z",
  redo: "Mod-Shift-z",
} as const;

/**
 * Creates the ProseMirror view bound to the session's Yjs document: sync, remote cursors labelled
 * with name and delegation, undo of one's own changes only, clause ids, shortcuts, paste cleaning.
 */
export function createEditorView(options: {
  mount: HTMLElement;
  session: CollabSession;
  editable: () => boolean;
  label: string;
  /** The language of the text (its `lang`: the browser checks spelling in it). */
  language: string;
  onChange: (view: EditorView) => void;
  /** Further plugins, such as the clause status margin. */
  plugins?: readonly Plugin[];
}): EditorView {
  const { session } = options;
  const state = EditorState.create({
    schema,
    plugins: [
      ySyncPlugin(session.fragment),
      yCursorPlugin(session.provider.awareness, { cursorBuilder: buildCursor, selectionBuilder: buildSelection }),
      yUndoPlugin(),
      keymap({
        [SHORTCUTS.undo]: undoCommand,
        "Mod-y": redoCommand,
        [SHORTCUTS.redo]: redoCommand,
        [SHORTCUTS.strong]: toggleStrong,
        [SHORTCUTS.em]: toggleEm,
        [SHORTCUTS.clause]: insertClause,
        [SHORTCUTS.section]: insertSection,
        "Shift-Enter": hardBreak,
        Enter: splitItem,
        Tab: sinkItem,
        "Shift-Tab": liftItem,
        "Mod-Shift-8": bulletList,
        "Mod-Shift-7": orderedList,
      }),
      keymap(baseKeymap),
      clauseIdsPlugin(),
      emptyHeadingsPlugin({ title: t("editor.emptyTitle"), section: t("editor.emptySection"), language: currentLanguage() }),
      ...(options.plugins ?? []),
    ],
  });
  return new EditorView(options.mount, {
    state,
    editable: options.editable,
    transformPastedHTML: cleanPastedHtml,
    attributes: {
      role: "textbox",
      "aria-multiline": "true",
      "aria-label": options.label,
      class: "draft-text",
      lang: options.language,
      spellcheck: "true",
    },
    // `this`, not a variable: plugins dispatch while the view is still being constructed.
    dispatchTransaction(this: EditorView, transaction) {
      this.updateState(this.state.apply(transaction));
      options.onChange(this);
    },
  });
}

interface CursorUser {
  name?: string;
  delegationName?: string | null;
  color?: string;
}

function safeColor(user: CursorUser): string {
  return typeof user.color === "string" && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : "#4a5368";
}

// A caret in the person's delegation colour, labelled "Name · Delegation". Text only: names never
// become markup.
function buildCursor(user: CursorUser): HTMLElement {
  const color = safeColor(user);
  const cursor = document.createElement("span");
  cursor.className = "remote-cursor";
  cursor.style.borderColor = color;
  const label = document.createElement("span");
  label.className = "remote-cursor__label";
  label.style.backgroundColor = color;
  label.textContent = [user.name, user.delegationName].filter(Boolean).join(" · ");
  cursor.append("\u2060", label, "\u2060");
  return cursor;
}

function buildSelection(user: CursorUser) {
  return { style: `background-color: ${safeColor(user)}33`, class: "remote-selection" };
}
