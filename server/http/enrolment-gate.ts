import type { RequestHandler } from "express";
import type { Session } from "../auth/session";
import { t } from "../../i18n/translate";
import { mustEnrol } from "../auth/step-up";

/** Where a person whose role needs a second factor, and who has none, sets one up. */
export const ENROLMENT_PATH = "/account/security";

// What such a person may still reach: the set-up page (its data and its passkey steps), signing
// out, the route manifest the page's scripts ask for, and switching the interface language.
const OPEN_PATHS = ["/logout", "/logout.data", "/__manifest", "/language", "/language.data"];

/** Whether a path is the set-up page or one of its steps. */
export function isEnrolmentPath(path: string): boolean {
  return path === ENROLMENT_PATH || path.startsWith(`${ENROLMENT_PATH}/`) || path.startsWith(`${ENROLMENT_PATH}.`);
}

/** Whether a person who must set up a second factor may reach a path before they have. */
export function openWhileEnrolling(path: string): boolean {
  return OPEN_PATHS.includes(path) || isEnrolmentPath(path);
}

/**
 * Holds a signed-in person whose role must have a second factor and who has none at the set-up
 * page until they have one: a page asked for is redirected there (a client-side navigation's
 * data too, by the root loader); anything else (a form post, a download, an event stream, the
 * API) is refused with 403.
 */
export function enrolmentGate(): RequestHandler {
  return (req, res, next) => {
    const session = res.locals.session as Session | null | undefined;
    if (!session || !mustEnrol(session.user) || openWhileEnrolling(req.path)) return next();
    const page = (req.method === "GET" || req.method === "HEAD") && (req.headers.accept ?? "").includes("text/html");
    // Navigations inside the app ask for `<path>.data`: the root loader redirects those, as a
    // redirect Remix's client follows.
    if ((req.method === "GET" || req.method === "HEAD") && req.path.endsWith(".data")) return next();
    if (page) {
      res.setHeader("Cache-Control", "no-store");
      return res.redirect(303, `${ENROLMENT_PATH}?redirectTo=${encodeURIComponent(req.originalUrl)}`);
    }
    const message = t("secondFactor.enrolFirst", { path: ENROLMENT_PATH });
    res.status(403).setHeader("Cache-Control", "no-store");
    // The API and the page's scripts read JSON errors; anything else gets a line of text.
    if ((req.headers.accept ?? "").includes("application/json")) res.json({ error: message });
    else res.type("text/plain").send(`${message}\n`);
  };
}
