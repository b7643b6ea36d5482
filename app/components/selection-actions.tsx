import type { EditorView } from "prosemirror-view";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { t } from "../../i18n/translate";

/** The selected range of the text, as a selection action receives it. */
export interface SelectedRange {
  from: number;
  to: number;
  /** The selected text, as the person sees it. */
  text: string;
}

/** Something the page offers to do with selected text ("Comment", "Table an amendment"). */
export interface SelectionAction {
  id: string;
  label: string;
  run: (range: SelectedRange, view: EditorView) => void;
}

/** The key that moves from the text to the selection's actions (the ARIA toolbar convention). */
export const SELECTION_ACTIONS_KEY = "Alt-F10";

/**
 * A small toolbar beside the selected text with the page's actions. It shows while the text has a
 * selection and the editor (or the toolbar) has focus; Alt+F10 moves to it, Escape goes back.
 */
export function SelectionActions({ view, actions, revision }: { view: EditorView; actions: readonly SelectionAction[]; revision: number }) {
  const toolbar = useRef<HTMLDivElement>(null);
  const [focused, setFocused] = useState(false);

  useEffect(() => {
    // Focus moves between the text and the toolbar in one task: look once it has settled.
    const refresh = () =>
      window.setTimeout(() => setFocused(view.hasFocus() || Boolean(toolbar.current?.contains(document.activeElement))), 0);
    const page = view.dom.closest(".editor__page") ?? view.dom;
    page.addEventListener("focusin", refresh);
    page.addEventListener("focusout", refresh);
    // On the document, not the text: a read-only text cannot take the keyboard's focus, yet its words
    // can be selected and commented on.
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== "F10" || !event.altKey) return;
      if (!view.hasFocus() && !selectionInText(view)) return;
      const first = toolbar.current?.querySelector("button");
      if (!first) return;
      event.preventDefault();
      first.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      page.removeEventListener("focusin", refresh);
      page.removeEventListener("focusout", refresh);
      document.removeEventListener("keydown", onKey);
    };
  }, [view]);

  void revision;
  const { from, to, empty } = view.state.selection;
  // An editable text shows the actions while it (or the toolbar) has focus; a read-only one, which
  // never takes focus, while its words are selected.
  const shown = focused || (!view.editable && selectionInText(view));
  if (empty || actions.length === 0 || !shown || view.isDestroyed) return null;
  const text = view.state.doc.textBetween(from, to, "\n", " ");
  if (text.trim() === "") return null;
  const top = position(view, to);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      view.focus();
      return;
    }
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const buttons = [...(toolbar.current?.querySelectorAll("button") ?? [])];
    const index = buttons.findIndex((button) => button === document.activeElement);
    const next = buttons[(index + (event.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length];
    event.preventDefault();
    next?.focus();
  };

  return (
    <div
      ref={toolbar}
      className="selection-actions"
      role="toolbar"
      aria-label={t("editor.selectionActions")}
      style={{ top: `${top}px` }}
      onKeyDown={onKeyDown}
    >
      {actions.map((action) => (
        <button
          key={action.id}
          type="button"
          className="selection-actions__button"
          // Keeps the selection (and the editor's focus) when clicked with the mouse.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => action.run({ from, to, text }, view)}
        >
          {action.label}
        </button>
      ))}
    </div>
  );
}

// Just below the end of the selection, in the coordinates of the editor's page.
function position(view: EditorView, pos: number): number {
  const page = view.dom.closest(".editor__page");
  try {
    const coords = view.coordsAtPos(pos);
    const origin = page?.getBoundingClientRect().top ?? 0;
    return coords.bottom - origin + 6;
  } catch {
    return 0;
  }
}

function selectionInText(view: EditorView): boolean {
  const selection = document.getSelection();
  return Boolean(selection && selection.rangeCount > 0 && !selection.isCollapsed && view.dom.contains(selection.anchorNode));
}
