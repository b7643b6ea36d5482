import { describe, expect, it } from "vitest";
import { isNotModified, notModified, publicCacheHeaders, publicEtag } from "./http-cache.server";

const request = (ifNoneMatch?: string) => new Request("http://accord.test/p/code/v/1", { headers: ifNoneMatch ? { "If-None-Match": ifNoneMatch } : {} });

describe("public HTTP caching", () => {
  const etag = publicEtag(["abc123", "v1"]);

  it("makes weak ETags from the parts and the pages' revision", () => {
    expect(etag).toMatch(/^W\/"abc123-v1-r\d+"$/);
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
    const headers = publicCacheHeaders({ etag, immutable: true });
    const response = notModified(request(etag), headers);
    expect(response?.status).toBe(304);
    expect(response?.headers.get("ETag")).toBe(etag);
    expect(await response?.text()).toBe("");
    expect(notModified(request('"stale"'), headers)).toBeNull();
  });

  it("caches versioned answers for good, the latest briefly, and a signed-in page only privately", () => {
    expect(publicCacheHeaders({ etag, immutable: true }).get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(publicCacheHeaders({ etag, immutable: false }).get("Cache-Control")).toBe("public, max-age=300, must-revalidate");
    const context = { session: { user: { id: "0f3c5b1e-0000-4000-8000-000000000000" } } } as unknown as Parameters<typeof publicCacheHeaders>[0]["context"];
    const mine = publicCacheHeaders({ etag, immutable: true, context });
    expect(mine.get("Cache-Control")).toBe("private, no-cache");
    expect(mine.get("Vary")).toBe("Cookie");
    expect(mine.get("ETag")).not.toBe(etag);
  });
});
