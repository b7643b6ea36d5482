import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { createSession } from "../../server/auth/session";
import { createThread } from "../../server/domain/annotations";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { loadStoredText, saveVersion } from "../../server/domain/versions";
import { connectClient, eventually, synced, type CollabClient } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { hasLibreOffice, inspectWithLibreOffice } from "../../test/libreoffice";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";
import { paragraphText, rangeOf } from "../../test/text-ranges";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

let server: TestServer;
let draft: Draft;
let secretariat: User;
let french: User;
let canadian: User;
let reader: TestClient;
const clients: CollabClient[] = [];

async function editor(user: User): Promise<CollabClient> {
  const client = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(user.id)).token });
  clients.push(client);
  await synced(client);
  return client;
}

async function stored(words: string): Promise<void> {
  await eventually(async () => (await loadStoredText(draft.id)).node.textContent.includes(words), 5000, `"${words}" to be stored`);
}

beforeAll(async () => {
  server = await startTestServer();
  secretariat = await buildUser({ role: "secretariat" });
  french = await buildUser({ delegation: "fr" });
  canadian = await buildUser({ delegation: "ca" });
  draft = await createDraft({
    actor: secretariat,
    title: "Code of conduct",
    content: documentJson("Code of conduct", ["The partners agree as follows."], [
      section("Scope", clause("States assess each licence against human rights criteria."), clause("Brokering and transit are covered by the code.")),
    ]),
  });
  await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "Before capitals", kind: "manual" });

  // France rewrites words of the first clause; Canada deletes words of the second.
  const paris = await editor(french);
  const first = paragraphText(paris.doc, "States assess");
  first.delete("States assess ".length, "each".length);
  first.insert("States assess ".length, "every export");
  await stored("every export licence");
  const ottawa = await editor(canadian);
  const second = paragraphText(ottawa.doc, "Brokering");
  second.delete("Brokering".length, " and transit".length);
  await stored("Brokering are covered");
  await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "After capitals", kind: "manual" });

  await createThread(server.live, { actor: canadian, draftId: draft.id, range: await rangeOf(draft.id, "Brokering"), body: "Transit belongs elsewhere.", visibility: "all" });
  await createThread(server.live, { actor: french, draftId: draft.id, range: await rangeOf(draft.id, "every export"), body: "Note for Paris only.", visibility: "delegation" });

  reader = server.client();
  await reader.signIn((await buildUser({ delegation: "uk" })).email);
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.stop();
});

async function download(path: string): Promise<Buffer> {
  const response = await reader.get(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get("content-type")).toBe(DOCX);
  expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="code-of-conduct-v\d-(v\d|live)\.docx"$/);
  return Buffer.from(await response.arrayBuffer());
}

// The text under the title and the caption (which names the compared sides).
const body = (text: string) => text.split("\n").slice(2).join("\n");

describe("a comparison downloaded as Word tracked changes", () => {
  it("offers the download on the comparison page, for anyone who may read the versions", async () => {
    const page = await (await reader.get(`/drafts/${draft.slug}/compare/1/2`)).text();
    expect(page).toContain(`action="/drafts/${draft.slug}/compare/1/2.docx"`);
    const stranger = server.client();
    const refused = await stranger.get(`/drafts/${draft.slug}/compare/1/2.docx`);
    expect(refused.status).toBe(302);
    expect(refused.headers.get("location")).toMatch(/^\/login/);
    expect((await reader.get(`/drafts/${draft.slug}/compare/1/9.docx`)).status).toBe(404);
  });

  it.runIf(hasLibreOffice())(
    "lists each change under the delegation that made it; accepting all gives the newer text, rejecting all the older",
    async () => {
      const redline = await inspectWithLibreOffice(await download(`/drafts/${draft.slug}/compare/1/2.docx?comments=1`));
      const pairs = new Set(redline.revisions.map((revision) => `${revision.type}:${revision.author}`));
      expect(pairs).toEqual(new Set(["Delete:France", "Insert:France", "Delete:Canada"]));
      expect(redline.accepted).toContain("States assess every export licence against human rights criteria.");
      expect(redline.accepted).toContain("Brokering are covered by the code.");
      expect(redline.rejected).toContain("States assess each licence against human rights criteria.");
      expect(redline.rejected).toContain("Brokering and transit are covered by the code.");
      // Exactly the two versions: each as a comparison of that version with itself shows it.
      const [older, newer] = await Promise.all([1, 2].map(async (n) => inspectWithLibreOffice(await download(`/drafts/${draft.slug}/compare/${n}/${n}.docx`))));
      expect(newer?.revisions).toEqual([]);
      expect(body(redline.accepted)).toBe(body(newer?.asIs ?? ""));
      expect(body(redline.rejected)).toBe(body(older?.asIs ?? ""));
      // The shared comment comes as a Word comment; the French delegation's private note does not.
      expect(redline.comments.map((comment) => comment.text).join("\n")).toContain("Transit belongs elsewhere.");
      expect(redline.comments.map((comment) => comment.text).join("\n")).not.toContain("Paris");
    },
    60_000,
  );

  it.runIf(hasLibreOffice())(
    "compares a version with the live text, without comments unless asked",
    async () => {
      const live = await inspectWithLibreOffice(await download(`/drafts/${draft.slug}/compare/1/live.docx`));
      expect(live.comments).toEqual([]);
      expect(live.accepted).toContain("States assess every export licence");
      expect(live.rejected).toContain("States assess each licence");
    },
    60_000,
  );
});
