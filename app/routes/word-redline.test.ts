import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bracketsIn } from "../../schema/brackets";
import { clause, documentJson, section, type DocJson } from "../../schema/content";
import { createSession } from "../../server/auth/session";
import { createThread } from "../../server/domain/annotations";
import { resolveBracketInText } from "../../server/domain/brackets";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { findVersion, loadStoredText, saveVersion } from "../../server/domain/versions";
import { plainText, toExportDocument } from "../../server/render/export-document";
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

async function editor(user: User, draftId = draft.id): Promise<CollabClient> {
  const client = connectClient({ baseUrl: server.url, draftId, cookie: (await createSession(user.id)).token });
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
  expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="[a-z0-9-]+-v\d-(v\d|live)\.docx"$/);
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

describe("square brackets in the Word comparison", () => {
  const FRENCH_BRACKET = "b00000000f0a1";
  let bracketed: Draft;

  beforeAll(async () => {
    const option = (text: string, index: number): DocJson => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id: "b00000000c0a1", option: index, supporters: "uk" } }] });
    bracketed = await createDraft({
      actor: secretariat,
      title: "Bracketed code",
      content: documentJson("Bracketed code", ["The partners agree as follows."], [
        section("Scope", clause("States assess each licence."), {
          type: "clause",
          attrs: { id: "c00000000b0a2" },
          content: [{ type: "paragraph", content: [{ type: "text", text: "Transit is " }, option("covered", 0), option("excluded", 1), { type: "text", text: "." }] }],
        }),
      ]),
    });
    await saveVersion(server.live, { actor: secretariat, draftId: bracketed.id, name: "Before brackets", kind: "manual" });
    // France brackets "each" with an alternative of its own, as the editor writes a bracket: the mark
    // on the words, and the alternative typed with its mark.
    const paris = await editor(french, bracketed.id);
    const text = paragraphText(paris.doc, "States assess");
    paris.doc.transact(() => {
      text.format("States assess ".length, "each".length, { bracket: { id: FRENCH_BRACKET, option: 0, supporters: "" } });
      text.insert("States assess each".length, "every", { bracket: { id: FRENCH_BRACKET, option: 1, supporters: "fr" } });
    });
    await eventually(async () => bracketsIn((await loadStoredText(bracketed.id)).node).length === 2, 5000, "the bracket to be stored");
    await saveVersion(server.live, { actor: secretariat, draftId: bracketed.id, name: "Bracketed", kind: "manual" });
    // The secretariat resolves it, keeping the second alternative.
    await resolveBracketInText(server.live, { actor: secretariat, draftId: bracketed.id, bracketId: FRENCH_BRACKET, keep: 1 });
    await saveVersion(server.live, { actor: secretariat, draftId: bracketed.id, name: "Resolved", kind: "manual" });
  }, 60_000);

  const inspect = async (from: number, to: number) => inspectWithLibreOffice(await download(`/drafts/${bracketed.slug}/compare/${from}/${to}.docx`));
  // The clause paragraphs of a version as its own download writes them (server/render/export-document.ts).
  const downloaded = async (number: number) => {
    const version = await findVersion(bracketed.id, number);
    if (!version) throw new Error(`no version ${number}`);
    const document = toExportDocument(version.content, { publicTitle: "", versionNumber: number, statusLabel: "", date: version.createdAt, sha256: "", lang: "en", url: null });
    return document.sections.flatMap((entry) => entry.clauses.flatMap((item) => item.blocks.flatMap((block) => (block.kind === "paragraph" ? [plainText(block.inlines)] : []))));
  };
  const clauseLines = (text: string) => text.split("\n").filter((line) => /^\d+\.\d+\t/.test(line)).map((line) => line.replace(/^\d+\.\d+\t/, ""));

  it.runIf(hasLibreOffice())(
    "shows a bracket added as inserted by whoever added it, one resolved as deleted by whoever resolved it, and one left alone as text, as each version's download does",
    async () => {
      const [added, resolved] = await Promise.all([inspect(1, 2), inspect(2, 3)]);
      const sides = await Promise.all([1, 2, 3].map((n) => inspect(n, n)));
      const [first, second, third] = sides.map((side) => side.asIs);

      expect(new Set(added.revisions.map((revision) => `${revision.type}:${revision.author}`))).toEqual(new Set(["Insert:France"]));
      expect(clauseLines(added.accepted)).toEqual(await downloaded(2));
      expect(clauseLines(added.accepted)).toEqual(["States assess [each / every] licence.", "Transit is [covered / excluded]."]);
      expect(clauseLines(added.rejected)).toEqual(await downloaded(1));
      expect(clauseLines(added.rejected)).toEqual(["States assess each licence.", "Transit is [covered / excluded]."]);
      expect(body(added.accepted)).toBe(body(second ?? ""));
      expect(body(added.rejected)).toBe(body(first ?? ""));

      expect(new Set(resolved.revisions.map((revision) => `${revision.type}:${revision.author}`))).toEqual(new Set(["Delete:Secretariat"]));
      expect(clauseLines(resolved.accepted)).toEqual(await downloaded(3));
      expect(clauseLines(resolved.accepted)).toEqual(["States assess every licence.", "Transit is [covered / excluded]."]);
      expect(clauseLines(resolved.rejected)).toEqual(await downloaded(2));
      expect(body(resolved.accepted)).toBe(body(third ?? ""));
      expect(body(resolved.rejected)).toBe(body(second ?? ""));
    },
    180_000,
  );
});
