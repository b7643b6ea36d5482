import { yDocToProsemirrorJSON } from "y-prosemirror";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { clause, documentJson, section } from "../../schema/content";
import { schema, YJS_FRAGMENT } from "../../schema/prosemirror";
import { readStoredState } from "../../server/text-store/current-text";
import { appendUpdates, loadDraftState } from "../../server/text-store/persistence";
import { checkAllDrafts } from "../../server/collab/repair";
import { createThread, listThreads } from "../../server/domain/annotations";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { saveVersion } from "../../server/domain/versions";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";
import { rangeOf } from "../../test/text-ranges";

let server: TestServer;
let owner: User;
let writer: User;
let secretariat: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  // The start-up check has nothing to do yet; waiting for it keeps it out of what follows.
  await server.accord.draftCheck;
  owner = await buildUser({ role: "secretariat" });
  writer = await buildUser({ delegation: "fr" });
  secretariat = server.client();
  await secretariat.signIn(owner.email);
});
afterAll(async () => {
  await server.stop();
});

type Fragment = Y.XmlFragment;
const element = (fragment: Fragment, ...path: number[]): Y.XmlElement =>
  path.reduce<Y.XmlFragment>((parent, index) => parent.get(index) as Y.XmlElement, fragment) as Y.XmlElement;
const textIn = (fragment: Fragment, ...path: number[]): Y.XmlText => element(fragment, ...path) as unknown as Y.XmlText;
function paragraphOf(words: string): Y.XmlElement {
  const paragraph = new Y.XmlElement("paragraph");
  const text = new Y.XmlText();
  text.insert(0, words);
  paragraph.insert(0, [text]);
  return paragraph;
}

// Each kind of content outside the schema that a stock Yjs client could write before the server
// enforced it. The text: title, preamble (one paragraph), section 1 (heading, two clauses).
const SPOILERS: Record<string, (fragment: Fragment) => void> = {
  "an unknown element": (fragment) => element(fragment, 2).insert(1, [new Y.XmlElement("blink")]),
  "an unknown mark": (fragment) => textIn(fragment, 1, 0, 0).format(0, 5, { blink: {} }),
  "text directly under the document": (fragment) => {
    const text = new Y.XmlText();
    text.insert(0, "Loose words.");
    fragment.insert(fragment.length, [text]);
  },
  "a link without an href or with an unsafe one": (fragment) => {
    textIn(fragment, 1, 0, 0).format(0, 3, { link: {} });
    textIn(fragment, 2, 1, 0, 0).format(0, 6, { link: { href: "javascript:alert(1)" } });
  },
  "a paragraph where a clause belongs": (fragment) => element(fragment, 2).insert(1, [paragraphOf("A paragraph in the section.")]),
  "a second title": (fragment) => {
    const title = new Y.XmlElement("title");
    const text = new Y.XmlText();
    text.insert(0, "Another title");
    title.insert(0, [text]);
    fragment.insert(1, [title]);
  },
  "a section without heading": (fragment) => element(fragment, 2).delete(0, 1),
  "an empty preamble": (fragment) => element(fragment, 1).delete(0, element(fragment, 1).length),
  "bad attribute values": (fragment) => {
    element(fragment, 2, 1).setAttribute("id", 42 as unknown as string);
    element(fragment, 2, 1).setAttribute("onclick", "alert(1)");
  },
  "an embed in a text": (fragment) => textIn(fragment, 2, 1, 0, 0).insertEmbed(4, { image: "x.png" }),
};

async function spoiledDraft(title: string, spoil: (fragment: Fragment) => void): Promise<Draft> {
  const draft = await createDraft({
    actor: owner,
    title,
    content: documentJson(title, ["Whereas the partners agree."], [section("Scope", clause("States assess each licence."), clause("Brokering is covered."))]),
  });
  await saveVersion(server.live, { actor: owner, draftId: draft.id, name: "Before", kind: "manual" });
  await writeBelowTheServer(draft.id, spoil);
  return draft;
}

