import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section, type DocJson } from "../../schema/content";
import { listAmendments } from "../../server/domain/amendments";
import { listThreads } from "../../server/domain/annotations";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { loadStoredText, saveVersion } from "../../server/domain/versions";
import { createSession } from "../../server/auth/session";
import { connectClient, eventually, synced } from "../../test/collab-client";
import { paragraphText } from "../../test/text-ranges";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";
import { hasLibreOffice, resaveWithLibreOffice } from "../../test/libreoffice";
import { markUpAsCapital } from "../../test/word-capital";
import { readMarkedUpDocument } from "../../server/word/read-markup";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

let server: TestServer;
let draft: Draft;
let secretariat: User;
let french: User;
let paris: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  secretariat = await buildUser({ role: "secretariat" });
  french = await buildUser({ delegation: "fr" });
  draft = await createDraft({
    actor: secretariat,
    title: "Code of conduct",
    content: documentJson("Code of conduct", ["The partners agree as follows."], [
      section(
        "Scope",
        clause("States assess each licence against human rights criteria."),
        clause("Brokering and transit are covered by the code."),
        clause("The code is reviewed every year."),
      ),
    ]),
  });
  await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "Sent to capitals", kind: "manual" });
  paris = server.client();
  await paris.signIn(french.email);
});
afterAll(async () => {
  await server.stop();
});

function upload(client: TestClient, bytes: Uint8Array, slug = draft.slug): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)], { type: DOCX }), "capital.docx");
  return client.fetch(`/drafts/${slug}/amendments/word`, { method: "POST", body: form });
}

