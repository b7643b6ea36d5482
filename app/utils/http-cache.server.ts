import type { AppLoadContext } from "@remix-run/node";
import { currentLanguage } from "../../i18n/languages";
import { matchesIfNoneMatch } from "../../server/http/etag";

/**
 * Bumped whenever the public pages' markup changes, so that revalidation fetches the new pages
 * even though the published text under them is the same.
 */
const PUBLIC_RENDER_REVISION = 3;

/** How long a shared cache may serve the latest version's page and the feed before asking again. */
const SHORT_MAX_AGE = 300;

/** A validator for one published thing: which text and revision, in which form and language. */
export function publicEtag(parts: readonly (string | number)[]): string {
  return `W/"${[...parts, currentLanguage(), `r${PUBLIC_RENDER_REVISION}`].join("-")}"`;
}

/**
 * Caching headers of a public answer. Versioned addresses never change (`immutable`); the latest
 * version and the feed are kept briefly. A page that carries a signed-in person's header is theirs
 * alone, so it is never stored by a shared cache and is revalidated each time; downloads and feeds
 * (`personal: false`) are the same for everyone. An address without a language prefix answers in
 * the reader's language, so its answer varies with their headers.
 */
export function publicCacheHeaders(options: { etag: string; immutable: boolean; context: AppLoadContext; personal?: boolean }): Headers {
  const personal = options.personal ?? true;
  const user = personal ? options.context.session?.user : undefined;
  const headers = new Headers({ ETag: user ? `${options.etag.slice(0, -1)}-${user.id.slice(0, 8)}"` : options.etag });
  const negotiated = !options.context.languageFromAddress;
  const vary = [...(personal || negotiated ? ["Cookie"] : []), ...(negotiated ? ["Accept-Language"] : [])];
  if (vary.length > 0) headers.set("Vary", vary.join(", "));
  if (user) headers.set("Cache-Control", "private, no-cache");
  else headers.set("Cache-Control", options.immutable ? "public, max-age=31536000, immutable" : `public, max-age=${SHORT_MAX_AGE}, must-revalidate`);
  return headers;
}

/** Whether the request's `If-None-Match` names the answer's ETag (weak comparison, RFC 9110). */
export function isNotModified(request: Request, etag: string | null): boolean {
  return matchesIfNoneMatch(request.headers.get("If-None-Match"), etag);
}

/** `304 Not Modified` with the answer's validators, when the client already holds it; otherwise null. */
export function notModified(request: Request, headers: Headers): Response | null {
  return isNotModified(request, headers.get("ETag")) ? new Response(null, { status: 304, headers }) : null;
}
