import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

async function count(table: "drafts" | "audit_events"): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${server.database.sql(table)}`;
  return row?.n ?? 0;
}

async function signedIn(role: "secretariat" | "head" | "delegate" | "observer") {
  const user = await buildUser({ role });
  const client = server.client();
  await client.signIn(user.email);
  return { user, client };
}

describe("the drafts dashboard", () => {
  it("sends a signed-out visitor to sign in, and back afterwards", async () => {
    const response = await server.client().get("/drafts");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fdrafts");
  });

  it("welcomes a delegate with their role and delegation, and offers no new-draft form", async () => {
    const { user, client } = await signedIn("delegate");
    const response = await client.get("/drafts");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`Welcome, ${user.displayName}.`);
    expect(html).toContain("Delegate · France");
    expect(html).not.toContain("New draft");
  });

  it("lets the secretariat create a draft, with a unique slug however often a title is used", async () => {
    const { client } = await signedIn("secretariat");
    const first = await client.post("/drafts", { title: "Code of Conduct — Annex" });
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("/drafts/code-of-conduct-annex");
    const second = await client.post("/drafts", { title: "Code of Conduct — Annex" });
    expect(second.status).toBe(302);
    expect(second.headers.get("location")).toBe("/drafts/code-of-conduct-annex-2");

    const page = await client.get("/drafts/code-of-conduct-annex-2");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<h1");
    expect(html).toContain("Code of Conduct — Annex");
    expect(html).toMatch(/<time dateTime="\d{4}-\d\d-\d\dT[^"]+Z">\d{1,2}\u00a0[A-Z][a-z]+ \d{4}, \d\d:\d\d UTC<\/time>/);

    const dashboard = await (await client.get("/drafts")).text();
    expect(dashboard).toContain('href="/drafts/code-of-conduct-annex"');
    expect(dashboard).toContain('href="/drafts/code-of-conduct-annex-2"');
  });

  it("refuses a draft from a delegate, writing nothing", async () => {
    const { client } = await signedIn("delegate");
    const before = [await count("drafts"), await count("audit_events")];
    const response = await client.post("/drafts", { title: "A delegate's draft" });
    expect(response.status).toBe(403);
    expect([await count("drafts"), await count("audit_events")]).toEqual(before);
  });

  it("answers an empty title with a field error, writing nothing", async () => {
    const { client } = await signedIn("secretariat");
    const before = await count("drafts");
    const response = await client.post("/drafts", { title: "   " });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="field-title-error"');
    expect(html).toContain("This field is required.");
    expect(await count("drafts")).toBe(before);
  });

  it("refuses an oversized form, writing nothing", async () => {
    const { client } = await signedIn("secretariat");
    const before = await count("drafts");
    const response = await client.post("/drafts", { title: "x".repeat(70 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("The form is too large.");
    expect(await count("drafts")).toBe(before);
  });

  it("answers a title over 200 characters with a field error", async () => {
    const { client } = await signedIn("secretariat");
    const response = await client.post("/drafts", { title: "x".repeat(201) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("at most 200 characters");
  });
});

describe("a draft's page", () => {
  it("answers an unknown slug with 404", async () => {
    const { client } = await signedIn("observer");
    const response = await client.get("/drafts/no-such-draft");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Page not found");
  });

  it("sends a signed-out visitor to sign in", async () => {
    const response = await server.client().get("/drafts/anything");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fdrafts%2Fanything");
  });
});
