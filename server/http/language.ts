import type { RequestHandler } from "express";
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, preferredLanguage, type Language } from "../../i18n/languages";
import { readCookie } from "../auth/cookie";
import type { Session } from "../auth/session";
import { inLanguage } from "../language";

export { inLanguage };

/** The cookie that keeps a signed-out reader's choice of language (a signed-in person's is on their account). */
export const LANGUAGE_COOKIE = "accord_lang";
const LANGUAGE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

const ADDRESS_LANGUAGE = new RegExp(`^/(${LANGUAGES.join("|")})(?=/|$)`);

/** The language an address names in its first segment (`/fr/p/code`), or null. */
export function addressLanguage(path: string): Language | null {
  const code = ADDRESS_LANGUAGE.exec(path)?.[1];
  return isLanguage(code) ? code : null;
}

/** Where a request's language came from: a language address answers the same to everyone. */
export type LanguageSource = "address" | "account" | "cookie" | "browser" | "default";

/**
 * The language to answer a request in: the one its address names, else the one the signed-in
 * person chose, else the signed-out reader's choice (cookie), else the browser's Accept-Language,
 * else English.
 */
export function requestLanguage(request: {
  path: string;
  accountLanguage: Language | null;
  cookieHeader: string | undefined;
  acceptLanguage: string | undefined;
}): { language: Language; source: LanguageSource } {
  const fromAddress = addressLanguage(request.path);
  if (fromAddress) return { language: fromAddress, source: "address" };
  if (request.accountLanguage) return { language: request.accountLanguage, source: "account" };
  const chosen = readCookie(request.cookieHeader, LANGUAGE_COOKIE);
  if (isLanguage(chosen)) return { language: chosen, source: "cookie" };
  const fromBrowser = preferredLanguage(request.acceptLanguage);
  if (fromBrowser) return { language: fromBrowser, source: "browser" };
  return { language: DEFAULT_LANGUAGE, source: "default" };
}

/** The Set-Cookie value that remembers a signed-out reader's language for a year. */
export function languageCookie(language: Language, secure: boolean): string {
  return [`${LANGUAGE_COOKIE}=${language}`, "Path=/", "SameSite=Lax", `Max-Age=${LANGUAGE_COOKIE_MAX_AGE_S}`, ...(secure ? ["Secure"] : [])].join("; ");
}

/** The Set-Cookie value that forgets the choice: the browser's Accept-Language decides again. */
export function clearedLanguageCookie(secure: boolean): string {
  return [`${LANGUAGE_COOKIE}=`, "Path=/", "SameSite=Lax", "Max-Age=0", ...(secure ? ["Secure"] : [])].join("; ");
}

/**
 * Express middleware, after the session is read: decides the request's language, says it
 * (Content-Language) and answers the rest of the request in it.
 */
export function answerInLanguage(): RequestHandler {
  return (req, res, next) => {
    const session = res.locals.session as Session | null | undefined;
    const { language, source } = requestLanguage({
      path: req.path,
      accountLanguage: session?.user.language ?? null,
      cookieHeader: req.headers.cookie,
      acceptLanguage: req.headers["accept-language"],
    });
    res.locals.language = language;
    res.locals.languageFromAddress = source === "address";
    res.setHeader("Content-Language", language);
    // What varies with the reader's headers says so where it may be stored (publicCacheHeaders).
    inLanguage(language, next);
  };
}
