import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { listDraftClauses } from "../../server/domain/clause-status";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { eventually } from "../../test/collab-client";
import { openEventStream } from "../../test/event-stream";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";

let server: TestServer;
let draft: Draft;
let clauseIds: string[];
let secretariat: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  const owner = await buildUser({ role: "secretariat" });
  draft = await createDraft({
    actor: owner,
    title: "Clause status",
    content: documentJson("Clause status", ["Preamble."], [
      section("Scope", clause("Scope one."), clause("Scope two.")),
      section("Criteria", clause("Criterion one.")),
    ]),
  });
  clauseIds = (await listDraftClauses(draft.id)).map((outline) => outline.id);
  secretariat = server.client();
  await secretariat.signIn(owner.email);
});
afterAll(async () => {
  await server.stop();
});

function id(index: number): string {
  const value = clauseIds[index];
  if (!value) throw new Error(`no clause ${index}`);
  return value;
}

async function written(): Promise<[number, number]> {
  const [row] = await server.database.sql<{ statuses: number; audits: number }[]>`
    SELECT (SELECT count(*)::int FROM clause_statuses) AS statuses,
           (SELECT count(*)::int FROM audit_events WHERE action = 'clause.status-changed') AS audits`;
  return [row?.statuses ?? -1, row?.audits ?? -1];
}

function post(client: TestClient, form: Record<string, string>, slug = draft.slug) {
  return client.post(`/drafts/${slug}`, { intent: "clause-status", ...form });
}

async function signedIn(role: "head" | "delegate" | "observer") {
  const user = await buildUser({ role, delegation: role === "observer" ? null : "nl" });
  const client = server.client();
  await client.signIn(user.email);
  return client;
}

describe("setting a clause status from the draft page", () => {
  it("records the status, audits it, and shows it in the summary to a delegate", async () => {
    const response = await post(secretariat, { clauseId: id(0), status: "agreed" });
    expect(response.status).toBe(200);
    // Without JavaScript, the page that answers the form says what was recorded.
    expect(await response.text()).toContain("Clause 1.1 is now Agreed.");
    const [row] = await server.database.sql<{ status: string }[]>`
      SELECT status FROM clause_statuses WHERE draft_id = ${draft.id} AND clause_id = ${id(0)}`;
    expect(row?.status).toBe("agreed");
    const [audit] = await server.database.sql<{ details: Record<string, unknown> }[]>`
      SELECT details FROM audit_events WHERE action = 'clause.status-changed' ORDER BY id DESC LIMIT 1`;
    expect(audit?.details).toMatchObject({ clauseId: id(0), from: "pending", to: "agreed" });

    const reserved = await post(secretariat, { clauseId: id(2), status: "reserved", "reserve-no": "on", "reserve-fr": "on" });
    expect(reserved.status).toBe(200);

    const delegate = await signedIn("delegate");
    const html = await (await delegate.get(`/drafts/${draft.slug}`)).text();
    expect(html).toContain("1 agreed · 1 pending · 1 reserved");
    // Only the secretariat gets the panel.
    expect(html).not.toContain('id="clause-status-title"');
    const page = await (await secretariat.get(`/drafts/${draft.slug}`)).text();
    expect(page).toContain('id="clause-status-title"');
    expect(page).toContain("Reserved by France, Norway");
  });

  it("changes the version that open pages watch, for anyone who reads the draft", async () => {
    const observer = await signedIn("observer");
    const before = (await (await observer.get(`/drafts/${draft.slug}/clause-status`)).json()) as { version: string };
    await post(secretariat, { clauseId: id(1), status: "agreed-ad-referendum" });
    const after = (await (await observer.get(`/drafts/${draft.slug}/clause-status`)).json()) as { version: string };
    expect(after.version).not.toBe(before.version);
    expect((await observer.get(`/drafts/no-such-draft/clause-status`)).status).toBe(404);
  });

  it("refuses everyone but the secretariat with 403, writing nothing", async () => {
    const before = await written();
    for (const role of ["head", "delegate", "observer"] as const) {
      const response = await post(await signedIn(role), { clauseId: id(1), status: "agreed" });
      expect(response.status).toBe(403);
    }
    expect(await written()).toEqual(before);
  });

  it("answers an unknown draft with 404 and an unknown clause with 404 and a clear message, writing nothing", async () => {
    const before = await written();
    expect((await post(secretariat, { clauseId: id(1), status: "agreed" }, "no-such-draft")).status).toBe(404);
    const response = await post(secretariat, { clauseId: "c0123456789ab", status: "agreed" });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("There is no such clause in this draft");
    expect(await written()).toEqual(before);
  });

  it("answers a bad status, a reservation of nobody and an unknown delegation with 400 and field errors, writing nothing", async () => {
    const before = await written();
    const badStatus = await post(secretariat, { clauseId: id(1), status: "settled" });
    expect(badStatus.status).toBe(400);
    expect(await badStatus.text()).toContain(`id="clause-status-${id(1)}-status-error"`);
    const nobody = await post(secretariat, { clauseId: id(1), status: "reserved" });
    expect(nobody.status).toBe(400);
    expect(await nobody.text()).toContain("Choose the delegations that reserve this clause.");
    const unknown = await post(secretariat, { clauseId: id(1), status: "reserved", "reserve-xx": "on" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Choose only delegations of the initiative.");
    const noIntent = await secretariat.post(`/drafts/${draft.slug}`, { clauseId: id(1), status: "agreed" });
    expect(noIntent.status).toBe(400);
    expect(await written()).toEqual(before);
  });
});

/** A draft's event stream, once the server has said it is connected. */
async function openStream(client: TestClient, slug: string) {
  const { stream } = openEventStream(client, `/drafts/${slug}/events`);
  await eventually(() => stream.raw.includes(": connected"), 3000, "the stream to open");
  return stream;
}

describe("open draft pages hearing of clause status", () => {
  it("tells the draft's open streams, and only that draft's, which clause changed", async () => {
    const other = await createDraft({
      actor: await buildUser({ role: "secretariat" }),
      title: "Another draft",
      content: documentJson("Another draft", ["Preamble."], [section("Scope", clause("Other scope."))]),
    });
    const delegate = await signedIn("delegate");
    const here = await openStream(delegate, draft.slug);
    const elsewhere = await openStream(delegate, other.slug);
    const response = await post(secretariat, { clauseId: id(2), status: "agreed-ad-referendum" });
    expect(response.status).toBe(200);
    await eventually(() => here.raw.includes("event: clause-status"), 2000, "the clause status event");
    expect(here.raw).toContain(`event: clause-status\ndata: {"clauseId":"${id(2)}","status":"agreed-ad-referendum"}\n\n`);
    // The other draft's stream has heard nothing but its greeting by the time this one has.
    expect(elsewhere.raw).not.toContain("clause-status");
    here.close();
    elsewhere.close();
  });
});
