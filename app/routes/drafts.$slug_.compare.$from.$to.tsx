import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { VersionCompareForm } from "~/components/version-compare-form";
import { t } from "../../i18n/translate";
import { versionNameText } from "~/utils/versions";
import { requireVersion, requireVersionsOf } from "~/utils/versions.server";
import { loadStoredText, listVersions } from "../../server/domain/versions";
import { compareTexts, describeSummary } from "../../server/versions/redline";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.heading} — ${data.draft.title} — ${t("app.name")}` : t("app.name") },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { draft } = await requireVersionsOf(context, request, params.slug);
  const older = await requireVersion(draft, params.from);
  const live = params.to === "live";
  const newer = live ? null : await requireVersion(draft, params.to);
  const newerText = newer ? newer.content : (await loadStoredText(draft.id)).node;
  const redline = compareTexts(older.content, newerText);
  const versions = await listVersions(draft.id);
  const fromLabel = t("versions.label", { number: older.number });
  const toLabel = newer ? t("versions.label", { number: newer.number }) : t("versions.liveText");
  return {
    draft: { slug: draft.slug, title: draft.title, language: draft.language },
    heading: t("versions.compareHeading", { from: fromLabel, to: toLabel }),
    from: String(older.number),
    to: newer ? String(newer.number) : "live",
    summary: describeSummary(redline.summary),
    html: redline.html,
    versions: versions.map((item) => ({ number: item.number, name: versionNameText(item.name) })),
  };
}

export default function ComparePage() {
  const { draft, heading, from, to, summary, html, versions } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="compare-title" className="compare-page">
      <p>
        <Link to={`/drafts/${draft.slug}/versions`}>{t("versions.backToList", { title: draft.title })}</Link>
      </p>
      <h1 id="compare-title">{heading}</h1>
      <p className="lead redline-summary" role="status">
        {summary}
      </p>
      <VersionCompareForm slug={draft.slug} versions={versions} from={from} to={to} />
      <form method="get" action={`/drafts/${draft.slug}/compare/${from}/${to}.docx`} className="inline-form word-download">
        <button type="submit" className="button button--quiet">
          {t("versions.word.download")}
        </button>{" "}
        <label>
          <input type="checkbox" name="comments" value="1" /> {t("versions.word.withComments")}
        </label>
      </form>
      <p className="muted redline-legend">
        <ins>{t("versions.legendInserted")}</ins> · <del>{t("versions.legendDeleted")}</del>
      </p>
      <section aria-label={t("versions.redlineLabel")} className="panel version-text" lang={draft.language} dangerouslySetInnerHTML={{ __html: html }} />
    </article>
  );
}
