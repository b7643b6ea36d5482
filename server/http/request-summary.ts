import type { IncomingMessage } from "node:http";

/** The longest target, and header value, written to the log. */
const MAX_LOGGED_TARGET = 200;
const MAX_LOGGED_VALUE = 80;

// Headers whose values help reproduce a failure and carry no secret; of the others (cookies,
// authorization, anything unknown) only the name is logged.
const SHOWN_HEADERS = [
  "host",
  "origin",
  "user-agent",
  "content-type",
  "content-length",
  "accept-encoding",
  "range",
  "if-none-match",
  "upgrade",
  "connection",
  "sec-websocket-version",
] as const;

/**
 * A one-line description of a request for the failure log: method, target, the values of a few
 * harmless headers and the names of the others. Everything is escaped and truncated, so a client
 * can neither forge log lines nor fill the log; cookies and credentials are never written.
 */
export function describeRequest(request: IncomingMessage): string {
  const parts = [`${loggable(request.method ?? "?", 16)} ${loggable(request.url ?? "", MAX_LOGGED_TARGET)} HTTP/${loggable(request.httpVersion, 8)}`];
  for (const name of SHOWN_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined) parts.push(`${name}=${loggable(Array.isArray(value) ? value.join(", ") : value, MAX_LOGGED_VALUE)}`);
  }
  const others = Object.keys(request.headers).filter((name) => !(SHOWN_HEADERS as readonly string[]).includes(name));
  if (others.length > 0) parts.push(`also=${loggable(others.join(","), MAX_LOGGED_TARGET)}`);
  return parts.join(" ");
}

/** Text as a JSON string literal (control characters escaped), cut to `max` characters. */
export function loggable(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
  return JSON.stringify(cut);
}
