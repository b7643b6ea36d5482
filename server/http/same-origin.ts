import type { RequestHandler } from "express";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a request's Origin (or, lacking it, Referer) is one of ours. */
export function comesFromOrigin(headers: { origin?: string; referer?: string }, allowed: readonly string[]): boolean {
  const { origin, referer } = headers;
  if (origin && origin !== "null") return allowed.includes(origin);
  if (referer) {
    try {
      return allowed.includes(new URL(referer).origin);
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Refuses with 403 every state-changing request that does not come from our own origin,
 * the defence against cross-site request forgery.
 */
export function requireSameOrigin(allowedOrigins: () => readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (comesFromOrigin({ origin: req.headers.origin, referer: req.headers.referer }, allowedOrigins())) return next();
    res.status(403).type("text/plain").send("This request did not come from Accord's own pages, so it was refused.");
  };
}
