import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { createThread } from "../../server/domain/annotations";
import { listDraftClauses } from "../../server/domain/clause-status";
import { createDraft, findDraftById, type Draft } from "../../server/domain/drafts";
import { loadStoredText } from "../../server/domain/versions";
import { openEventStream } from "../../test/event-stream";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";
import { rangeOf } from "../../test/text-ranges";
import type { User } from "../../server/domain/users";

let server: TestServer;
let draft: Draft;
let clauseIds: string[];
let chair: TestClient;
let france: TestClient;
let franceUser: User;
let canada: TestClient;
let observer: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  const owner = await buildUser({ role: "secretariat", displayName: "Chair Person" });
  draft = await createDraft({
    actor: owner,
    title: "Session routes",
    content: documentJson("Session routes", ["Preamble."], [section("Scope", clause("States shall assess each licence."), clause("Second clause."))]),
  });
  clauseIds = (await listDraftClauses(draft.id)).map((outline) => outline.id);
  chair = server.client();
  await chair.signIn(owner.email);
  franceUser = await buildUser({ role: "head", delegation: "fr", displayName: "Claire Martin" });
  france = server.client();
  await france.signIn(franceUser.email);
  canada = server.client();
  await canada.signIn((await buildUser({ role: "delegate", delegation: "ca" })).email);
  observer = server.client();
  await observer.signIn((await buildUser({ role: "observer" })).email);
});
afterAll(async () => {
  await server.stop();
});

