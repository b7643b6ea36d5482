/**
 * Whether an `If-None-Match` header names `etag` (weak comparison, RFC 9110), or is `*`: the
 * client already holds this answer.
 */
export function matchesIfNoneMatch(header: string | null | undefined, etag: string | null | undefined): boolean {
  if (!header || !etag) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}
