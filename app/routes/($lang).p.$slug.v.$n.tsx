import { publicPath } from "~/utils/public-language";
import { requireAddressLanguage } from "~/utils/session.server";
import { data, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { ConsultationNotice } from "~/components/public/consultation-notice";
import { PublishedText } from "~/components/public/published-text";
import { t } from "../../i18n/translate";
import { consultationEtagParts, consultationState, withFeedbackLinks } from "~/utils/feedback.server";
import { publicCacheHeaders, publicEtag } from "~/utils/http-cache.server";
import { bracketsEtagParts, publicPageData, requirePublishedText, versionNumberParam } from "~/utils/public.server";
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
 * `GET /p/<slug>/v/<n>`: one published version. Its text never changes, so the page says nothing
 * that would (such as which version is the latest): it links to the draft's page for that. Its
 * public consultation does change (the form comes and goes with the phase), so the page is
 * revalidated rather than immutable, and its ETag names the consultation's state.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  requireAddressLanguage(params);
  const text = await requirePublishedText(params.slug, versionNumberParam(params.n));
  const consultation = await consultationState(text, context.session?.user ?? null);
  const etag = publicEtag([text.sha256.slice(0, 32), `v${text.versionNumber}`, ...bracketsEtagParts(text), ...consultationEtagParts(consultation)]);
  const headers = publicCacheHeaders({ etag, immutable: false, context });
  const page = publicPageData(text, context.origin);
  return data(
    { ...page, html: consultation.open ? withFeedbackLinks(page.html, text.draftSlug, text.versionNumber, params.lang) : page.html, consultation },
    { headers },
  );
}

export default function PublishedVersion() {
  const { lang } = useParams();
  const page = useLoaderData<typeof loader>();
  return (
    <PublishedText data={page}>
      <ConsultationNotice
        slug={page.publication.draftSlug}
        versionNumber={page.publication.versionNumber}
        open={page.consultation.open}
        dispositionsPublished={page.consultation.dispositionsPublished}
      />
      <p className="published__all">
        <a href={publicPath(`/p/${encodeURIComponent(page.publication.draftSlug)}`, lang)}>{t("public.allVersions")}</a>
      </p>
    </PublishedText>
  );
}
