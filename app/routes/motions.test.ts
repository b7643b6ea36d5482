import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { findAmendment, tableAmendment, withdrawAmendment } from "../../server/domain/amendments";
import { loadTextSnapshot } from "../../server/domain/annotation-anchors";
import { createDraft, findDraftById, type Draft } from "../../server/domain/drafts";
import { findMotion, listBallots } from "../../server/domain/motions";
import { createRound } from "../../server/domain/rounds";
import { saveVersion } from "../../server/domain/versions";
import type { User } from "../../server/domain/users";
import { buildUser } from "../../test/factories";
import { signedInClient, startTestServer, type TestClient, type TestServer } from "../../test/server";

let server: TestServer;
let owner: User;

beforeAll(async () => {
  server = await startTestServer();
  owner = await buildUser({ role: "secretariat" });
});
afterAll(async () => {
  await server.stop();
});

const as = (user: User): Promise<TestClient> => signedInClient(server, user);

/** A draft with an open amendment, in its voting phase. */
async function votingDraft(): Promise<{ draft: Draft; amendment: number }> {
  const created = await createDraft({ actor: owner, title: "Motions page", content: documentJson("Motions page", ["Preamble."], [section("Scope", clause("States should assess the risk."))]) });
  const text = await loadTextSnapshot(created.id);
  let range = { from: 0, to: 0 };
  text.node.descendants((node, pos) => {
    const index = node.isText ? (node.text ?? "").indexOf("should") : -1;
    if (index !== -1) range = { from: pos + index, to: pos + index + "should".length };
  });
  text.destroy();
  const amendment = await tableAmendment(server.live, { actor: await buildUser({ delegation: "dk" }), draftId: created.id, kind: "replace", range, proposed: "shall", rationale: "Binding." });
  await createRound(server.live, { actor: owner, draftId: created.id, round: { name: "Vote", phase: "voting", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false } });
  const draft = await findDraftById(created.id);
  if (!draft) throw new Error("gone");
  return { draft, amendment: amendment.number };
}

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);

