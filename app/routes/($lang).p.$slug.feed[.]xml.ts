import { currentLanguage } from "../../i18n/languages";
import { publicPath } from "~/utils/public-language";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { t } from "../../i18n/translate";
import { notModified, publicCacheHeaders, publicEtag } from "~/utils/http-cache.server";
import { publicationUrl } from "~/utils/public.server";
import { notFound, requireAddressLanguage } from "~/utils/session.server";
import { listPublications } from "../../server/domain/publications";
import { renderAtom } from "../../server/render/atom";

/** `GET /p/<slug>/feed.xml`: an Atom feed of a draft's publications, newest version first. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireAddressLanguage(params);
  const publications = await listPublications(params.slug ?? "");
  const [latest] = publications;
  if (!latest) throw notFound();
  const etag = publicEtag(["feed", ...publications.map((publication) => `${publication.versionNumber}.${publication.sha256.slice(0, 8)}`)]);
  const headers = publicCacheHeaders({ etag, immutable: false, context, personal: false });
  const cached = notModified(request, headers);
  if (cached) return cached;

  const page = `${context.origin}${publicPath(`/p/${encodeURIComponent(latest.draftSlug)}`, params.lang)}`;
  const xml = renderAtom({
    id: page,
    title: t("public.feedTitle", { title: latest.publicTitle }),
    selfUrl: `${page}/feed.xml`,
    pageUrl: page,
    // The feed's own words (its title, the entries' labels) are in the reader's language.
    lang: currentLanguage(),
    author: t("public.publisher"),
    fallbackUpdated: latest.publishedAt,
    entries: publications.map((publication) => {
      // The entry's id is the same in every language's feed; its link stays in this feed's language.
      const id = publicationUrl(publication, context.origin);
      const url = `${context.origin}${publicPath(`/p/${encodeURIComponent(publication.draftSlug)}/v/${publication.versionNumber}`, params.lang)}`;
      return {
        id,
        url,
        title: t("public.feedEntryTitle", { title: publication.publicTitle, number: publication.versionNumber, status: publication.statusLabel }),
        published: publication.publishedAt,
        updated: publication.publishedAt,
        summary: publication.summary || publication.publicTitle,
        author: t("public.publisher"),
        enclosures: [
          { url: `${url}.pdf`, type: "application/pdf" },
          { url: `${url}.docx`, type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        ],
      };
    }),
  });
  headers.set("Content-Type", "application/atom+xml; charset=utf-8");
  return new Response(xml, { headers });
}
