import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createDraft } from "../../server/domain/drafts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe("GET /api/drafts", () => {
  it("answers a signed-out request with 401 JSON, not a redirect", async () => {
    const response = await server.client().get("/api/drafts");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: "Sign in to list drafts." });
  });

  it("lists the drafts a signed-in person may read, most recently changed first", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const older = await createDraft({ actor: secretariat, title: "Preamble" });
    const newer = await createDraft({ actor: secretariat, title: "Operative clauses" });
    await server.database.sql`UPDATE drafts SET updated_at = now() - interval '1 day' WHERE id = ${older.id}`;
    const delegate = await buildUser({ role: "delegate" });
    const client = server.client();
    await client.signIn(delegate.email);

    const response = await client.get("/api/drafts");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("no-store");
    const body = (await response.json()) as { id: string; slug: string; title: string; updatedAt: string }[];
    expect(body.map((draft) => draft.slug)).toEqual(["operative-clauses", "preamble"]);
    expect(body[0]).toEqual({ id: newer.id, slug: "operative-clauses", title: "Operative clauses", updatedAt: newer.updatedAt.toISOString() });
    expect(Object.keys(body[1] ?? {}).sort()).toEqual(["id", "slug", "title", "updatedAt"]);
    expect(new Date(body[1]?.updatedAt ?? "").getTime()).toBeLessThan(newer.updatedAt.getTime());
  });
});
