import { useFetcher } from "@remix-run/react";
import { DelegationMark } from "~/components/delegation-mark";
import { DateTime } from "~/components/date-time";
import { t } from "../../../i18n/translate";
import type { AmendmentJson, SideBySide } from "~/utils/amendments.server";
import { errorsOf } from "~/utils/forms";
import type { AmendmentDelegation } from "./use-amendments";

/** What the page's action answers to an amendment form. */
export type AmendmentAnswer = { number?: string; amendment?: AmendmentJson; changed?: SideBySide; error?: string } | { errors: Record<string, string> };

/**
 * One amendment: what it changes, who tabled and supports it, where it stands, and the actions the
 * viewer may take. Adopting over text changed since tabling shows the side-by-side to confirm.
 */
export function AmendmentItem(props: {
  amendment: AmendmentJson;
  delegations: AmendmentDelegation[];
  /** The page's answer to this amendment's form, sent without JavaScript. */
  pageAnswer: unknown;
  /** Shows the amendment's words in the editor (only with JavaScript, while it is open). */
  onShow?: () => void;
}) {
  const { amendment, delegations } = props;
  const fetcher = useFetcher<AmendmentAnswer>();
  const answer = fetcher.data ?? (props.pageAnswer as AmendmentAnswer | null) ?? undefined;
  const changed = answer && "changed" in answer && answer.changed && fetcher.state === "idle" ? answer.changed : null;
  const error = errorsOf(answer).form;
  const tabling = delegations.find((delegation) => delegation.code === amendment.delegation);
  const nameOf = (code: string) => delegations.find((delegation) => delegation.code === code)?.name ?? code.toUpperCase();
  const busy = fetcher.state !== "idle";
  const { label } = amendment;

  const action = (decision: string, text: string, extra?: Record<string, string>, className = "button button--quiet button--small") => (
    <fetcher.Form method="post" key={decision}>
      <input type="hidden" name="intent" value={`amendment-${decision}`} />
      <input type="hidden" name="number" value={amendment.number} />
      {Object.entries(extra ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={className} disabled={busy}>
        {text}
      </button>
    </fetcher.Form>
  );

  return (
    <li
      className={`amendment amendment--${amendment.status}`}
      id={`amendment-${label}`}
      data-amendment={label}
      data-status={amendment.status}
      style={{ ["--redline" as string]: tabling?.colour ?? "#4a5368" }}
    >
      <header className="amendment__head">
        <strong className="amendment__label">{label}</strong>
        <span className="amendment__kind">{t(`amendments.kind.${amendment.kind}`)}</span>
        <span className={`amendment__status amendment__status--${amendment.status}`}>{t(`amendments.status.${amendment.status}`)}</span>
      </header>
      <p className="amendment__by">
        {tabling ? <DelegationMark code={tabling.code} colour={tabling.colour} /> : null}{" "}
        {t("amendments.tabledBy", { delegation: nameOf(amendment.delegation) })} · {amendment.author.name} ·{" "}
        <DateTime value={new Date(amendment.createdAt)} />
        {amendment.cosponsors.length ? (
          <>
            <br />
            {t("amendments.cosponsoredBy", { delegations: amendment.cosponsors.map(nameOf).join(", ") })}
          </>
        ) : null}
      </p>
      <p className="amendment__change">
        {amendment.kind === "insert" ? (
          <>
            {t("amendments.insertWords")} <ins className="redline-inserted">{amendment.proposed}</ins>
          </>
        ) : (
          <>
            <span className="visually-hidden">{t("common.label", { label: t("amendments.deleteWords") })} </span>
            <del className="redline-deleted">{amendment.quote}</del>
            {amendment.kind === "replace" ? (
              <>
                {" "}
                <span className="visually-hidden">{t("common.label", { label: t("amendments.replaceWith") })} </span>
                <ins className="redline-inserted">{amendment.proposed}</ins>
              </>
            ) : null}
          </>
        )}
      </p>
      <p className="amendment__rationale">
        <span className="amendment__rationale-label">{t("common.label", { label: t("amendments.rationale") })}</span> {amendment.rationale}
      </p>
      {amendment.status === "open" && amendment.current === null && amendment.kind !== "insert" ? (
        <p className="amendment__note">{t("amendments.goneNote")}</p>
      ) : amendment.status === "open" && amendment.changed ? (
        <p className="amendment__note">{t("amendments.changedNote")}</p>
      ) : null}
      {amendment.decidedBy && amendment.decidedAt ? (
        <p className="muted amendment__decided">
          {t("amendments.decidedBy", { status: t(`amendments.status.${amendment.status}`), name: amendment.decidedBy.name ?? "" })} ·{" "}
          <DateTime value={new Date(amendment.decidedAt)} />
        </p>
      ) : null}
      {error ? (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      ) : null}
      {changed ? (
        <div className="amendment__compare" role="alert">
          <h3>{t("amendments.sideBySide", { label })}</h3>
          <p>{answer && "error" in answer ? answer.error : null}</p>
          <dl className="side-by-side">
            <div>
              <dt>{t("amendments.quote")}</dt>
              <dd>{changed.quote}</dd>
            </div>
            <div>
              <dt>{t("amendments.currentText")}</dt>
              <dd>{changed.current}</dd>
            </div>
            <div>
              <dt>{t("amendments.proposedText")}</dt>
              <dd>{changed.proposed}</dd>
            </div>
          </dl>
          <div className="amendment__actions">{action("adopt", t("amendments.confirmAdopt", { label }), { confirm: "true" }, "button button--small")}</div>
        </div>
      ) : null}
      <div className="amendment__actions">
        {props.onShow ? (
          <button type="button" className="button button--quiet button--small" onClick={props.onShow}>
            {t("amendments.showWords", { label })}
          </button>
        ) : null}
        {amendment.can.cosponsor ? action("cosponsor", t("amendments.cosponsor", { label })) : null}
        {amendment.can.withdrawCosponsorship ? action("withdraw-cosponsorship", t("amendments.withdrawCosponsorship", { label })) : null}
        {amendment.can.withdraw ? action("withdraw", t("amendments.withdraw", { label }), undefined, "button button--danger button--small") : null}
        {amendment.can.decide && !changed ? action("adopt", t("amendments.adopt", { label }), undefined, "button button--small") : null}
        {amendment.can.decide ? action("reject", t("amendments.reject", { label }), undefined, "button button--danger button--small") : null}
      </div>
    </li>
  );
}