// Appends an update made with a plain Y.Doc straight to the stored log, below the collaboration
// server, as a draft written before the schema was enforced holds it.
async function writeBelowTheServer(draftId: string, spoil: (fragment: Fragment) => void): Promise<void> {
  const { update } = await loadDraftState(draftId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const before = Y.encodeStateVector(doc);
  spoil(doc.getXmlFragment(YJS_FRAGMENT));
  await appendUpdates(draftId, [{ update: Y.encodeStateAsUpdate(doc, before), userId: writer.id, delegationCode: "fr" }]);
  doc.destroy();
}

// What y-prosemirror builds from the stored Yjs text, unnormalised: what failed before.
function rawStoredText(update: Uint8Array) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const json = yDocToProsemirrorJSON(doc, YJS_FRAGMENT);
  doc.destroy();
  return json;
}

function checks(json: unknown): boolean {
  try {
    schema.nodeFromJSON(json).check();
    return true;
  } catch {
    return false;
  }
}

const publishForm = { publicTitle: "Code", summary: "For comment.", statusLabel: "Consultation draft", attribution: "named" };

describe("a draft holding content outside the schema", () => {
  it.each(Object.keys(SPOILERS))("with %s: every page, saving, publishing and every download answer 200", async (kind) => {
    const spoil = SPOILERS[kind];
    if (!spoil) throw new Error(kind);
    const draft = await spoiledDraft(`Spoiled ${Object.keys(SPOILERS).indexOf(kind)}`, spoil);
    expect(readStoredState((await loadDraftState(draft.id)).update).valid).toBe(false);
    const base = `/drafts/${draft.slug}`;
    for (const path of [base, `${base}/motions`, `${base}/desk`, `${base}/versions`, `${base}/versions/1`, `${base}/compare/1/live`, `${base}/amendments`, `${base}/threads`, `/drafts`]) {
      expect((await secretariat.get(path)).status, path).toBe(200);
    }

    const saved = await secretariat.post(`${base}/versions`, { intent: "save", name: "After" });
    expect(saved.status).toBe(302);
    // The version holds valid text, and so does the draft, repaired first.
    const [version] = await server.database.sql<{ content: unknown }[]>`
      SELECT content FROM versions WHERE draft_id = ${draft.id} AND number = 2`;
    expect(checks(version?.content)).toBe(true);
    expect(checks(rawStoredText((await loadDraftState(draft.id)).update))).toBe(true);
    expect((await secretariat.get(`${base}/compare/1/2`)).status).toBe(200);

    const published = await secretariat.post(`${base}/versions/2/publish`, publishForm);
    expect(published.status).toBe(302);
    const anonymous = server.client();
    for (const path of [`/p/${draft.slug}`, `/p/${draft.slug}/v/2`, `/p/${draft.slug}/feed.xml`, ...["pdf", "docx", "md", "html"].map((ext) => `/p/${draft.slug}/v/2.${ext}`)]) {
      expect((await anonymous.get(path)).status, path).toBe(200);
    }
  });
});