async function motionsWritten(draft: Draft): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM motions WHERE draft_id = ${draft.id}`;
  return row?.n ?? -1;
}

describe("the motion pages", () => {
  it("let the secretariat put a motion (400 with field errors for bad input, nothing written), and no one else", async () => {
    const { draft, amendment } = await votingDraft();
    const secretariat = await as(owner);
    const form = { intent: "put", subject: "amendment", amendment: String(amendment), rule: "majority", quorum: "3", deadline: inHours(24), timeZone: "UTC" };
    const bad = await secretariat.post(`/drafts/${draft.slug}/motions`, { ...form, quorum: "9", deadline: "yesterday" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("The quorum is a whole number of delegations from 0 to 8.");
    const past = await secretariat.post(`/drafts/${draft.slug}/motions`, { ...form, deadline: inHours(-1) });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain("The deadline must be in the future.");
    const unknown = await secretariat.post(`/drafts/${draft.slug}/motions`, { ...form, amendment: "99" });
    expect(unknown.status).toBe(400);
    expect(await motionsWritten(draft)).toBe(0);
    const head = await as(await buildUser({ role: "head", delegation: "fr" }));
    expect((await head.post(`/drafts/${draft.slug}/motions`, form)).status).toBe(403);
    const put = await secretariat.post(`/drafts/${draft.slug}/motions`, form);
    expect(put.status).toBe(302);
    expect(put.headers.get("location")).toBe(`/drafts/${draft.slug}/motions/1`);
    const list = await (await head.get(`/drafts/${draft.slug}/motions`)).text();
    expect(list).toContain("M-1");
    expect(list).toContain("Adopt amendment A-1");
    expect((await head.get(`/drafts/${draft.slug}/motions/7`)).status).toBe(404);
  });

  it("say why the domain refuses a motion in the reader's words, with the refusal's particulars", async () => {
    const { draft, amendment } = await votingDraft();
    const tabled = await findAmendment({ draftId: draft.id, number: amendment });
    if (!tabled) throw new Error("no amendment");
    await withdrawAmendment(server.live, { actor: await buildUser({ delegation: "dk" }), amendment: tabled });
    const secretariat = await as(owner);
    const refused = await secretariat.post(`/drafts/${draft.slug}/motions`, {
      intent: "put", subject: "amendment", amendment: String(amendment), rule: "majority", quorum: "3", deadline: inHours(24), timeZone: "UTC",
    });
    expect(refused.status).toBe(400);
    // The domain said it as a key with the amendment's status; the page says it in English.
    expect(await refused.text()).toContain("This amendment is withdrawn: only an open amendment is put to a vote.");
    expect(await motionsWritten(draft)).toBe(0);
  });

  it("let a head vote for their own delegation only, never the secretariat or a delegate, and show the result once closed", async () => {
    const { draft, amendment } = await votingDraft();
    const secretariat = await as(owner);
    await secretariat.post(`/drafts/${draft.slug}/motions`, { intent: "put", subject: "amendment", amendment: String(amendment), rule: "majority", quorum: "2", deadline: inHours(24), timeZone: "UTC" });
    const path = `/drafts/${draft.slug}/motions/1`;
    const french = await as(await buildUser({ role: "head", delegation: "fr" }));
    const norwegian = await as(await buildUser({ role: "head", delegation: "no" }));
    const delegate = await as(await buildUser({ role: "delegate", delegation: "fr" }));
    expect((await french.post(path, { intent: "vote", choice: "yes", explanation: "For." })).status).toBe(200);
    // A field naming another delegation changes nothing: the ballot is the voter's delegation's.
    expect((await norwegian.post(path, { intent: "vote", choice: "no", delegation: "fr" })).status).toBe(200);
    expect((await norwegian.post(path, { intent: "vote", choice: "maybe" })).status).toBe(400);
    expect((await delegate.post(path, { intent: "vote", choice: "no" })).status).toBe(403);
    expect((await secretariat.post(path, { intent: "vote", choice: "yes" })).status).toBe(403);
    expect((await french.post(path, { intent: "close" })).status).toBe(403);
    const motion = await findMotion({ draftId: draft.id, number: 1 });
    expect((await listBallots(motion?.id ?? "")).map((ballot) => [ballot.delegationCode, ballot.choice])).toEqual([["fr", "yes"], ["no", "no"]]);
    const open = await (await delegate.get(path)).text();
    expect(open).toContain("Not voted yet: United States, Australia, Canada, Denmark, Netherlands, United Kingdom");
    expect((await secretariat.post(path, { intent: "close" })).status).toBe(200);
    const closed = await (await french.get(path)).text();
    expect(closed).toContain("Not adopted");
    expect(closed).toContain("The yes and no votes were tied: a tie is not a majority.");
    expect(closed).toContain("The amendment was rejected.");
    expect((await norwegian.post(path, { intent: "vote", choice: "yes" })).status).toBe(403);
  });

  it("mark a version adopted by the motion that adopted it, on the version's page", async () => {
    const { draft } = await votingDraft();
    const version = await saveVersion(server.live, { actor: owner, draftId: draft.id, name: "Text for adoption", kind: "manual" });
    const secretariat = await as(owner);
    const put = await secretariat.post(`/drafts/${draft.slug}/motions`, { intent: "put", subject: "version", version: String(version.number), rule: "consensus", quorum: "1", deadline: inHours(24), timeZone: "UTC" });
    expect(put.status).toBe(302);
    const head = await as(await buildUser({ role: "head", delegation: "nl" }));
    const versionPage = `/drafts/${draft.slug}/versions/${version.number}`;
    expect(await (await head.get(versionPage)).text()).not.toContain("Adopted by the delegations");
    expect((await head.post(`/drafts/${draft.slug}/motions/1`, { intent: "vote", choice: "yes" })).status).toBe(200);
    expect((await secretariat.post(`/drafts/${draft.slug}/motions/1`, { intent: "close" })).status).toBe(200);
    expect(await (await head.get(`/drafts/${draft.slug}/motions/1`)).text()).toContain("The version is adopted.");
    expect(await (await head.get(versionPage)).text()).toContain("Adopted by the delegations in motion M-1");
  });
  it("put a motion on a bracket from the page: offered each outcome, refused a bracket not in the text, and resolved as adopted", async () => {
    const created = await createDraft({
      actor: owner,
      title: "Bracket motion page",
      content: documentJson("Bracket motion page", ["Preamble."], [
        section("Scope", {
          type: "clause",
          attrs: { id: "c0000000000e9" },
          content: [{ type: "paragraph", content: [{ type: "text", text: "States assess " }, { type: "text", text: "each", marks: [{ type: "bracket", attrs: { id: "b0000000000e9", option: 0, supporters: "fr" } }] }, { type: "text", text: "every", marks: [{ type: "bracket", attrs: { id: "b0000000000e9", option: 1, supporters: "uk" } }] }, { type: "text", text: " licence." }] }],
        }),
      ]),
    });
    await createRound(server.live, { actor: owner, draftId: created.id, round: { name: "Vote", phase: "voting", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false } });
    const secretariat = await as(owner);
    const page = (await (await secretariat.get(`/drafts/${created.slug}/motions`)).text()).replaceAll("<!-- -->", "");
    expect(page).toContain('value="b0000000000e9:1"');
    expect(page).toContain("Resolve a bracket in clause 1.1: keep “every”");
    expect(page).toContain('value="b0000000000e9:none"');
    const form = { intent: "put", subject: "bracket", rule: "majority", quorum: "1", deadline: inHours(24), timeZone: "UTC" };
    expect((await secretariat.post(`/drafts/${created.slug}/motions`, { ...form, bracket: "b0000000000e9:7" })).status).toBe(400);
    expect((await secretariat.post(`/drafts/${created.slug}/motions`, { ...form, bracket: "<script>" })).status).toBe(400);
    expect((await secretariat.post(`/drafts/${created.slug}/motions`, { ...form, bracket: "b0000000000e9:1" })).status).toBe(302);
    const head = await as(await buildUser({ role: "head", delegation: "fr" }));
    expect(await (await head.get(`/drafts/${created.slug}/motions/1`)).text()).toContain("keep “every”");
    expect((await head.post(`/drafts/${created.slug}/motions/1`, { intent: "vote", choice: "yes" })).status).toBe(200);
    expect((await secretariat.post(`/drafts/${created.slug}/motions/1`, { intent: "close" })).status).toBe(200);
    expect(await (await head.get(`/drafts/${created.slug}/motions/1`)).text()).toContain("The bracket is resolved in the text as the motion asked.");
    expect((await loadTextSnapshot(created.id)).node.textContent).toContain("States assess every licence.");
  });
});
