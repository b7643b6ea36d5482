// A redirect target that comes from input (`redirectTo`) is an open-redirect vector: browsers drop
// tabs and newlines from a Location and read a backslash as a slash, so `/\t/evil.example` and
// `/\evil.example` both lead off-site. Only plain same-origin paths pass, checked as received and
// once more after decoding (a later reader may decode them).

// Whitespace, control and format characters (zero-width, bidi), and backslashes, anywhere.
const FORBIDDEN = /[\s\p{C}\\]/u;
const BASE = "http://accord.invalid";

/** `value` when it is a same-origin path (`/drafts?x=1`), otherwise `fallback` (`/`). */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length > 2048) return fallback;
  const decoded = decodeOnce(value);
  if (decoded === null) return fallback;
  for (const form of [value, decoded]) {
    if (!form.startsWith("/") || form.startsWith("//") || FORBIDDEN.test(form)) return fallback;
  }
  // The last word goes to the URL parser browsers use: the path must stay on our origin.
  return new URL(value, BASE).origin === BASE ? value : fallback;
}

function decodeOnce(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
