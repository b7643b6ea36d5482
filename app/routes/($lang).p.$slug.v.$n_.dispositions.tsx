import { publicPath } from "~/utils/public-language";
import { data, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { DispositionTable } from "~/components/disposition-table";
import { t } from "../../i18n/translate";
import { dispositionsDigest, dispositionTables } from "~/utils/consultation.server";
import { publicCacheHeaders, publicEtag } from "~/utils/http-cache.server";
import { requirePublishedText, versionNumberParam } from "~/utils/public.server";
import { notFound, requireAddressLanguage } from "~/utils/session.server";
import styles from "~/styles/public.css?url";
import { findDraftBySlug } from "../../server/domain/drafts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data: page }) =>
  page ? [{ title: `${t("consultation.publicTitle", { title: page.publicTitle })} — ${t("app.name")}` }] : [];

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

/**
 * `GET /p/<slug>/v/<n>/dispositions`: a version's disposition table, once the secretariat has
 * published it (404 before, like anything unpublished). Answers may still change, so the page is
 * revalidated, its ETag taken from what it shows.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  requireAddressLanguage(params);
  const text = await requirePublishedText(params.slug, versionNumberParam(params.n));
  const draft = await findDraftBySlug(text.draftSlug);
  if (!draft) throw notFound();
  const [table] = await dispositionTables(draft, text.versionId);
  if (!table?.publishedAt) throw notFound();
  const headers = publicCacheHeaders({ etag: publicEtag(["dispositions", dispositionsDigest(table), `v${text.versionNumber}`]), immutable: false, context });
  return data({ slug: text.draftSlug, versionNumber: text.versionNumber, publicTitle: text.publicTitle, lines: table.lines }, { headers });
}

export default function PublishedDispositions() {
  const { lang } = useParams();
  const page = useLoaderData<typeof loader>();
  const versionUrl = publicPath(`/p/${encodeURIComponent(page.slug)}/v/${page.versionNumber}`, lang);
  return (
    <article className="published" aria-labelledby="dispositions-title">
      <p>
        <a href={versionUrl}>{t("feedback.backToText", { title: page.publicTitle })}</a>
      </p>
      <h1 id="dispositions-title">{t("consultation.publicTitle", { title: page.publicTitle })}</h1>
      <p className="lead">{t("consultation.publicIntro", { number: page.versionNumber })}</p>
      {page.lines.length === 0 ? <p>{t("consultation.noDispositions")}</p> : null}
      <DispositionTable caption={t("consultation.tableCaption", { number: page.versionNumber })} lines={page.lines} />
    </article>
  );
}
