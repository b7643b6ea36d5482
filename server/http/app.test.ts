import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser } from "../../test/factories";
import { setDatabase } from "../db/registry";
import { startTestServer, type TestServer } from "../../test/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe("the HTTP server", () => {
  it("answers /healthz with 503 when the database does not answer", async () => {
    const broken = await startTestServer();
    // The server keeps running; its database connection is gone.
    await broken.database.sql.end();
    const response = await fetch(`${broken.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", database: broken.database.kind });
    await broken.stop();
    // Both servers share the process's database registry: give it back to the main one.
    setDatabase(server.database);
  });

  it("answers /healthz with the database kind", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: server.database.kind });
  });

  it("sets the security headers, with a CSP nonce that the page's scripts carry", async () => {
    const response = await fetch(`${server.url}/`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await response.text();
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) {
      if (/\ssrc=/.test(tag)) continue;
      expect(tag).toContain(`nonce="${nonce}"`);
    }
  });

  it("compresses responses", async () => {
    const response = await fetch(`${server.url}/`, { headers: { "accept-encoding": "gzip" } });
    expect(response.headers.get("content-encoding")).toBe("gzip");
  });

  it("answers an unknown address with the friendly 404 page", async () => {
    const response = await fetch(`${server.url}/no/such/page`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Page not found");
  });

  it("refuses a state-changing request from another origin", async () => {
    const user = await buildUser();
    const client = server.client();
    const foreign = await client.post("/login", { email: user.email, password: "whatever" }, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    const none = await client.post("/login", { email: user.email, password: "whatever" }, { origin: null });
    expect(none.status).toBe(403);
  });
});
