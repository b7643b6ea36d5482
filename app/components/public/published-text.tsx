import { useParams } from "@remix-run/react";
import { publicPath } from "~/utils/public-language";
import type { ReactNode } from "react";
import { DateTime } from "~/components/date-time";
import { t, type MessageKey } from "../../../i18n/translate";
import type { PublicPageData } from "~/utils/public.server";
import { PublicationRecordSection } from "./publication-record";

const DOWNLOADS = ["pdf", "docx", "md", "html"] as const;

/**
 * A published version as the public reads it: its title, status, dates and hash, a table of
 * contents, downloads, and the text as published (with its square brackets or clean, as the
 * publication says) with an anchor on every clause. `children` come between the downloads and the
 * text (the list of all publications, on the latest version's page).
 */
export function PublishedText({ data, children }: { data: PublicPageData; children?: ReactNode }) {
  const { publication, outline } = data;
  const base = publicPath(`/p/${encodeURIComponent(publication.draftSlug)}/v/${publication.versionNumber}`, useParams().lang);
  return (
    <article className="published" aria-labelledby="published-title">
      <header className="published__header">
        <p className="published__status" lang={publication.language}>
          {publication.statusLabel}
        </p>
        <h1 id="published-title" lang={publication.language}>
          {publication.publicTitle}
        </h1>
        {publication.summary ? (
          <p className="lead" lang={publication.language}>
            {publication.summary}
          </p>
        ) : null}
        <p className="published__language" data-testid="text-language">
          {t("public.textLanguage", { language: t(`language.name.${publication.language}`) })}
        </p>
        <dl className="published__facts" aria-label={t("public.facts")}>
          <div>
            <dt>{t("public.factVersion")}</dt>
            <dd>
              <a href={base}>{t("public.version", { number: publication.versionNumber })}</a>
            </dd>
          </div>
          <div>
            <dt>{t("public.factDate")}</dt>
            <dd>
              <DateTime value={publication.versionDate} />
            </dd>
          </div>
          <div>
            <dt>{t("public.factPublished")}</dt>
            <dd>
              <DateTime value={publication.publishedAt} />
            </dd>
          </div>
          <div>
            <dt>{t("public.factStatus")}</dt>
            <dd lang={publication.language}>{publication.statusLabel}</dd>
          </div>
          <div className="published__hash">
            <dt>{t("public.factHash")}</dt>
            <dd>
              <code>{publication.sha256}</code>
            </dd>
          </div>
          <div>
            <dt>{t("public.factAttribution")}</dt>
            <dd>{t(`public.attribution.${publication.attribution}` satisfies MessageKey)}</dd>
          </div>
        </dl>
        <p className="published__permalink">
          {t("common.label", { label: t("public.permalink") })} <a href={base}>{data.permalink}</a>
        </p>
      </header>

      <nav className="published__toc" aria-labelledby="toc-title">
        <h2 id="toc-title">{t("public.contents")}</h2>
        <ol lang={publication.language}>
          {outline.map((section) => (
            <li key={section.number}>
              {section.anchor ? (
                <a href={`#${section.anchor}`}>{`${section.number}. ${section.heading}`}</a>
              ) : (
                <span>{`${section.number}. ${section.heading}`}</span>
              )}
              {section.clauses.length > 0 ? (
                <ol>
                  {section.clauses.map((clause) => (
                    <li key={clause.anchor}>
                      <a href={`#${clause.anchor}`}>{clause.number}</a> {clause.excerpt}
                    </li>
                  ))}
                </ol>
              ) : null}
            </li>
          ))}
        </ol>
      </nav>

      <section className="published__downloads" aria-labelledby="downloads-title">
        <h2 id="downloads-title">{t("public.downloads")}</h2>
        <ul>
          {DOWNLOADS.map((format) => (
            <li key={format}>
              <a href={`${base}.${format}`} download>
                {t(`public.download.${format}`)}
              </a>
            </li>
          ))}
        </ul>
      </section>

      {children}

      {data.brackets ? <p className="published__brackets">{t(`public.brackets.${data.brackets}`)}</p> : null}
      {/* Rendered on the server from the stored version, every piece of text escaped. */}
      <div className="published__text" lang={publication.language} dangerouslySetInnerHTML={{ __html: data.html }} />

      <PublicationRecordSection record={data.record} language={publication.language} />
    </article>
  );
}
