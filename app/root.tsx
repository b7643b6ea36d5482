import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useLocation,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "~/components/nonce";
import { SiteHeader } from "~/components/site-header";
import { StepUpProvider } from "~/components/step-up";
import { currentLanguage, LANGUAGES, setPageLanguage } from "../i18n/languages";
import { t } from "../i18n/translate";
import { languagePath, withoutLanguage } from "~/utils/public-language";
import styles from "~/styles/app.css?url";
import { listNotifications } from "../server/domain/notifications";
import { mustEnrol } from "../server/auth/step-up";
import { ENROLMENT_PATH, openWhileEnrolling } from "../server/http/enrolment-gate";
import { stepUpState } from "~/utils/step-up.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ error }) => {
  if (!error) return [{ title: t("app.name") }];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = status === 404 ? t("error.notFoundTitle") : status === 403 ? t("error.forbiddenTitle") : t("error.title");
  return [{ title: `${title} — ${t("app.name")}` }];
};

export async function loader({ context, request }: LoaderFunctionArgs) {
  const session = context.session;
  const language = context.language;
  if (!session) return { user: null, language, origin: context.origin, secondFactor: null };
  const { user } = session;
  // The server holds page requests at the set-up page already; this catches the app's own navigations.
  if (mustEnrol(user)) {
    const url = new URL(request.url);
    // A navigation's data request names the page as `<path>.data`: the way back is the page.
    const page = url.pathname === "/_root.data" ? "/" : url.pathname.replace(/\.data$/, "");
    url.searchParams.delete("_routes");
    if (!openWhileEnrolling(page)) throw redirect(`${ENROLMENT_PATH}?redirectTo=${encodeURIComponent(page + url.search)}`);
  }
  const { unread } = await listNotifications(user, 1);
  return {
    user: { displayName: user.displayName, role: user.role, delegationCode: user.delegationCode, unread },
    language,
    origin: context.origin,
    secondFactor: stepUpState(session),
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const language = data?.language ?? currentLanguage();
  setPageLanguage(language);
  return (
    <html lang={language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <LanguageAlternates origin={data?.origin ?? ""} />
      </head>
      <body>
        <a href="#main" className="skip-link">
          {t("nav.skip")}
        </a>
        <SiteHeader user={data?.user ?? null} language={language} />
        <StepUpProvider state={data?.secondFactor ?? null}>
          <main id="main" className="page" tabIndex={-1}>
            {children}
          </main>
        </StepUpProvider>
        <footer className="site-footer">
          <p>{t("footer.text")}</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * On the public site, the same page in each language (`hreflang`), and the address that answers in
 * the reader's own (`x-default`).
 */
function LanguageAlternates({ origin }: { origin: string }) {
  const location = useLocation();
  const matches = useMatches();
  if (!matches.some((match) => match.id.startsWith("routes/($lang)"))) return null;
  const path = withoutLanguage(location.pathname);
  return (
    <>
      {LANGUAGES.map((language) => (
        <link key={language} rel="alternate" hrefLang={language} href={`${origin}${languagePath(path, language)}`} />
      ))}
      <link rel="alternate" hrefLang="x-default" href={`${origin}${path}`} />
    </>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, text] =
    status === 404
      ? [t("error.notFoundTitle"), t("error.notFound")]
      : status === 403
        ? [t("error.forbiddenTitle"), t("error.forbidden")]
        : status === 400
          ? [t("error.badRequestTitle"), isRouteErrorResponse(error) ? String(error.data) : t("error.text")]
          : [t("error.title"), t("error.text")];
  return (
    <section className="error-page">
      <p className="error-page__status">{status}</p>
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link to="/">{t("error.backHome")}</Link>
      </p>
    </section>
  );
}
