import { data, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PublishedText } from "~/components/public/published-text";
import { t } from "~/i18n/translate";
import { publicCacheHeaders, publicEtag } from "~/utils/http-cache.server";
import { publicPageData, requirePublishedText, versionNumberParam } from "~/utils/public.server";
import styles from "~/styles/public.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data: page }) =>
  page
    ? [
        { title: `${page.publication.publicTitle} (${t("public.version", { number: page.publication.versionNumber })}) — ${t("app.name")}` },
        { name: "description", content: page.publication.summary || page.publication.publicTitle },
      ]
    : [];

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

/**
 * `GET /p/<slug>/v/<n>`: one published version. It never changes, so the page says nothing that
 * would (such as which version is the latest): it links to the draft's page for that.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const text = await requirePublishedText(params.slug, versionNumberParam(params.n));
  const headers = publicCacheHeaders({ etag: publicEtag([text.sha256.slice(0, 32), `v${text.versionNumber}`]), immutable: true, context });
  return data(publicPageData(text, context.origin), { headers });
}

export default function PublishedVersion() {
  const page = useLoaderData<typeof loader>();
  return (
    <PublishedText data={page}>
      <p className="published__all">
        <a href={`/p/${encodeURIComponent(page.publication.draftSlug)}`}>{t("public.allVersions")}</a>
      </p>
    </PublishedText>
  );
}
