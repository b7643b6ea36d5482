import { isAddressLanguage } from "./public-language";
import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { can, type Action, type Actions } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";

/** The signed-in user, or null. */
export function getUser(context: AppLoadContext): SessionUser | null {
  return context.session?.user ?? null;
}

/** The signed-in user; otherwise redirects to sign-in and back here afterwards. */
export function requireUser(context: AppLoadContext, request: Request): SessionUser {
  const user = getUser(context);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/** The current session's id and user; otherwise redirects to sign-in. */
export function requireSession(context: AppLoadContext, request: Request) {
  requireUser(context, request);
  const session = context.session;
  if (!session) throw redirect("/login");
  return session;
}

/** Throws 403 unless the policy lets `user` do `action` to `resource`. */
export function authorize<A extends Action>(user: SessionUser, action: A, resource: Actions[A]): void {
  if (!can(user, action, resource)) throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
}

/** A 404 to throw for a record that does not exist or that the user may not know exists. */
export function notFound(): Response {
  return new Response("Not Found", { status: 404, statusText: "Not Found" });
}

/** Throws 404 unless the address's optional language segment is absent or a language Accord speaks. */
export function requireAddressLanguage(params: { lang?: string }): void {
  if (!isAddressLanguage(params.lang)) throw notFound();
}
