/** Where the comparison of two sides of a draft (version numbers, or "live") is read. */
export function comparePath(slug: string, from: string | number, to: string | number): string {
  return `/drafts/${slug}/compare/${from}/${to}`;
}