describe("a stored version whose text is outside the schema", () => {
  const badContent = {
    type: "doc",
    content: [
      { type: "title", content: [{ type: "text", text: "Old", marks: [{ type: "blink" }] }] },
      { type: "preamble", content: [] },
      { type: "section", content: [{ type: "paragraph", content: [{ type: "text", text: "Where a clause belongs." }] }, { type: "marquee" }] },
      { type: "text", text: "Under the document." },
    ],
  };

  // A version row as the code before the schema was enforced could store it, written with SQL.
  async function insertVersion(draftId: string, number: number): Promise<string> {
    const [row] = await server.database.sql<{ id: string }[]>`
      INSERT INTO versions (draft_id, number, name, note, kind, author_id, yjs_state, content, html, sha256)
      VALUES (${draftId}, ${number}, ${`Old ${number}`}, '', 'manual', ${owner.id}, ${Buffer.from([0, 0])},
              ${server.database.sql.json(badContent)}, '<article class="document"><p>Where a clause belongs.</p></article>', ${"0".repeat(64)})
      RETURNING id`;
    return row?.id ?? "";
  }

  it("still renders on the public site and downloads, and cannot be published", async () => {
    const draft = await createDraft({ actor: owner, title: "Old versions" });
    const first = await insertVersion(draft.id, 1);
    await insertVersion(draft.id, 2);
    await server.database.sql`
      INSERT INTO publications (draft_id, version_id, public_title, summary, status_label, attribution, published_by, record)
      VALUES (${draft.id}, ${first}, 'Old code', '', 'Consultation draft', 'named', ${owner.id},
              ${server.database.sql.json({ amendments: [], positions: [], motions: [] })})`;

    const anonymous = server.client();
    for (const path of [`/p/${draft.slug}`, `/p/${draft.slug}/v/1`, `/p/${draft.slug}/feed.xml`, ...["pdf", "docx", "md", "html"].map((ext) => `/p/${draft.slug}/v/1.${ext}`)]) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(200);
      if (path.endsWith(".md")) expect(await response.text()).toContain("Where a clause belongs.");
    }
    for (const path of [`/drafts/${draft.slug}/versions/1`, `/drafts/${draft.slug}/compare/1/2`, `/drafts/${draft.slug}/compare/2/live`]) {
      expect((await secretariat.get(path)).status, path).toBe(200);
    }
    const refused = await secretariat.post(`/drafts/${draft.slug}/versions/2/publish`, publishForm);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("cannot be published");
    const [row] = await server.database.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM publications WHERE draft_id = ${draft.id}`;
    expect(row?.count).toBe(1);
  });
});

describe("repairing drafts", () => {
  it("rewrites each draft outside the schema as one attributed, audited edit, keeping anchors elsewhere, and then has nothing to do", async () => {
    const draft = await createDraft({
      actor: owner,
      title: "To repair",
      content: documentJson("To repair", ["Whereas."], [section("Scope", clause("States assess each licence."), clause("Brokering is covered."))]),
    });
    const thread = await createThread(server.live, { actor: writer, draftId: draft.id, range: await rangeOf(draft.id, "Brokering"), body: "Which brokers?", visibility: "all" });
    // Most kinds at once, in an order where each still finds what it spoils.
    const kinds = ["an unknown mark", "a link without an href or with an unsafe one", "an embed in a text", "bad attribute values", "a paragraph where a clause belongs", "an unknown element", "text directly under the document", "a second title"];
    await writeBelowTheServer(draft.id, (fragment) => {
      for (const kind of kinds) SPOILERS[kind]?.(fragment);
    });
    const count = async () => {
      const [row] = await server.database.sql<{ updates: number; repairs: number }[]>`
        SELECT (SELECT count(*)::int FROM draft_updates WHERE draft_id = ${draft.id}) AS updates,
               (SELECT count(*)::int FROM audit_events WHERE action = 'draft.repaired' AND target_id = ${draft.id}) AS repairs`;
      return row;
    };
    const before = await count();
    const dryRun = await checkAllDrafts(server.accord.collab.texts, { dryRun: true });
    expect(dryRun.invalid).toContain(draft.id);
    expect(await count()).toEqual(before);

    const report = await checkAllDrafts(server.accord.collab.texts);
    expect(report.repaired).toEqual([draft.id]);
    const stored = await loadDraftState(draft.id);
    expect(checks(rawStoredText(stored.update))).toBe(true);
    expect(readStoredState(stored.update).valid).toBe(true);
    expect(await count()).toEqual({ updates: (before?.updates ?? 0) + 1, repairs: 1 });
    const [update] = await server.database.sql<{ user_id: string | null; delegation_code: string | null }[]>`
      SELECT user_id, delegation_code FROM draft_updates WHERE draft_id = ${draft.id} ORDER BY seq DESC LIMIT 1`;
    expect(update).toEqual({ user_id: null, delegation_code: null });
    // The words written outside the schema are still in the text.
    const text = readStoredState(stored.update).node.textContent;
    for (const words of ["Loose words.", "A paragraph in the section.", "Another title"]) expect(text).toContain(words);
    // The thread on the untouched clause still points at its words.
    const [view] = await listThreads(server.live, { viewer: owner, draftId: draft.id });
    expect(view?.id).toBe(thread.id);
    expect(view?.range).not.toBeNull();

    const again = await checkAllDrafts(server.accord.collab.texts);
    expect(again.invalid).toEqual([]);
    expect(await count()).toEqual({ updates: (before?.updates ?? 0) + 1, repairs: 1 });
  });
});
