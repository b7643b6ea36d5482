import { Form, Link, NavLink } from "@remix-run/react";
import { t } from "../../i18n/translate";
import type { Language } from "../../i18n/languages";
import { LanguageSwitch } from "./language-switch";
import { NotificationsMenu } from "./notifications-menu";
import type { Role } from "../../server/auth/roles";

/** What the header needs to know of the signed-in person. */
export interface HeaderUser {
  displayName: string;
  role: Role;
  delegationCode: string | null;
  /** Unread notifications, as the page loaded them. */
  unread: number;
}

/** The site's banner: brand, main navigation, and the account menu. */
export function SiteHeader({ user, language }: { user: HeaderUser | null; language: Language }) {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          <span className="brand__name">{t("app.name")}</span>
        </Link>
        <nav aria-label={t("nav.main")} className="site-nav">
          <ul>
            {user ? (
              <>
                <li>
                  <NavLink to="/drafts">{t("nav.drafts")}</NavLink>
                </li>
                {user.delegationCode ? (
                  <li>
                    <NavLink to={`/delegations/${user.delegationCode}`}>{t("nav.delegation")}</NavLink>
                  </li>
                ) : null}
                {user.role === "secretariat" ? (
                  <li>
                    <NavLink to="/admin">{t("nav.admin")}</NavLink>
                  </li>
                ) : null}
                <li>
                  <NavLink to="/account">{t("nav.account")}</NavLink>
                </li>
              </>
            ) : null}
          </ul>
        </nav>
        <div className="site-header__account">
          <LanguageSwitch current={language} />
          {user ? (
            <>
              <NotificationsMenu unread={user.unread} />
              <span className="site-header__who">{t("nav.signedInAs", { name: user.displayName })}</span>
              <Form method="post" action="/logout">
                <button type="submit" className="button button--quiet">
                  {t("nav.signOut")}
                </button>
              </Form>
            </>
          ) : (
            <Link to="/login" className="button button--quiet">
              {t("nav.signIn")}
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
