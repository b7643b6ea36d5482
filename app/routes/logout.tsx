import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearedSessionCookie } from "../../server/auth/cookie";
import { invalidateSession } from "../../server/auth/session";
import { recordAudit } from "../../server/domain/audit";

export async function loader() {
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  const session = context.session;
  if (session) {
    await invalidateSession(context.live, session.id);
    await recordAudit({ actor: session.user, action: "sign-out", target: { type: "user", id: session.user.id } });
  }
  return redirect("/", { headers: { "Set-Cookie": clearedSessionCookie(context.secureCookies) } });
}
