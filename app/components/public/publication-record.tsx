import { t, type MessageKey } from "../../../i18n/translate";
import type { PublicRecord } from "~/utils/public.server";

/**
 * The amendments tabled on a published text and where its clauses stood when it was published,
 * attributed as the publication says (the server has already written who, or "a delegation").
 */
export function PublicationRecordSection({ record, language }: { record: PublicRecord; language: string }) {
  return (
    <section className="published__record" aria-labelledby="record-title">
      <h2 id="record-title">{t("public.record.title")}</h2>
      <p className="muted">{t("public.record.intro")}</p>
      <h3>{t("public.record.amendments")}</h3>
      {record.amendments.length === 0 ? (
        <p>{t("public.record.noAmendments")}</p>
      ) : (
        <ol className="published__amendments">
          {record.amendments.map((amendment) => (
            <li key={amendment.label} data-testid="public-amendment">
              <p>
                <strong>{amendment.label}</strong>{" "}
                {[
                  t(`public.record.kind.${amendment.kind}` as MessageKey),
                  t(`public.record.status.${amendment.status}` as MessageKey),
                  [amendment.tabledBy, amendment.cosponsoredBy].filter(Boolean).join(", "),
                ].join(" · ")}
              </p>
              <p>
                {amendment.kind === "delete" ? (
                  <>
                    {t("public.record.deleting")} <del lang={language}>{amendment.quote}</del>
                  </>
                ) : (
                  <>
                    {t("public.record.proposes")} <ins lang={language}>{amendment.proposed}</ins>
                    {amendment.kind === "replace" ? (
                      <>
                        {" "}
                        {t("public.record.replacing")} <del lang={language}>{amendment.quote}</del>
                      </>
                    ) : null}
                  </>
                )}
              </p>
              {amendment.rationale ? (
                <p className="muted">
                  {t("common.label", { label: t("public.record.rationale") })} {amendment.rationale}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <h3>{t("public.record.motions")}</h3>
      {record.motions.length === 0 ? (
        <p>{t("public.record.noMotions")}</p>
      ) : (
        <ol className="published__motions">
          {record.motions.map((motion) => (
            <li key={motion.label} data-testid="public-motion">
              <p>
                <strong>{motion.label}</strong> {[motion.question, motion.rule, motion.result].join(" · ")}
              </p>
              <p>{[motion.reason, motion.tally].join(" ")}</p>
              {motion.ballots ? (
                <p className="muted">
                  {t("common.label", { label: t("public.record.ballots") })} {motion.ballots}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <h3>{t("public.record.positions")}</h3>
      {record.positions.length === 0 ? (
        <p>{t("public.record.noPositions")}</p>
      ) : (
        <ul className="published__positions">
          {record.positions.map((position) => (
            <li key={position.anchor} data-testid="public-position">
              <a href={`#${position.anchor}`}>{t("public.record.clause", { number: position.number })}</a>:{" "}
              {[t(`public.record.position.${position.status}` as MessageKey), position.reservedBy].filter(Boolean).join(", ")}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
