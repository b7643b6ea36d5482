import { Form, useNavigation } from "@remix-run/react";
import { t } from "../../i18n/translate";
import { errorsOf } from "~/utils/forms";
import type { BracketView, ListedBracket } from "~/editor/brackets";

/**
 * The open brackets of the text, in reading order, each with its alternatives and their
 * supporters; the secretariat resolves one by keeping an alternative or dropping the passage (a
 * form that works without JavaScript). The switch between the bracketed and the clean text changes
 * only what the editor shows.
 */
export function BracketsPanel(props: {
  brackets: ListedBracket[];
  canResolve: boolean;
  view: BracketView;
  onViewChange: (view: BracketView) => void;
  actionData: unknown;
  /** The reader's delegation, when they may edit the text: they may then support an alternative or stop supporting it. */
  supporting?: { code: string; name: string; onSupport: (input: { bracketId: string; option: number; support: boolean }) => void } | null;
}) {
  const errors = errorsOf(props.actionData);
  const busy = useNavigation().state === "submitting";
  return (
    <section className="brackets panel" aria-labelledby="brackets-title" id="brackets">
      <h2 id="brackets-title">{t("brackets.title")}</h2>
      <p className="muted">{t("brackets.intro")}</p>
      <fieldset className="brackets__view">
        <legend>{t("brackets.view.label")}</legend>
        {(["bracketed", "clean"] as const).map((mode) => (
          <label key={mode} className="choice">
            <input type="radio" name="bracket-view" value={mode} checked={props.view === mode} onChange={() => props.onViewChange(mode)} /> {t(`brackets.view.${mode}`)}
          </label>
        ))}
      </fieldset>
      {errors.bracket ? (
        <p className="alert alert--error" role="alert">
          {errors.bracket}
        </p>
      ) : null}
      <p role="status">{props.brackets.length ? t("brackets.count", { count: props.brackets.length }) : t("brackets.none")}</p>
      <ol className="brackets__list">
        {props.brackets.map((bracket) => (
          <li key={bracket.id}>
            <h3>{bracket.clause ? t("brackets.inClause", { number: bracket.clause }) : t("brackets.inPreamble")}</h3>
            <ul>
              {bracket.options.map((option, index) => (
                <li key={option.option}>
                  {t("common.label", { label: t("brackets.option", { number: index + 1 }) })} <q>{option.text}</q> —{" "}
                  {option.supporters.length ? t("brackets.supportedBy", { delegations: option.supporters.join(", ") }) : t("brackets.noSupporters")}
                  {props.supporting ? (
                    <>
                      {" "}
                      <button
                        type="button"
                        className="button button--quiet button--small"
                        onClick={() => props.supporting?.onSupport({ bracketId: bracket.id, option: option.option, support: !option.codes.includes(props.supporting.code) })}
                      >
                        {option.codes.includes(props.supporting.code)
                          ? t("brackets.withdrawSupport", { delegation: props.supporting.name, number: index + 1 })
                          : t("brackets.support", { delegation: props.supporting.name, number: index + 1 })}
                      </button>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
            {props.canResolve ? (
              <Form method="post" className="brackets__resolve">
                <input type="hidden" name="intent" value="bracket-resolve" />
                <input type="hidden" name="bracketId" value={bracket.id} />
                <fieldset>
                  <legend>{t("brackets.resolve")}</legend>
                  {bracket.options.map((option, index) => (
                    <label key={option.option} className="choice">
                      <input type="radio" name="keep" value={String(option.option)} defaultChecked={index === 0} /> {t("brackets.keep", { number: index + 1, text: option.text })}
                    </label>
                  ))}
                  <label className="choice">
                    <input type="radio" name="keep" value="none" /> {t("brackets.drop")}
                  </label>
                </fieldset>
                <button type="submit" className="button button--quiet" disabled={busy}>
                  {t("brackets.resolve")}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
