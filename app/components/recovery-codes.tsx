import { Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { t } from "../../i18n/translate";

/**
 * Recovery codes, shown once: the page that made them is the only place they appear. Offers them
 * as a text file to keep, and the way on when the person was sent here to set up a factor.
 */
export function RecoveryCodes({ codes, continueTo, renewed }: { codes: string[]; continueTo: string | null; renewed: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [codes]);
  const file = `data:text/plain;charset=utf-8,${encodeURIComponent(`${t("security.recovery.fileTitle")}\n\n${codes.join("\n")}\n`)}`;
  return (
    <section aria-labelledby="new-codes-title" className="panel recovery-codes">
      <h2 id="new-codes-title" ref={heading} tabIndex={-1}>
        {t("security.recovery.newTitle")}
      </h2>
      <p>{t(renewed ? "security.recovery.renewedText" : "security.recovery.newText")}</p>
      <ol className="recovery-codes__list" aria-label={t("security.recovery.listLabel")}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p className="recovery-codes__actions">
        <a href={file} download="accord-recovery-codes.txt" className="button button--quiet">
          {t("security.recovery.download")}
        </a>
        {continueTo ? (
          <Link to={continueTo} className="button">
            {t("security.continue")}
          </Link>
        ) : null}
      </p>
    </section>
  );
}