/** The Word file France sends its capital: version 1 against the live text, as tracked changes. */
async function exported(): Promise<Uint8Array> {
  const response = await paris.get(`/drafts/${draft.slug}/compare/1/live.docx`);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

describe("a capital's marked-up Word file brought back as amendments", () => {
  it("proposes each tracked change as an amendment, shows changed words side by side, and tables what the delegation keeps", async () => {
    const marked = markUpAsCapital(
      await exported(),
      [
        { find: "each", replace: "every", author: "Paris (DGRIS)", comment: "Stronger wording." },
        { find: " and transit", replace: "", author: "Paris (DGRIS)" },
      ],
      [{ on: "reviewed every year", text: "Who reviews it?", author: "Paris (DGRIS)" }],
    );
    // Meanwhile in Accord, the words of the second change are changed by someone else.
    const london = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession((await buildUser({ delegation: "uk" })).id)).token });
    try {
      await synced(london);
      paragraphText(london.doc, "Brokering").insert("Brokering and transit".length, " by sea");
      await eventually(async () => (await loadStoredText(draft.id)).node.textContent.includes("transit by sea"), 5000, "the edit to be stored");
    } finally {
      london.destroy();
    }

    const sent = await upload(paris, marked);
    expect(sent.status).toBe(302);
    const review = sent.headers.get("location") ?? "";
    expect(review).toMatch(new RegExp(`^/drafts/${draft.slug}/amendments/word/[0-9a-f-]{36}$`));
    // React separates neighbouring text with empty comments.
    const page = (await (await paris.get(review)).text()).replaceAll("<!-- -->", "");
    expect(page).toContain("Clause 1.1 — Replace");
    expect(page).toContain("Changed by Paris (DGRIS)");
    expect(page).toContain("Stronger wording.");
    expect(page).toContain("Who reviews it?");

    const form = Object.fromEntries([...page.matchAll(/name="(take:[^"]+)"/g)].map((match) => [match[1] ?? "", "on"]));
    const keys = Object.keys(form).map((name) => name.slice("take:".length));
    expect(keys).toHaveLength(2);
    const [first, second] = keys as [string, string];
    const note = /name="(note:[^"]+)"/.exec(page)?.[1] ?? "";
    // A choice without a rationale is refused with the others, before anything is tabled.
    const unexplained = await paris.post(review, { [`take:${first}`]: "on", [`proposed:${first}`]: "every single", [`rationale:${first}`]: "  " });
    expect(unexplained.status).toBeGreaterThanOrEqual(400);
    expect(unexplained.status).toBeLessThan(500);
    expect(await unexplained.text()).toContain("Give the rationale");
    expect(await listAmendments({ draftId: draft.id })).toEqual([]);
    const tabled = await paris.post(review, {
      [`take:${first}`]: "on",
      [`proposed:${first}`]: "every single",
      [`rationale:${first}`]: "Stronger wording.",
      [`take:${second}`]: "on",
      [`proposed:${second}`]: "Brokering by sea is covered by the code.",
      [`rationale:${second}`]: "Transit is dealt with elsewhere.",
      [note]: "all",
    });
    expect(tabled.status).toBe(302);
    expect(tabled.headers.get("location")).toBe(`/drafts/${draft.slug}/amendments/word?tabled=2&threads=1`);

    const amendments = await listAmendments({ draftId: draft.id });
    expect(amendments.map((amendment) => [amendment.delegationCode, amendment.kind, amendment.quote, amendment.proposed, amendment.rationale])).toEqual([
      ["fr", "replace", "each", "every single", "Stronger wording."],
      ["fr", "replace", "Brokering and transit by sea are covered by the code.", "Brokering by sea is covered by the code.", "Transit is dealt with elsewhere."],
    ]);
    const threads = await listThreads(server.live, { viewer: french, draftId: draft.id });
    expect(threads.map((thread) => [thread.visibility, thread.quote, thread.comments[0]?.body])).toEqual([["all", "reviewed every year", "Who reviews it?"]]);
    // The file was used: it is gone.
    expect((await paris.get(review)).headers.get("location")).toBe(`/drafts/${draft.slug}/amendments/word?gone=1`);
  });

  it.runIf(hasLibreOffice())(
    "reads the same changes from a copy saved again by LibreOffice, which keeps the text it was sent",
    async () => {
      const marked = markUpAsCapital(await exported(), [{ find: "reviewed every year", replace: "reviewed every two years", author: "Ottawa" }]);
      const resaved = await resaveWithLibreOffice(marked);
      expect(readMarkedUpDocument(resaved).baseline?.draftId).toBe(draft.id);
      for (const file of [marked, resaved]) {
        const sent = await upload(paris, file);
        expect(sent.status).toBe(302);
        const page = (await (await paris.get(sent.headers.get("location") ?? "")).text()).replaceAll("<!-- -->", "");
        expect(page).toContain("1 change was found.");
        expect(page).toContain("Changed by Ottawa");
        expect(page).toMatch(/Words it changes: <del[^>]*>year<\/del>/);
      }
    },
    60_000,
  );

  it("refuses a Word file that is not a copy of this draft, and files that are not Word, keeping nothing", async () => {
    const [before] = await server.database.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM word_imports`;
    const other = await upload(paris, readFileSync(new URL("../../test/fixtures/word/numbered-auto.docx", import.meta.url)));
    expect(other.status).toBe(422);
    expect(await other.text()).toContain("not a copy of this draft");
    // A download of another draft, even one sharing its clause ids, is not a copy of this one.
    const twin = await createDraft({ actor: secretariat, title: "Twin", content: (await loadStoredText(draft.id)).node.toJSON() as DocJson });
    const twinCopy = await paris.get(`/drafts/${twin.slug}/compare/1/live.docx`);
    expect(twinCopy.status).toBe(404);
    await saveVersion(server.live, { actor: secretariat, draftId: twin.id, name: "Twin's first", kind: "manual" });
    const fromTwin = markUpAsCapital(new Uint8Array(await (await paris.get(`/drafts/${twin.slug}/compare/1/live.docx`)).arrayBuffer()), [{ find: "reviewed", replace: "revised", author: "Paris" }]);
    const refusedTwin = await upload(paris, fromTwin);
    expect(refusedTwin.status).toBe(422);
    expect(await refusedTwin.text()).toContain("not a copy of this draft");
    const pdf = await upload(paris, new TextEncoder().encode("%PDF-1.4"));
    expect(pdf.status).toBe(422);
    const [after] = await server.database.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM word_imports`;
    expect(after?.count).toBe(before?.count);
  });

  it("lets only those who may table amendments bring a file back", async () => {
    const secretariatClient = server.client();
    await secretariatClient.signIn(secretariat.email);
    expect((await secretariatClient.get(`/drafts/${draft.slug}/amendments/word`)).status).toBe(403);
    const observer = server.client();
    await observer.signIn((await buildUser({ role: "observer", delegation: null })).email);
    expect((await upload(observer, await exported())).status).toBe(403);
  });
});

