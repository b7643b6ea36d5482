/** One entry of an Atom feed. */
export interface AtomEntry {
  /** A permanent, unique IRI: the entry's page address serves. */
  id: string;
  title: string;
  url: string;
  published: Date;
  updated: Date;
  summary: string;
  author: string;
  /** Alternate downloads of the entry: `rel="enclosure"` links. */
  enclosures?: { url: string; type: string }[];
}

/** An Atom feed (RFC 4287). */
export interface AtomFeed {
  id: string;
  title: string;
  /** The feed's own address. */
  selfUrl: string;
  /** The page the feed is about. */
  pageUrl: string;
  lang: string;
  author: string;
  /** The feed's updated time when it has no entries. */
  fallbackUpdated: Date;
  entries: AtomEntry[];
}

/** Writes an Atom feed; every text and attribute is escaped. */
export function renderAtom(feed: AtomFeed): string {
  const updated = feed.entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), feed.entries.length ? new Date(0) : feed.fallbackUpdated);
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${attr(feed.lang)}">`,
    `  <id>${text(feed.id)}</id>`,
    `  <title>${text(feed.title)}</title>`,
    `  <updated>${updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${attr(feed.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${attr(feed.pageUrl)}"/>`,
    `  <author><name>${text(feed.author)}</name></author>`,
    ...feed.entries.flatMap((entry) => [
      `  <entry>`,
      `    <id>${text(entry.id)}</id>`,
      `    <title>${text(entry.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${attr(entry.url)}"/>`,
      ...(entry.enclosures ?? []).map((enclosure) => `    <link rel="enclosure" type="${attr(enclosure.type)}" href="${attr(enclosure.url)}"/>`),
      `    <published>${entry.published.toISOString()}</published>`,
      `    <updated>${entry.updated.toISOString()}</updated>`,
      `    <author><name>${text(entry.author)}</name></author>`,
      `    <summary type="text">${text(entry.summary)}</summary>`,
      `  </entry>`,
    ]),
    `</feed>`,
  ];
  return `${lines.join("\n")}\n`;
}

// XML 1.0 forbids most control characters even when escaped, so they are dropped.
// eslint-disable-next-line no-control-regex -- the point is to match control characters.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(value: string): string {
  return value.replace(INVALID_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(value: string): string {
  return text(value).replace(/"/g, "&quot;");
}
