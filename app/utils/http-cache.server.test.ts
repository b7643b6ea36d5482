import { describe, expect, it } from "vitest";
import { inLanguage } from "../../server/http/language";
import { isNotModified, notModified, publicCacheHeaders, publicEtag } from "./http-cache.server";

const request = (ifNoneMatch?: string) => new Request("http://accord.test/p/code/v/1", { headers: ifNoneMatch ? { "If-None-Match": ifNoneMatch } : {} });

type Context = Parameters<typeof publicCacheHeaders>[0]["context"];
const anonymous = (languageFromAddress: boolean) => ({ session: null, languageFromAddress }) as unknown as Context;

describe("public HTTP caching", () => {
  const etag = publicEtag(["abc123", "v1"]);

  it("makes weak ETags from the parts, the language and the pages' revision", () => {
    expect(etag).toMatch(/^W\/"abc123-v1-en-r\d+"$/);
    expect(inLanguage("fr", () => publicEtag(["abc123", "v1"]))).toMatch(/^W\/"abc123-v1-fr-r\d+"$/);
  });

  it("compares validators weakly, in lists, and with *", () => {
    expect(isNotModified(request(etag), etag)).toBe(true);
    expect(isNotModified(request(etag.slice(2)), etag)).toBe(true);
    expect(isNotModified(request(`"other", ${etag}`), etag)).toBe(true);
    expect(isNotModified(request("*"), etag)).toBe(true);
    expect(isNotModified(request('W/"abc123-v2-r1"'), etag)).toBe(false);
    expect(isNotModified(request(), etag)).toBe(false);
    expect(isNotModified(request(etag), null)).toBe(false);
  });

  it("answers 304 with the validators and no body, or nothing", async () => {
    const headers = publicCacheHeaders({ etag, immutable: true, context: anonymous(true) });
    const response = notModified(request(etag), headers);
    expect(response?.status).toBe(304);
    expect(response?.headers.get("ETag")).toBe(etag);
    expect(await response?.text()).toBe("");
    expect(notModified(request('"stale"'), headers)).toBeNull();
  });

  it("caches versioned answers for good, the latest briefly, and a signed-in page only privately", () => {
    expect(publicCacheHeaders({ etag, immutable: true, context: anonymous(true) }).get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(publicCacheHeaders({ etag, immutable: false, context: anonymous(true) }).get("Cache-Control")).toBe("public, max-age=300, must-revalidate");
    const context = { session: { user: { id: "0f3c5b1e-0000-4000-8000-000000000000" } }, languageFromAddress: true } as unknown as Context;
    const mine = publicCacheHeaders({ etag, immutable: true, context });
    expect(mine.get("Cache-Control")).toBe("private, no-cache");
    expect(mine.get("Vary")).toBe("Cookie");
    expect(mine.get("ETag")).not.toBe(etag);
  });

  it("varies with the reader's language headers where the address names no language", () => {
    expect(publicCacheHeaders({ etag, immutable: true, context: anonymous(false) }).get("Vary")).toBe("Cookie, Accept-Language");
    expect(publicCacheHeaders({ etag, immutable: true, context: anonymous(true), personal: false }).get("Vary")).toBeNull();
    expect(publicCacheHeaders({ etag, immutable: true, context: anonymous(false), personal: false }).get("Vary")).toBe("Cookie, Accept-Language");
  });
});
