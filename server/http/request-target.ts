// A request target (the address in the request line) is untrusted text. Node's parser lets through
// targets that the URL parser and decodeURIComponent reject (`//`, `/%`, `/%C0%AF`,
// `http://[::1/x`), and a throw in a listener of the HTTP server ends the process. Targets are
// parsed here, once, by functions that answer null instead of throwing.

/** The parts of a request target that handlers route on; both still percent-encoded. */
export interface RequestTarget {
  pathname: string;
  /** The query with its `?`, or "". */
  search: string;
}

// The authority must be there: the URL parser reads `http:///x` as `http://x/`.
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]/i;
// Spaces and control characters never belong in a target (RFC 9112 §3.2); Node lets some through.
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const FORBIDDEN = /[\u0000-\u0020\u007f]/;

/**
 * Parses an origin-form (`/path?query`) or absolute-form (`http://host/path`) target; null for
 * anything else or anything malformed (the caller answers 400).
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (!raw || FORBIDDEN.test(raw)) return null;
  if (raw.startsWith("/")) {
    const end = raw.search(/[?#]/);
    const pathname = end === -1 ? raw : raw.slice(0, end);
    const query = end === -1 ? "" : raw.slice(end).replace(/#.*$/, "");
    return { pathname, search: query === "?" ? "" : query };
  }
  if (!ABSOLUTE_FORM.test(raw) || !URL.canParse(raw)) return null;
  const url = new URL(raw);
  return { pathname: url.pathname, search: url.search };
}

/** Decodes one percent-encoded path segment; null when it is not valid UTF-8 percent-encoding. */
export function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

// A Host header is `host[:port]` (RFC 9110 §7.2): a name, an IPv4 address or a bracketed IPv6 one.
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=]+)(?::\d{1,5})?$/;

/**
 * Whether a request's Host header is usable: absent (HTTP/1.0; Node itself refuses an HTTP/1.1
 * request without one) or a well-formed authority. Code that builds a URL from it would throw.
 */
export function isWellFormedHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  return HOST.test(host) && URL.canParse(`http://${host}/`);
}
