import { useParams } from "@remix-run/react";
import { publicPath } from "~/utils/public-language";
import { DateTime } from "~/components/date-time";
import { t } from "../../../i18n/translate";

/**
 * What a published version's page says of its public consultation: that it is open and until when,
 * with the form for the whole text (each clause has its own link in the text); and the published
 * disposition table, when there is one.
 */
export function ConsultationNotice({
  slug,
  versionNumber,
  open,
  dispositionsPublished,
}: {
  slug: string;
  versionNumber: number;
  open: { endsAt: string | null } | null;
  dispositionsPublished: boolean;
}) {
  const { lang } = useParams();
  if (!open && !dispositionsPublished) return null;
  const base = publicPath(`/p/${encodeURIComponent(slug)}/v/${versionNumber}`, lang);
  return (
    <section className="published__consultation" aria-labelledby="consultation-title">
      <h2 id="consultation-title">{t("feedback.noticeTitle")}</h2>
      {open ? (
        <>
          <p>
            {t("feedback.noticeOpen")}{" "}
            {open.endsAt ? (
              <>
                {t("feedback.closesAt")} <DateTime value={open.endsAt} />.
              </>
            ) : (
              t("feedback.closesWithRound")
            )}
          </p>
          <p>
            <a className="button" href={`${base}/feedback`}>
              {t("feedback.onWholeText")}
            </a>{" "}
            {t("feedback.orPerClause")}
          </p>
        </>
      ) : null}
      {dispositionsPublished ? (
        <p>
          <a href={`${base}/dispositions`}>{t("feedback.dispositionsLink")}</a>
        </p>
      ) : null}
    </section>
  );
}
