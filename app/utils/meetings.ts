/** The address of a draft's session page. */
export function meetingPath(slug: string, number: number): string {
  return `/drafts/${encodeURIComponent(slug)}/sessions/${number}`;
}
