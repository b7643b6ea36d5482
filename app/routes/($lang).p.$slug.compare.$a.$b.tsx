import { publicPath } from "~/utils/public-language";
import { requireAddressLanguage } from "~/utils/session.server";
import { data, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { t } from "../../i18n/translate";
import { publicCacheHeaders, publicEtag } from "~/utils/http-cache.server";
import { bracketsEtagParts, requirePublishedText, versionNumberParam } from "~/utils/public.server";
import styles from "~/styles/public.css?url";
import { compareTexts, describeSummary } from "../../server/versions/redline";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data: page }) =>
  page ? [{ title: `${t("common.labelled", { label: page.title, value: t("public.compareTitle", { from: page.from.versionNumber, to: page.to.versionNumber }) })} — ${t("app.name")}` }] : [];

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

/**
 * `GET /p/<slug>/compare/<a>/<b>`: the redline from published version a to published version b,
 * clause by clause and word by word. Both are fixed, so the comparison is too.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  requireAddressLanguage(params);
  const from = await requirePublishedText(params.slug, versionNumberParam(params.a));
  const to = await requirePublishedText(params.slug, versionNumberParam(params.b));
  // Each side as it was published: a clean publication's brackets are not compared, since they were never public.
  const redline = compareTexts(from.content, to.content);
  const etag = publicEtag([
    "compare",
    from.sha256.slice(0, 16),
    to.sha256.slice(0, 16),
    `v${from.versionNumber}`,
    ...bracketsEtagParts(from),
    `v${to.versionNumber}`,
    ...bracketsEtagParts(to),
  ]);
  const side = ({ versionNumber, statusLabel, versionDate, sha256 }: typeof from) => ({ versionNumber, statusLabel, versionDate, sha256 });
  return data(
    {
      slug: to.draftSlug,
      title: to.publicTitle,
      language: to.language,
      from: side(from),
      to: side(to),
      summary: describeSummary(redline.summary),
      // The page's heading says what is compared; the title of the text follows as a line.
      html: redline.html.replace(/<h1 class="doc-title([^"]*)">(.*?)<\/h1>/, '<p class="doc-title$1">$2</p>'),
    },
    { headers: publicCacheHeaders({ etag, immutable: true, context }) },
  );
}

export default function ComparePublications() {
  const { lang } = useParams();
  const page = useLoaderData<typeof loader>();
  const base = publicPath(`/p/${encodeURIComponent(page.slug)}`, lang);
  return (
    <article className="published published--compare" aria-labelledby="compare-title">
      <header className="published__header">
        <p className="published__status" lang={page.language}>
          {page.title}
        </p>
        <h1 id="compare-title">{t("public.compareTitle", { from: page.from.versionNumber, to: page.to.versionNumber })}</h1>
        <p className="lead" role="status">
          <strong>{t("common.label", { label: t("public.compareSummary") })}</strong> {page.summary}
        </p>
        <p className="muted">{t("public.compareLegend")}</p>
        <ul className="published__sides">
          {[page.from, page.to].map((side) => (
            <li key={side.versionNumber}>
              <a href={`${base}/v/${side.versionNumber}`}>{t("public.compareRead", { number: side.versionNumber })}</a> · {side.statusLabel} ·{" "}
              <code>{side.sha256}</code>
            </li>
          ))}
        </ul>
        <p>
          <a href={base}>{t("public.allVersions")}</a>
        </p>
      </header>
      {/* Rendered on the server from the two stored versions, every piece of text escaped. */}
      <div className="published__text" lang={page.language} dangerouslySetInnerHTML={{ __html: page.html }} />
    </article>
  );
}
