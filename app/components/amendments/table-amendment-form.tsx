import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { t } from "../../../i18n/translate";
import type { AmendmentJson } from "~/utils/amendments.server";
import { errorsOf } from "~/utils/forms";

/** The words an amendment is tabled on: a range of the text as the editor saw it. */
export interface TablingRange {
  from: number;
  to: number;
  text: string;
}

type Kind = "replace" | "insert" | "delete";

/**
 * The form to table an amendment on selected words: replace them, insert after them, or delete
 * them, with the proposed text and a rationale. The server quotes the words from its own text.
 */
export function TableAmendmentForm(props: { range: TablingRange; delegationName: string | null; onClose: (tabled: AmendmentJson | null) => void }) {
  const fetcher = useFetcher<{ tabled?: AmendmentJson }>();
  const [kind, setKind] = useState<Kind>("replace");
  const first = useRef<HTMLInputElement>(null);
  const errors = errorsOf(fetcher.data);
  const { onClose } = props;
  // Errors about the whole form or the range; those of a field show beside it.
  const formError = [errors.form, errors.from, errors.kind].find((message) => message && message !== errors.proposed && message !== errors.rationale);
  const tabled = fetcher.data && "tabled" in fetcher.data ? fetcher.data.tabled : undefined;

  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    if (tabled && fetcher.state === "idle") onClose(tabled);
  }, [tabled, fetcher.state, onClose]);

  const { from, to } = props.range;
  const kinds: [Kind, string][] = [
    ["replace", t("amendments.kindReplace")],
    ["insert", t("amendments.kindInsert")],
    ["delete", t("amendments.kindDelete")],
  ];
  return (
    <section className="table-amendment" aria-labelledby="table-amendment-title">
      <h2 id="table-amendment-title">{t("amendments.tableTitle")}</h2>
      <p>
        {props.delegationName ? t("amendments.tableFor", { delegation: props.delegationName }) : null}{" "}
        <q className="table-amendment__quote">{props.range.text}</q>
      </p>
      <fetcher.Form method="post" className="table-amendment__form">
        <input type="hidden" name="intent" value="amendment-table" />
        <input type="hidden" name="from" value={kind === "insert" ? to : from} />
        <input type="hidden" name="to" value={to} />
        {formError ? (
          <p className="alert alert--error" role="alert">
            {formError}
          </p>
        ) : null}
        <fieldset className="table-amendment__kinds">
          <legend>{t("amendments.kind")}</legend>
          {kinds.map(([value, label], index) => (
            <label key={value}>
              <input
                ref={index === 0 ? first : undefined}
                type="radio"
                name="kind"
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
              />{" "}
              {label}
            </label>
          ))}
        </fieldset>
        {kind !== "delete" ? (
          <div className={errors.proposed ? "field field--error" : "field"} key={kind}>
            <label htmlFor="amendment-proposed">{t("amendments.proposedLabel")}</label>
            <p className="field__hint" id="amendment-proposed-hint">
              {t("amendments.proposedHint")}
            </p>
            <textarea
              id="amendment-proposed"
              name="proposed"
              rows={2}
              required
              defaultValue={kind === "replace" ? props.range.text : ""}
              aria-invalid={errors.proposed ? true : undefined}
              aria-describedby={errors.proposed ? "amendment-proposed-hint amendment-proposed-error" : "amendment-proposed-hint"}
            />
            {errors.proposed ? (
              <p className="field__error" id="amendment-proposed-error">
                {errors.proposed}
              </p>
            ) : null}
          </div>
        ) : null}
        <div className={errors.rationale ? "field field--error" : "field"}>
          <label htmlFor="amendment-rationale">{t("amendments.rationaleLabel")}</label>
          <textarea
            id="amendment-rationale"
            name="rationale"
            rows={3}
            required
            aria-invalid={errors.rationale ? true : undefined}
            aria-describedby={errors.rationale ? "amendment-rationale-error" : undefined}
          />
          {errors.rationale ? (
            <p className="field__error" id="amendment-rationale-error">
              {errors.rationale}
            </p>
          ) : null}
        </div>
        <div className="table-amendment__buttons">
          <button type="submit" className="button" disabled={fetcher.state !== "idle"}>
            {t("amendments.submitTable")}
          </button>
          <button type="button" className="button button--quiet" onClick={() => onClose(null)}>
            {t("amendments.cancel")}
          </button>
        </div>
      </fetcher.Form>
    </section>
  );
}
