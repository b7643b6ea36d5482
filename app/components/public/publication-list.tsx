import { publicPath } from "~/utils/public-language";
import { Form, useParams } from "@remix-run/react";
import { DateTime } from "~/components/date-time";
import { t } from "../../../i18n/translate";
import type { Publication } from "../../../server/domain/publications";

type Row = Pick<Publication, "versionNumber" | "statusLabel" | "publicTitle" | "publishedAt">;

/**
 * Every published version of a text, newest first, each compared with the one before it, and a
 * form (a plain GET, no script needed) to compare any two.
 */
export function PublicationList({ slug, publications }: { slug: string; publications: Row[] }) {
  const base = publicPath(`/p/${encodeURIComponent(slug)}`, useParams().lang);
  const [newest, second] = publications;
  return (
    <section className="published__versions" aria-labelledby="versions-title">
      <h2 id="versions-title">{t("public.publications")}</h2>
      <table>
        <caption className="visually-hidden">{t("public.publicationsTable")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("public.column.version")}</th>
            <th scope="col">{t("public.column.title")}</th>
            <th scope="col">{t("public.column.status")}</th>
            <th scope="col">{t("public.column.date")}</th>
            <th scope="col">{t("public.column.compare")}</th>
          </tr>
        </thead>
        <tbody>
          {publications.map((publication, index) => {
            const previous = publications[index + 1];
            return (
              <tr key={publication.versionNumber}>
                <th scope="row">
                  <a href={`${base}/v/${publication.versionNumber}`}>{t("public.version", { number: publication.versionNumber })}</a>
                </th>
                <td>{publication.publicTitle}</td>
                <td>{publication.statusLabel}</td>
                <td>
                  <DateTime value={publication.publishedAt} />
                </td>
                <td>
                  {previous ? (
                    <a href={`${base}/compare/${previous.versionNumber}/${publication.versionNumber}`}>
                      {t("public.compareWithPrevious", { from: previous.versionNumber, to: publication.versionNumber })}
                    </a>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {newest && second ? (
        <Form method="get" action={`${base}/compare`} className="published__compare-form" reloadDocument>
          <fieldset>
            <legend>{t("public.compareForm")}</legend>
            <label>
              {t("public.compareFrom")}{" "}
              <select name="from" defaultValue={second.versionNumber}>
                {publications.map((publication) => (
                  <option key={publication.versionNumber} value={publication.versionNumber}>
                    {t("public.version", { number: publication.versionNumber })}
                  </option>
                ))}
              </select>
            </label>{" "}
            <label>
              {t("public.compareTo")}{" "}
              <select name="to" defaultValue={newest.versionNumber}>
                {publications.map((publication) => (
                  <option key={publication.versionNumber} value={publication.versionNumber}>
                    {t("public.version", { number: publication.versionNumber })}
                  </option>
                ))}
              </select>
            </label>{" "}
            <button type="submit">{t("public.compareSubmit")}</button>
          </fieldset>
        </Form>
      ) : null}
      <p>
        <a href={`${base}/feed.xml`} type="application/atom+xml">
          {t("public.feed")}
        </a>
      </p>
    </section>
  );
}
