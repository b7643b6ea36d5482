import { publicPath } from "~/utils/public-language";
import { requireAddressLanguage } from "~/utils/session.server";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { DateTime } from "~/components/date-time";
import { t } from "../../i18n/translate";
import styles from "~/styles/public.css?url";
import { listDelegations } from "../../server/domain/delegations";
import { listPublishedDrafts } from "../../server/domain/publications";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [
  { title: `${t("app.name")} — ${t("app.tagline")}` },
  { name: "description", content: t("home.intro") },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  requireAddressLanguage(params);
  const published = (await listPublishedDrafts()).map(({ slug, latest, publicationCount }) => ({
    slug,
    publicationCount,
    title: latest.publicTitle,
    language: latest.language,
    summary: latest.summary,
    statusLabel: latest.statusLabel,
    versionNumber: latest.versionNumber,
    publishedAt: latest.publishedAt,
  }));
  return { delegations: await listDelegations(), signedIn: Boolean(context.session), published };
}

export default function Home() {
  const { lang } = useParams();
  const { delegations, signedIn, published } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t("home.title")}</h1>
        <p className="lead">{t("home.intro")}</p>
        {signedIn ? null : (
          <p>
            {t("home.signInPrompt")} <Link to="/login">{t("nav.signIn")}</Link>
          </p>
        )}
      </section>
      <div className="grid">
        <section aria-labelledby="what-title">
          <h2 id="what-title">{t("home.whatTitle")}</h2>
          <p>{t("home.what")}</p>
        </section>
        <section aria-labelledby="how-title">
          <h2 id="how-title">{t("home.howTitle")}</h2>
          <p>{t("home.how")}</p>
        </section>
      </div>
      <section aria-labelledby="published-title" className="panel">
        <h2 id="published-title">{t("home.publishedTitle")}</h2>
        {published.length === 0 ? (
          <p className="muted">{t("home.publishedEmpty")}</p>
        ) : (
          <ul className="published-list">
            {published.map((text) => (
              <li key={text.slug}>
                <h3>
                  <Link to={publicPath(`/p/${encodeURIComponent(text.slug)}`, lang)} lang={text.language}>
                    {text.title}
                  </Link>
                </h3>
                <p className="muted">
                  {t("public.homeVersionLine", { number: text.versionNumber, status: text.statusLabel })}{" "}
                  <DateTime value={text.publishedAt} /> ·{" "}
                  {t("public.homeCount", { count: text.publicationCount })} ·{" "}
                  {t("drafts.textIn", { language: t(`language.name.${text.language}`) })}
                </p>
                {text.summary ? <p lang={text.language}>{text.summary}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="delegations-title">
        <h2 id="delegations-title">{t("home.delegationsTitle")}</h2>
        <ul className="delegation-list">
          {delegations.map((delegation) => (
            <li key={delegation.code}>
              <span className="swatch" aria-hidden="true" style={{ background: delegation.colour }} />
              {delegation.name}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