describe("square brackets in a capital's marked-up Word file", () => {
  const option = (text: string, id: string, index: number): DocJson => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id, option: index, supporters: "fr" } }] });
  const clauseOf = (id: string, before: string, options: [string, string], id2: string, after: string): DocJson => ({
    type: "clause",
    attrs: { id },
    content: [{ type: "paragraph", content: [{ type: "text", text: before }, option(options[0], id2, 0), option(options[1], id2, 1), { type: "text", text: after }] }],
  });
  let bracketed: Draft;

  beforeAll(async () => {
    bracketed = await createDraft({
      actor: secretariat,
      title: "Bracketed code",
      content: documentJson("Bracketed code", ["The partners agree as follows."], [
        section(
          "Scope",
          clauseOf("c00000000d0a1", "States assess ", ["each", "every"], "b00000000d0a1", " licence."),
          clauseOf("c00000000d0a2", "Transit is ", ["covered", "excluded"], "b00000000d0a2", "."),
          clauseOf("c00000000d0a3", "Brokering is covered ", ["in full", "in part"], "b00000000d0a3", "."),
          clauseOf("c00000000d0a4", "Reports are ", ["annual", "biennial"], "b00000000d0a4", "."),
        ),
      ]),
    });
    await saveVersion(server.live, { actor: secretariat, draftId: bracketed.id, name: "Sent to capitals", kind: "manual" });
  });

  it("proposes a change inside an option on its words and the deletion of a whole bracket on its options, leaves a changed sign to the delegation, and nothing for brackets left alone", async () => {
    const download = await paris.get(`/drafts/${bracketed.slug}/compare/1/live.docx`);
    expect(download.status).toBe(200);
    const marked = markUpAsCapital(new Uint8Array(await download.arrayBuffer()), [
      { find: "each", replace: "all", author: "Paris" },
      { find: " [in full / in part]", replace: "", author: "Paris" },
      { find: "[annual", replace: "annual", author: "Paris" },
    ]);
    const sent = await upload(paris, marked, bracketed.slug);
    expect(sent.status).toBe(302);
    const review = sent.headers.get("location") ?? "";
    const page = (await (await paris.get(review)).text()).replaceAll("<!-- -->", "");
    expect(page).toContain("3 changes were found.");
    // Clause 1.2's bracket, left alone, is no change; clause 1.4's deleted sign is the delegation's to decide.
    expect(page).not.toContain("Clause 1.2 —");
    expect(page).toContain("The capital changed the square brackets themselves");
    expect(page).toContain("Reports are annual / biennial].");

    const tabled = await paris.post(review, {
      "take:c00000000d0a1:0:0": "on",
      "proposed:c00000000d0a1:0:0": "all",
      "rationale:c00000000d0a1:0:0": "All licences alike.",
      "take:c00000000d0a3:0:0": "on",
      "rationale:c00000000d0a3:0:0": "Brokering is covered, without qualification.",
    });
    expect(tabled.status).toBe(302);
    expect(tabled.headers.get("location")).toBe(`/drafts/${bracketed.slug}/amendments/word?tabled=2&threads=0`);
    const amendments = await listAmendments({ draftId: bracketed.id });
    // The deletion is of the bracket's options, which are the text's words (the signs are not).
    expect(amendments.map((amendment) => [amendment.kind, amendment.quote, amendment.proposed])).toEqual([
      ["replace", "each", "all"],
      ["delete", " in fullin part", ""],
    ]);
  });
});
