import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";

import { createDraft, type Draft } from "../../server/domain/drafts";
import { createRound } from "../../server/domain/rounds";
import { loadStoredText } from "../../server/domain/versions";
import { contentHash } from "../../server/render/canonical";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";
import type { User } from "../../server/domain/users";
import { editText } from "../../server/domain/live-texts";

let server: TestServer;
let draft: Draft;
let owner: User;
let secretariat: TestClient;
let delegate: TestClient;
let observer: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  owner = await buildUser({ role: "secretariat" });
  draft = await createDraft({
    actor: owner,
    title: "Versioned",
    content: documentJson("Versioned", ["Preamble."], [section("Scope", clause("States assess each licence."), clause("Brokering is covered."))]),
  });
  secretariat = await signedIn(owner);
  delegate = await signedIn(await buildUser({ delegation: "ca" }));
  observer = await signedIn(await buildUser({ role: "observer", delegation: null }));
});
afterAll(async () => {
  await server.stop();
});

async function signedIn(user: User): Promise<TestClient> {
  const client = server.client();
  await client.signIn(user.email);
  return client;
}

async function versionCount(): Promise<number> {
  const [row] = await server.database.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM versions WHERE draft_id = ${draft.id}`;
  return row?.count ?? -1;
}

const save = (client: TestClient, form: Record<string, string>) => client.post(`/drafts/${draft.slug}/versions`, { intent: "save", ...form });

describe("the version pages", () => {
  it("let a delegate save a version, then list and open it with its hash and author", async () => {
    const response = await save(delegate, { name: "First reading", note: "As sent to capitals." });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/drafts/${draft.slug}/versions/1`);

    const list = await (await delegate.get(`/drafts/${draft.slug}/versions`)).text();
    expect(list).toContain("First reading");
    expect(list).toContain("As sent to capitals.");
    const page = await (await observer.get(`/drafts/${draft.slug}/versions/1`)).text();
    const stored = await loadStoredText(draft.id);
    expect(page).toContain(contentHash(stored.node));
    expect(page).toContain("States assess each licence.");
    expect(page).toMatch(/id="clause-c[0-9a-f]{12}"/);
    // Only the secretariat is offered a restore.
    expect(page).not.toContain("Restore v1");
    expect(await (await secretariat.get(`/drafts/${draft.slug}/versions/1`)).text()).toContain("Restore v1");
    // The draft page links to the versions.
    expect(await (await delegate.get(`/drafts/${draft.slug}`)).text()).toContain(`href="/drafts/${draft.slug}/versions"`);
  });

  it("store the name of a version the server saves as a code, and show it in the reader's words", async () => {
    const phased = await createDraft({ actor: owner, title: "Phased", content: documentJson("Phased", ["Preamble."], [section("Scope", clause("Text."))]) });
    // A round that opens now: the change of phase keeps the text as a version named by the server.
    await createRound(server.live, {
      actor: owner,
      draftId: phased.id,
      round: { name: "Opening round", phase: "drafting", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false },
    });
    const [stored] = await server.database.sql<{ name: string | null; name_key: string; name_params: unknown }[]>`
      SELECT name, name_key, name_params FROM versions WHERE draft_id = ${phased.id}`;
    expect(stored).toEqual({ name: null, name_key: "versionName.phaseStarted", name_params: { phase: "drafting", round: "Opening round" } });
    const list = await (await delegate.get(`/drafts/${phased.slug}/versions`)).text();
    expect(list).toContain("Start of Drafting: Opening round");
    expect(list).not.toContain("versionName.");
    expect(await (await delegate.get(`/drafts/${phased.slug}/versions/1`)).text()).toContain("Start of Drafting: Opening round");
  });

  it("refuse a version without a name or with too long a note (400, nothing saved), and observers (403)", async () => {
    const before = await versionCount();
    const unnamed = await save(delegate, { name: "  " });
    expect(unnamed.status).toBe(400);
    expect(await unnamed.text()).toContain("This field is required");
    expect((await save(delegate, { name: "Long", note: "x".repeat(2001) })).status).toBe(400);
    expect((await save(observer, { name: "Watching" })).status).toBe(403);
    expect(await versionCount()).toBe(before);
  });

  it("answer 404 for a version or draft that does not exist, and send the signed-out to sign in", async () => {
    for (const path of [`/drafts/${draft.slug}/versions/99`, `/drafts/${draft.slug}/versions/abc`, `/drafts/${draft.slug}/versions/0`, "/drafts/no-such/versions", `/drafts/${draft.slug}/compare/1/99`, `/drafts/${draft.slug}/compare/x/live`]) {
      expect((await delegate.get(path)).status, path).toBe(404);
    }
    const anonymous = await server.client().get(`/drafts/${draft.slug}/versions`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/login");
  });

  it("compare two versions and a version with the live text, as a redline with a summary", async () => {
    await editText(server.live.texts, {
      draftId: draft.id,
      author: { userId: owner.id, delegationCode: null },
      change: (current) => current.type.schema.nodeFromJSON(JSON.parse(JSON.stringify(current.toJSON()).replace("each licence", "every licence"))),
    });
    expect((await save(delegate, { name: "Second reading" })).status).toBe(302);

    // The no-JavaScript picker sends its choice on to the comparison.
    const picked = await delegate.get(`/drafts/${draft.slug}/versions?from=1&to=2`);
    expect(picked.status).toBe(302);
    expect(picked.headers.get("location")).toBe(`/drafts/${draft.slug}/compare/1/2`);

    const redline = await (await delegate.get(`/drafts/${draft.slug}/compare/1/2`)).text();
    expect(redline).toContain("1 clause changed");
    expect(redline).toContain("<del>each</del><ins>every</ins>");
    const live = await (await observer.get(`/drafts/${draft.slug}/compare/2/live`)).text();
    expect(live).toContain("No differences");
  });

  it("let only the secretariat restore, after confirming, bringing the old text back", async () => {
    const confirm = await (await secretariat.get(`/drafts/${draft.slug}/versions/1?restore=confirm`)).text();
    expect(confirm).toContain("Yes, restore v1");
    expect((await delegate.post(`/drafts/${draft.slug}/versions/1`, { intent: "restore" })).status).toBe(403);
    expect((await secretariat.post(`/drafts/${draft.slug}/versions/99`, { intent: "restore" })).status).toBe(404);
    expect((await secretariat.post(`/drafts/${draft.slug}/versions/1`, { intent: "nothing" })).status).toBe(400);
    expect((await loadStoredText(draft.id)).node.textContent).toContain("every licence");

    const restored = await secretariat.post(`/drafts/${draft.slug}/versions/1`, { intent: "restore" });
    expect(restored.status).toBe(302);
    expect(restored.headers.get("location")).toBe(`/drafts/${draft.slug}`);
    const [first] = await server.database.sql<{ sha256: string }[]>`SELECT sha256 FROM versions WHERE draft_id = ${draft.id} AND number = 1`;
    expect(contentHash((await loadStoredText(draft.id)).node)).toBe(first?.sha256);
    const [audit] = await server.database.sql<{ actor_id: string }[]>`
      SELECT actor_id FROM audit_events WHERE action = 'version.restored' AND target_id = ${draft.id}`;
    expect(audit?.actor_id).toBe(owner.id);
  });
});
