import { randomBytes } from "node:crypto";
import type { RequestHandler } from "express";

/**
 * The Content-Security-Policy of a page whose scripts may run from our origin and from the given
 * sources (a nonce, or the hashes of its inline scripts). Style attributes stay allowed because the
 * collaborative editor colours remote cursors with them.
 */
export function contentSecurityPolicy(options: { development: boolean; scriptSources: readonly string[] }): string {
  const styles = options.development ? "'self' 'unsafe-inline'" : "'self'";
  return [
    "default-src 'self'",
    `script-src ${["'self'", ...options.scriptSources].join(" ")}${options.development ? " 'unsafe-eval'" : ""}`,
    `style-src ${styles}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The security headers every response carries besides its Content-Security-Policy. */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=()"],
];

/**
 * Sets a fresh script nonce in `res.locals.nonce` and the security headers every response carries:
 * scripts run only from our origin or with the nonce.
 */
export function securityHeaders(options: { development: boolean }): RequestHandler {
  return (_req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.nonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy({ development: options.development, scriptSources: [`'nonce-${nonce}'`] }));
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    next();
  };
}