const sessions = `/drafts/${"{slug}"}/sessions`;
const path = (suffix = "") => `${sessions.replace("{slug}", draft.slug)}${suffix}`;
const step = (client: TestClient, form: Record<string, string>, number = 1) => client.post(path(`/${number}`), form);
const state = async (client: TestClient) => ((await (await client.get(`/drafts/${draft.slug}/session.json`)).json()) as { meeting: { number: number; state: string; pointer: { clauseId: string; number: string } | null; speaking: { delegationCode: string } | null; waiting: { id: string; delegationCode: string; kind: string }[]; present: string[] } | null }).meeting;
const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe("chaired sessions over HTTP", () => {
  it("lets the secretariat alone open a session, one at a time", async () => {
    expect(await (await france.get(path())).text()).not.toContain('value="open"');
    expect((await france.post(path(), { intent: "open", kind: "formal" })).status).toBe(403);
    expect((await observer.post(path(), { intent: "open", kind: "formal" })).status).toBe(403);
    expect((await chair.post(path(), { intent: "open", kind: "plenary" })).status).toBe(400);
    expect((await chair.post(path(), { intent: "open", kind: "formal", limit: "0.1" })).status).toBe(422);
    const opened = await chair.post(path(), { intent: "open", kind: "formal", limit: "3" });
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(`/drafts/${draft.slug}`);
    expect((await chair.post(path(), { intent: "open", kind: "informal" })).status).toBe(409);
    expect(await state(observer)).toMatchObject({ number: 1, state: "open", pointer: null, waiting: [] });
  });

  it("announces every step on the draft's event stream within a second, and records as present whoever's page is connected", async () => {
    const { stream, ready } = openEventStream(france, `/drafts/${draft.slug}/events`);
    await ready;
    await until(() => stream.raw.includes("connected"));
    const started = Date.now();
    expect((await step(chair, { intent: "take-up", clauseId: clauseIds[0] ?? "" })).status).toBe(200);
    await until(() => stream.raw.includes("event: meeting"), 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(stream.raw).toContain('"change":"pointer"');
    stream.close();
    await until(() => true);
    const seen = await state(canada);
    expect(seen?.pointer).toMatchObject({ clauseId: clauseIds[0], number: "1.1" });
    expect(seen?.present).toEqual(["France"]);
  });

  it("takes floor requests from heads and delegates, not observers, and lets only the delegation or the chair withdraw one", async () => {
    expect((await step(observer, { intent: "request-floor" })).status).toBe(403);
    expect((await step(chair, { intent: "request-floor" })).status).toBe(403);
    expect((await step(france, { intent: "request-floor" })).status).toBe(200);
    const twice = await step(france, { intent: "request-floor" });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain("already on the speakers");
    expect((await step(canada, { intent: "request-floor" })).status).toBe(200);
    const [french, canadian] = (await state(observer))?.waiting ?? [];
    expect([french?.delegationCode, canadian?.delegationCode]).toEqual(["fr", "ca"]);
    expect((await step(canada, { intent: "withdraw", requestId: french?.id ?? "" })).status).toBe(403);
    expect((await step(observer, { intent: "withdraw", requestId: french?.id ?? "" })).status).toBe(403);
    expect((await step(france, { intent: "withdraw", requestId: "1;DROP TABLE meetings" })).status).toBe(400);
    expect((await step(france, { intent: "withdraw", requestId: "1 OR 1=1" })).status).toBe(404);
    expect((await step(canada, { intent: "withdraw", requestId: canadian?.id ?? "" })).status).toBe(200);
    expect((await step(canada, { intent: "request-reply" })).status).toBe(200);
    expect((await state(france))?.waiting.map((entry) => `${entry.delegationCode}:${entry.kind}`)).toEqual(["fr:floor", "ca:reply"]);
  });

  it("keeps the chair's steps for the secretariat, including through direct posts", async () => {
    for (const form of <Record<string, string>[]>[
      { intent: "take-up", clauseId: clauseIds[1] ?? "" },
      { intent: "give" },
      { intent: "end" },
      { intent: "limit", limit: "" },
      { intent: "suspend" },
      { intent: "close" },
    ]) {
      expect((await step(france, form)).status, form.intent).toBe(403);
      expect((await step(observer, form)).status, form.intent).toBe(403);
    }
    expect((await step(chair, { intent: "take-up", clauseId: "c-not-in-text" })).status).toBe(422);
    expect((await step(chair, { intent: "bogus" })).status).toBe(400);
    expect((await step(chair, { intent: "give" }, 99)).status).toBe(404);
    expect((await chair.get(path("/abc"))).status).toBe(404);
    expect((await chair.get(path("/99999999999999999999"))).status).toBe(404);
    expect((await state(observer))?.speaking).toBeNull();
  });

  it("gives the floor, takes a clause up, and closes: the record is drafted with the facts in order and no private note", async () => {
    expect((await step(chair, { intent: "give" })).status).toBe(200);
    expect((await state(observer))?.speaking?.delegationCode).toBe("fr");
    const note = await createThread(server.live, {
      actor: franceUser,
      draftId: draft.id,
      range: await rangeOf(draft.id, "each licence"),
      body: "PRIVATE-FRENCH-NOTE",
      visibility: "delegation",
    });
    expect(note.id).toBeTruthy();
    expect((await step(chair, { intent: "give" })).status).toBe(200);
    expect((await chair.post(`/drafts/${draft.slug}`, { intent: "clause-status", clauseId: clauseIds[0] ?? "", status: "agreed-ad-referendum" })).status).toBe(200);
    expect((await step(chair, { intent: "close" })).status).toBe(200);
    expect(await state(observer)).toBeNull();

    const page = (await (await observer.get(path("/1"))).text()).replaceAll("<!-- -->", "");
    expect(page).toContain("<li>France on clause 1.1</li><li>Canada on clause 1.1 (right of reply)</li>");
    expect(page).toContain("France on clause 1.1");
    expect(page).toMatch(/Canada on clause 1\.1 \(right of reply\)/);
    const [row] = await server.database.sql<{ record_draft_id: string; record_state: string }[]>`
      SELECT record_draft_id, record_state FROM meetings WHERE draft_id = ${draft.id} AND number = 1`;
    expect(row?.record_state).toBe("drafted");
    const record = await findDraftById(row?.record_draft_id ?? "");
    expect(page).toContain(`/drafts/${record?.slug}`);
    const text = (await loadStoredText(record?.id ?? "")).node.textContent;
    expect(text.indexOf("Claire Martin")).toBeGreaterThan(-1);
    expect(text).toMatch(/France, Canada \(right of reply\)/);
    expect(text).toMatch(/agreed ad referendum/);
    expect(text).not.toContain("PRIVATE-FRENCH-NOTE");
  });

  it("circulates the record for corrections by a deadline and finalises it, which then downloads as PDF and Word", async () => {
    expect((await observer.get(path("/1/record.pdf"))).status).toBe(404);
    expect((await france.post(path("/1"), { intent: "circulate", due: "2099-01-01T10:00", timeZone: "Europe/Paris" })).status).toBe(403);
    expect((await chair.post(path("/1"), { intent: "circulate", due: "not a date", timeZone: "Europe/Paris" })).status).toBe(422);
    expect((await chair.post(path("/1"), { intent: "circulate", due: "2099-01-01T10:00", timeZone: "Mars/Olympus" })).status).toBe(422);
    expect((await chair.post(path("/1"), { intent: "finalise" })).status).toBe(409);
    expect((await chair.post(path("/1"), { intent: "circulate", due: "2099-01-01T10:00", timeZone: "Europe/Paris" })).status).toBe(200);
    expect(await (await observer.get(path("/1"))).text()).toContain("Circulated to the delegations for corrections");
    // The record's own page says what it is, where it stands, and leads back to its session.
    const [row] = await server.database.sql<{ record_draft_id: string }[]>`SELECT record_draft_id FROM meetings WHERE draft_id = ${draft.id} AND number = 1`;
    const record = await findDraftById(row?.record_draft_id ?? "");
    const recordPage = (await (await france.get(`/drafts/${record?.slug}`)).text()).replaceAll("<!-- -->", "");
    expect(recordPage).toContain("This draft is the summary record of session 1 on “Session routes”: Circulated for corrections.");
    expect(recordPage).toContain(`href="${path("/1")}"`);
    expect(await (await france.get(`/drafts/${draft.slug}`)).text()).not.toContain('data-testid="record-of"');
    expect((await france.post(path("/1"), { intent: "finalise" })).status).toBe(403);
    expect((await chair.post(path("/1"), { intent: "finalise" })).status).toBe(200);
    const pdf = await observer.get(path("/1/record.pdf"));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    const docx = await france.get(path("/1/record.docx"));
    expect(docx.status).toBe(200);
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");
    expect((await server.client().get(path("/1/record.pdf"))).status).not.toBe(200);
  });
});
