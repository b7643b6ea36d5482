import type { Command } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { useState, type FormEvent } from "react";
import { redoCommand, undoCommand } from "y-prosemirror";
import {
  bulletList,
  insertClause,
  insertFootnote,
  insertSection,
  linkAt,
  markActive,
  orderedList,
  setLink,
  toggleEm,
  toggleStrong,
} from "~/editor/commands";
import { t, type MessageKey } from "../../i18n/translate";
import { schema } from "../../schema/prosemirror";

type Prompt = "link" | "footnote" | null;

/** The editor's toolbar: every structure of the schema, with its state and shortcut. */
export function EditorToolbar({ view }: { view: EditorView }) {
  const [prompt, setPrompt] = useState<Prompt>(null);
  const [error, setError] = useState<string | null>(null);
  const state = view.state;
  const run = (command: Command) => () => {
    command(view.state, view.dispatch, view);
    view.focus();
  };
  const button = (label: MessageKey, command: Command, options: { pressed?: boolean; shortcut?: string } = {}) => (
    <button
      type="button"
      className="toolbar__button"
      onMouseDown={(event) => event.preventDefault()}
      onClick={run(command)}
      disabled={!command(state)}
      aria-pressed={options.pressed}
      title={options.shortcut ? `${t(label)} (${options.shortcut})` : t(label)}
    >
      {t(label)}
    </button>
  );
  const submitPrompt = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("value") ?? "");
    const command = prompt === "link" ? setLink(value) : insertFootnote(value);
    if (!command(view.state, view.dispatch, view)) {
      setError(prompt === "link" ? t("editor.linkInvalid") : t("form.required"));
      return;
    }
    setPrompt(null);
    setError(null);
    view.focus();
  };
  const link = linkAt(state);
  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label={t("editor.toolbar")}>
        {button("editor.strong", toggleStrong, { pressed: markActive(state, schema.marks.strong), shortcut: "Ctrl+B" })}
        {button("editor.em", toggleEm, { pressed: markActive(state, schema.marks.em), shortcut: "Ctrl+I" })}
        <button
          type="button"
          className="toolbar__button"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => (link ? run(setLink(null))() : setPrompt("link"))}
          disabled={state.selection.empty && !link}
          aria-pressed={Boolean(link)}
        >
          {link ? t("editor.linkRemove") : t("editor.link")}
        </button>
        <span className="toolbar__separator" aria-hidden="true" />
        {button("editor.bulletList", bulletList)}
        {button("editor.orderedList", orderedList)}
        <span className="toolbar__separator" aria-hidden="true" />
        {button("editor.clause", insertClause, { shortcut: "Ctrl+Enter" })}
        {button("editor.section", insertSection, { shortcut: "Ctrl+Shift+Enter" })}
        <button
          type="button"
          className="toolbar__button"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => setPrompt("footnote")}
          disabled={!insertFootnote("x")(state)}
        >
          {t("editor.footnote")}
        </button>
        <span className="toolbar__separator" aria-hidden="true" />
        {button("editor.undo", undoCommand, { shortcut: "Ctrl+Z" })}
        {button("editor.redo", redoCommand, { shortcut: "Ctrl+Shift+Z" })}
      </div>
      {prompt ? (
        <form className="toolbar__prompt" onSubmit={submitPrompt}>
          <label htmlFor="toolbar-prompt">{prompt === "link" ? t("editor.linkAddress") : t("editor.footnoteText")}</label>
          <input id="toolbar-prompt" name="value" type="text" autoComplete="off" aria-invalid={error ? true : undefined} />
          <button type="submit" className="button button--small">
            {prompt === "link" ? t("editor.linkApply") : t("editor.footnoteApply")}
          </button>
          <button type="button" className="button button--quiet button--small" onClick={() => setPrompt(null)}>
            {t("editor.cancel")}
          </button>
          {error ? (
            <span className="field__error" role="alert">
              {error}
            </span>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
