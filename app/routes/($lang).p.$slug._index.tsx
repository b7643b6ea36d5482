import { publicPath } from "~/utils/public-language";
import { requireAddressLanguage } from "~/utils/session.server";
import { data, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { PublicationList } from "~/components/public/publication-list";
import { ConsultationNotice } from "~/components/public/consultation-notice";
import { PublishedText } from "~/components/public/published-text";
import { t } from "../../i18n/translate";
import { consultationEtagParts, consultationState, withFeedbackLinks } from "~/utils/feedback.server";
import { publicCacheHeaders, publicEtag } from "~/utils/http-cache.server";
import { bracketsEtagParts, publicPageData, requirePublishedText } from "~/utils/public.server";
import styles from "~/styles/public.css?url";
import { listPublications } from "../../server/domain/publications";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data: page, params }) =>
  page
    ? [
        { title: `${page.publication.publicTitle} — ${t("app.name")}` },
        { name: "description", content: page.publication.summary || page.publication.publicTitle },
        { tagName: "link", rel: "canonical", href: page.permalink },
        { tagName: "link", rel: "alternate", type: "application/atom+xml", href: publicPath(`/p/${params.slug ?? ""}/feed.xml`, params.lang), title: t("public.feed") },
      ]
    : [];

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

/** `GET /p/<slug>`: the latest published version of a draft, and every published version of it. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  requireAddressLanguage(params);
  const text = await requirePublishedText(params.slug);
  const publications = await listPublications(text.draftSlug);
  const consultation = await consultationState(text, context.session?.user ?? null);
  // A new publication or a change in the consultation changes what this page shows: the ETag names
  // the latest, how many there are, and the consultation's state.
  const etag = publicEtag(["latest", text.sha256.slice(0, 32), `v${text.versionNumber}`, ...bracketsEtagParts(text), `n${publications.length}`, ...consultationEtagParts(consultation)]);
  const headers = publicCacheHeaders({ etag, immutable: false, context });
  const page = publicPageData(text, context.origin);
  return data(
    {
      ...page,
      html: consultation.open ? withFeedbackLinks(page.html, text.draftSlug, text.versionNumber, params.lang) : page.html,
      consultation,
      // A consultation open on another published version than this latest one.
      consultedVersion: consultation.open ? null : (publications.find((publication) => publication.versionId === consultation.openVersionId)?.versionNumber ?? null),
      publications: publications.map(({ versionNumber, statusLabel, publicTitle, publishedAt }) => ({ versionNumber, statusLabel, publicTitle, publishedAt })),
    },
    { headers },
  );
}

export default function LatestPublication() {
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
      {page.consultedVersion ? (
        <p className="published__consultation">
          <a href={publicPath(`/p/${encodeURIComponent(page.publication.draftSlug)}/v/${page.consultedVersion}`, lang)}>
            {t("feedback.openOnVersion", { number: page.consultedVersion })}
          </a>
        </p>
      ) : null}
      <PublicationList slug={page.publication.draftSlug} publications={page.publications} />
    </PublishedText>
  );
}
