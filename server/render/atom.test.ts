import { DOMParser } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { renderAtom } from "./atom";

// xmldom reports broken structure as warnings and lets a bare "&" through, so both are checked.
function parse(xml: string) {
  const errors: string[] = [];
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(xml)) errors.push("an unescaped &");
  const record = (message: unknown) => void errors.push(String(message));
  const doc = new DOMParser({ errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(xml, "application/xml");
  return { doc, errors };
}

const base = {
  id: "https://accord.example.org/p/code",
  title: "Code <of> Conduct & more",
  selfUrl: "https://accord.example.org/p/code/feed.xml",
  pageUrl: "https://accord.example.org/p/code",
  lang: "en",
  author: "Export Controls and Human Rights Initiative",
  fallbackUpdated: new Date("2026-01-01T00:00:00Z"),
};

describe("renderAtom", () => {
  it("writes a well-formed feed with escaped text, newest update as the feed's", () => {
    const xml = renderAtom({
      ...base,
      entries: [
        {
          id: "https://accord.example.org/p/code/v/2",
          title: 'Version 2 — "adopted" <text>',
          url: "https://accord.example.org/p/code/v/2?a=1&b=2",
          published: new Date("2026-11-29T12:00:00Z"),
          updated: new Date("2026-11-29T12:00:00Z"),
          summary: "Changes & fixes <b>bold</b>\u0007",
          author: "Secretariat",
          enclosures: [{ url: "https://accord.example.org/p/code/v/2.pdf", type: "application/pdf" }],
        },
        {
          id: "https://accord.example.org/p/code/v/1",
          title: "Version 1",
          url: "https://accord.example.org/p/code/v/1",
          published: new Date("2026-11-01T12:00:00Z"),
          updated: new Date("2026-11-01T12:00:00Z"),
          summary: "First",
          author: "Secretariat",
        },
      ],
    });
    const { doc, errors } = parse(xml);
    expect(errors).toEqual([]);
    const feed = doc.documentElement;
    expect(feed?.namespaceURI).toBe("http://www.w3.org/2005/Atom");
    expect(feed?.getElementsByTagName("title")[0]?.textContent).toBe("Code <of> Conduct & more");
    expect(feed?.getElementsByTagName("updated")[0]?.textContent).toBe("2026-11-29T12:00:00.000Z");
    const entries = feed?.getElementsByTagName("entry");
    expect(entries?.length).toBe(2);
    const first = entries?.[0];
    expect(first?.getElementsByTagName("title")[0]?.textContent).toBe('Version 2 — "adopted" <text>');
    expect(first?.getElementsByTagName("summary")[0]?.textContent).toBe("Changes & fixes <b>bold</b>");
    expect(first?.getElementsByTagName("link")[0]?.getAttribute("href")).toBe("https://accord.example.org/p/code/v/2?a=1&b=2");
    expect(first?.getElementsByTagName("link")[1]?.getAttribute("rel")).toBe("enclosure");
  });

  it("notices a feed that is not well-formed (the check itself works)", () => {
    expect(parse("<feed><title>a & b</title></feed>").errors).not.toEqual([]);
    expect(parse("<feed><title>a</feed>").errors).not.toEqual([]);
    expect(parse('<feed><title a="x"y>a</title></feed>').errors).not.toEqual([]);
  });

  it("is well-formed with no entries", () => {
    const { doc, errors } = parse(renderAtom({ ...base, entries: [] }));
    expect(errors).toEqual([]);
    expect(doc.documentElement?.getElementsByTagName("updated")[0]?.textContent).toBe("2026-01-01T00:00:00.000Z");
  });
});
