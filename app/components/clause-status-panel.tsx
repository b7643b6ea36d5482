import { useFetcher } from "@remix-run/react";
import { t } from "../../i18n/translate";
import { errorsOf, valuesOf } from "~/utils/forms";
import type { ClauseStatusValue } from "../../server/domain/clause-status";

/** A clause as the status panel and the editor's margin show it. */
export interface ClauseStatusItem {
  id: string;
  number: string;
  excerpt: string;
  status: ClauseStatusValue;
  reservingDelegations: string[];
}

/** What the draft page loads of clause status. */
export interface ClauseStatusView {
  /** Changes whenever a status is set; see useClauseStatusUpdates. */
  version: string;
  summary: { total: number; agreed: number; agreedAdReferendum: number; pending: number; reserved: number };
  clauses: ClauseStatusItem[];
  delegations: { code: string; name: string }[];
  canSet: boolean;
}

const STATUSES: ClauseStatusValue[] = ["agreed", "agreed-ad-referendum", "pending", "reserved"];

/** "14 agreed · 3 pending · 2 reserved" (ad referendum only when there is one). */
export function ClauseStatusSummary({ summary }: { summary: ClauseStatusView["summary"] }) {
  const parts = [
    t("clauseStatus.count.agreed", { count: summary.agreed }),
    summary.agreedAdReferendum ? t("clauseStatus.count.agreed-ad-referendum", { count: summary.agreedAdReferendum }) : null,
    t("clauseStatus.count.pending", { count: summary.pending }),
    t("clauseStatus.count.reserved", { count: summary.reserved }),
  ].filter(Boolean);
  return (
    <p className="clause-status-summary" data-testid="clause-status-summary">
      <span className="visually-hidden">{t("common.label", { label: t("clauseStatus.summaryLabel") })} </span>
      {parts.join(" · ")}
    </p>
  );
}

/** The label of a status, with the reserving delegations' names for a reservation. */
export function statusLabel(status: ClauseStatusValue, reservingDelegations: string[], delegations: ClauseStatusView["delegations"]): string {
  if (status !== "reserved" || reservingDelegations.length === 0) return t(`clauseStatus.status.${status}`);
  const names = reservingDelegations.map((code) => delegations.find((delegation) => delegation.code === code)?.name ?? code);
  return t("clauseStatus.reservedBy", { delegations: names.join(", ") });
}

/**
 * The secretariat's panel: one small form per clause, by number, with the status and, for a
 * reservation, the reserving delegations. It posts to the draft page's action, so it works without
 * JavaScript; with it, each clause's form submits on its own.
 */
export function ClauseStatusPanel({ view, actionData }: { view: ClauseStatusView; actionData: unknown }) {
  // Without JavaScript the page's own answer goes to the row of its clause. A clause deleted from
  // the text since the page loaded has no row to show its error in.
  const answeredClause = valuesOf(actionData).clauseId ?? savedClauseId(actionData);
  const orphanError = answeredClause && !view.clauses.some((clause) => clause.id === answeredClause) ? errorsOf(actionData).form : null;
  return (
    <section className="clause-status-panel" aria-labelledby="clause-status-title" id="clause-status">
      <h2 id="clause-status-title">{t("clauseStatus.panelTitle")}</h2>
      <p className="muted">{t("clauseStatus.panelIntro")}</p>
      {orphanError ? (
        <p className="alert alert--error" role="alert">
          {orphanError}
        </p>
      ) : null}
      {view.clauses.length === 0 ? <p>{t("clauseStatus.empty")}</p> : null}
      <ul className="clause-status-panel__list">
        {view.clauses.map((clause) => (
          <ClauseStatusRow
            key={clause.id}
            clause={clause}
            delegations={view.delegations}
            pageAnswer={answeredClause === clause.id ? actionData : null}
          />
        ))}
      </ul>
    </section>
  );
}

function ClauseStatusRow(props: { clause: ClauseStatusItem; delegations: ClauseStatusView["delegations"]; pageAnswer: unknown }) {
  const { clause, delegations } = props;
  const fetcher = useFetcher();
  const answer: unknown = fetcher.data ?? props.pageAnswer;
  const errors = errorsOf(answer);
  const id = `clause-status-${clause.id}`;
  const label = statusLabel(clause.status, clause.reservingDelegations, delegations);
  return (
    <li>
      <details className="clause-status-row" open={Object.keys(errors).length > 0 || undefined}>
        <summary>
          <span className="clause-status-row__number">{t("clauseStatus.clause", { number: clause.number })}</span>{" "}
          <span className="clause-status-row__excerpt">{clause.excerpt}</span>{" "}
          <span className={`clause-status-badge clause-status-badge--${clause.status}`} data-status={clause.status}>
            {label}
          </span>
        </summary>
        <fetcher.Form method="post" className="clause-status-row__form">
          <input type="hidden" name="intent" value="clause-status" />
          <input type="hidden" name="clauseId" value={clause.id} />
          {errors.form ? (
            <p className="alert alert--error" role="alert">
              {errors.form}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor={`${id}-status`}>{t("clauseStatus.statusLabel", { number: clause.number })}</label>
            <select
              id={`${id}-status`}
              name="status"
              defaultValue={clause.status}
              aria-invalid={errors.status ? true : undefined}
              aria-describedby={errors.status ? `${id}-status-error` : undefined}
            >
              {STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`clauseStatus.status.${status}`)}
                </option>
              ))}
            </select>
            {errors.status ? (
              <p className="field__error" id={`${id}-status-error`}>
                {errors.status}
              </p>
            ) : null}
          </div>
          <fieldset
            className={errors.reservingDelegations ? "clause-status-row__delegations field--error" : "clause-status-row__delegations"}
            aria-describedby={errors.reservingDelegations ? `${id}-reserving-error` : undefined}
          >
            <legend>{t("clauseStatus.reservingLabel")}</legend>
            {delegations.map((delegation) => (
              <label key={delegation.code} className="clause-status-row__delegation">
                <input
                  type="checkbox"
                  name={`reserve-${delegation.code}`}
                  value="on"
                  defaultChecked={clause.reservingDelegations.includes(delegation.code)}
                />{" "}
                {delegation.name}
              </label>
            ))}
            {errors.reservingDelegations ? (
              <p className="field__error" id={`${id}-reserving-error`}>
                {errors.reservingDelegations}
              </p>
            ) : null}
          </fieldset>
          <button type="submit" className="button" disabled={fetcher.state !== "idle"}>
            {t("clauseStatus.save", { number: clause.number })}
          </button>
          <p role="status" className="clause-status-row__saved">
            {isSaved(answer) ? t("clauseStatus.saved", { number: clause.number, status: label }) : null}
          </p>
        </fetcher.Form>
      </details>
    </li>
  );
}

function isSaved(answer: unknown): boolean {
  return savedClauseId(answer) !== undefined;
}

function savedClauseId(answer: unknown): string | undefined {
  if (!answer || typeof answer !== "object" || !("saved" in answer)) return undefined;
  const saved = answer.saved as { clauseId?: unknown } | null;
  return typeof saved?.clauseId === "string" ? saved.clauseId : undefined;
}
