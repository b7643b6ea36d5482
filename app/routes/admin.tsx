import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { t, type MessageKey } from "../../i18n/translate";
import { authorize, requireUser } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${t("admin.title")} — ${t("app.name")}` }];

// Each child checks again: Remix runs the loaders of a page side by side, not one after another.
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "admin.view", { type: "site" });
  return null;
}

const SECTIONS: { to: string; label: MessageKey }[] = [
  { to: "/admin/accounts", label: "admin.tab.accounts" },
  { to: "/admin/invitations", label: "admin.tab.invitations" },
  { to: "/admin/delegations", label: "admin.tab.delegations" },
  { to: "/admin/security", label: "admin.tab.security" },
  { to: "/admin/audit", label: "admin.tab.audit" },
];

export default function Admin() {
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <nav aria-label={t("admin.nav")}>
        <ul className="tabs">
          {SECTIONS.map((section) => (
            <li key={section.to}>
              <NavLink to={section.to} prefetch="intent">
                {t(section.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
