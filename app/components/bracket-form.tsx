import { TextSelection } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { useEffect, useRef, useState } from "react";
import { t } from "../../i18n/translate";
import { bracketingRefusal, bracketSelection } from "~/editor/brackets";

/** The words to bracket: a range of the text as the editor saw it when the form opened. */
export interface BracketingRange {
  from: number;
  to: number;
  text: string;
}

/**
 * Puts the selected words in square brackets, with other alternatives typed one per line. The edit
 * is the writer's own, made in the editor and shared like any typing (and undone like it).
 */
export function BracketForm(props: { range: BracketingRange; editor: EditorView; delegationCode: string | null; onClose: () => void }) {
  const [alternatives, setAlternatives] = useState("");
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const { editor, range } = props;
    const { doc } = editor.state;
    // Others may have typed since the form opened: the words must still be where they were.
    if (range.to > doc.content.size || doc.textBetween(range.from, range.to, " ") !== range.text) return setError(t("brackets.oneParagraph"));
    editor.dispatch(editor.state.tr.setSelection(TextSelection.create(doc, range.from, range.to)));
    const refusal = bracketingRefusal(editor.state);
    if (refusal) return setError(t(refusal));
    const tr = bracketSelection(editor.state, alternatives.split("\n"), props.delegationCode);
    if (tr) editor.dispatch(tr);
    props.onClose();
  };

  return (
    <section className="bracket-form" aria-labelledby="bracket-form-title">
      <h2 id="bracket-form-title">{t("brackets.formTitle")}</h2>
      <p>
        <q>{props.range.text}</q>
      </p>
      <p className="muted">{t("brackets.formIntro")}</p>
      <form onSubmit={submit}>
        {error ? (
          <p className="alert alert--error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="bracket-alternatives">{t("brackets.alternativesLabel")}</label>
          <textarea id="bracket-alternatives" ref={field} rows={3} value={alternatives} onChange={(event) => setAlternatives(event.target.value)} />
        </div>
        <p>
          <button type="submit" className="button">
            {t("brackets.create")}
          </button>{" "}
          <button type="button" className="button button--quiet" onClick={props.onClose}>
            {t("brackets.cancel")}
          </button>
        </p>
      </form>
    </section>
  );
}
