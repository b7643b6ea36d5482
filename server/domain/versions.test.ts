import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocJson } from "../../schema/content";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { openDatabase, type Database } from "../db/connection";
import { migrate } from "../db/migrate";
import { setDatabase } from "../db/registry";
import { contentHash } from "../render/canonical";
import { createDraft } from "./drafts";
import type { User } from "./users";
import { findVersion, listVersions, saveVersion } from "./versions";
import { createLive } from "../live";

// No server runs in this file: the domain's live services are this process's own, with no live texts.
const live = createLive();

let db: Database;
let secretariat: User;
let delegate: User;

beforeAll(async () => {
  db = await openTestDatabase();
  secretariat = await buildUser({ role: "secretariat" });
  delegate = await buildUser({ delegation: "no" });
});
afterAll(async () => {
  await db.close();
});

/** A fixed text with fixed clause ids: the same document wherever it is stored. */
const FIXTURE: DocJson = {
  type: "doc",
  content: [
    { type: "title", content: [{ type: "text", text: "Code of conduct" }] },
    { type: "preamble", content: [{ type: "paragraph", content: [{ type: "text", text: "The partners agree — « ensemble » — as follows." }] }] },
    {
      type: "section",
      content: [
        { type: "section_heading", content: [{ type: "text", text: "Scope" }] },
        {
          type: "clause",
          attrs: { id: "c000000000001" },
          content: [
            {
              type: "paragraph",
              content: [
                { type: "text", text: "This code applies to " },
                { type: "text", marks: [{ type: "strong" }], text: "all" },
                { type: "text", text: " licences" },
                { type: "footnote", attrs: { note: "Including brokering." } },
                { type: "text", text: "." },
              ],
            },
          ],
        },
        {
          type: "clause",
          attrs: { id: "c000000000002" },
          content: [
            { type: "paragraph", content: [{ type: "text", text: "See " }, { type: "text", marks: [{ type: "link", attrs: { href: "https://example.org/", title: null } }], text: "the initiative" }] },
            { type: "bullet_list", content: [{ type: "list_item", content: [{ type: "paragraph", content: [{ type: "text", text: "one" }] }] }] },
          ],
        },
      ],
    },
  ],
};

// The hash of FIXTURE's canonical text. It must never change: published hashes are checked against it.
const FIXTURE_HASH = "fabb751c1562b0cf845c6e8a347023913a75e97841d612a937651fbcfa2df59d";

async function audits(action: string): Promise<number> {
  const [row] = await db.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM audit_events WHERE action = ${action}`;
  return row?.count ?? 0;
}

describe("versions", () => {
  it("snapshot the stored text with its canonical JSON, HTML and hash, numbered per draft and audited", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Versions", content: FIXTURE });
    const before = await audits("version.saved");
    const first = await saveVersion(live, { actor: delegate, draftId: draft.id, name: " First reading ", note: "Before the meeting.", kind: "manual" });
    const second = await saveVersion(live, { actor: null, draftId: draft.id, name: "Drafting closed", kind: "phase" });
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(first).toMatchObject({ name: "First reading", note: "Before the meeting.", kind: "manual", authorId: delegate.id, authorName: delegate.displayName, delegationCode: "no" });
    expect(second).toMatchObject({ authorId: null, authorName: null, note: "" });
    expect(first.content).toEqual(FIXTURE_CANONICAL());
    expect(first.html).toContain('<div class="clause" id="clause-c000000000001"><span class="clause-number">1.1</span>');
    expect(first.sha256).toBe(contentHash(FIXTURE));
    expect(second.sha256).toBe(first.sha256);
    expect(await audits("version.saved")).toBe(before + 2);

    const found = await findVersion(draft.id, 1);
    expect(found?.content).toEqual(first.content);
    expect(found && contentHash(found.content)).toBe(first.sha256);
    expect(found?.yjsState.byteLength).toBeGreaterThan(0);
    expect((await listVersions(draft.id)).map((version) => [version.number, version.name])).toEqual([
      [2, "Drafting closed"],
      [1, "First reading"],
    ]);
    expect(await findVersion(draft.id, 3)).toBeNull();
    expect(await findVersion(draft.id, 0)).toBeNull();
  });

  it("give concurrent saves distinct, consecutive numbers", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Concurrent saves" });
    const saved = await Promise.all(
      Array.from({ length: 6 }, (_, index) => saveVersion(live, { actor: delegate, draftId: draft.id, name: `Save ${index}`, kind: "manual" })),
    );
    expect(saved.map((version) => version.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("are immutable: the database refuses to change or delete one", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Immutable", content: FIXTURE });
    const version = await saveVersion(live, { actor: delegate, draftId: draft.id, name: "Fixed", kind: "manual" });
    await expect(db.sql`UPDATE versions SET name = 'changed' WHERE id = ${version.id}`).rejects.toThrow(/immutable/);
    await expect(db.sql`UPDATE versions SET html = '' WHERE id = ${version.id}`).rejects.toThrow(/immutable/);
    await expect(db.sql`DELETE FROM versions WHERE id = ${version.id}`).rejects.toThrow(/immutable/);
    expect((await findVersion(draft.id, 1))?.name).toBe("Fixed");
  });

  it("hash the same text the same, whatever the key order, and different text differently", () => {
    const reordered = JSON.parse(JSON.stringify(FIXTURE, (_, value: unknown) => reverseKeys(value))) as DocJson;
    expect(contentHash(reordered)).toBe(contentHash(FIXTURE));
    const changed = JSON.parse(JSON.stringify(FIXTURE).replace("all", "every")) as DocJson;
    expect(contentHash(changed)).not.toBe(contentHash(FIXTURE));
    const renamed = JSON.parse(JSON.stringify(FIXTURE).replace("c000000000002", "c000000000003")) as DocJson;
    expect(contentHash(renamed)).not.toBe(contentHash(FIXTURE));
    expect(contentHash(FIXTURE)).toBe(FIXTURE_HASH);
  });

  it("hash the same text the same in another database (embedded) and after it restarts", async () => {
    const expected = (await saveVersion(live, { actor: delegate, draftId: (await createDraft({ actor: secretariat, title: "Here", content: FIXTURE })).id, name: "Here", kind: "manual" })).sha256;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-versions-"));
    let other = await openDatabase({ databaseUrl: null, dataDir: dir });
    try {
      await migrate(other.sql);
      setDatabase(other);
      const author = await buildUser({ role: "secretariat" });
      const draft = await createDraft({ actor: author, title: "Elsewhere", content: FIXTURE });
      const there = await saveVersion(live, { actor: author, draftId: draft.id, name: "Elsewhere", kind: "manual" });
      expect(there.sha256).toBe(expected);
      await other.close();

      other = await openDatabase({ databaseUrl: null, dataDir: dir });
      setDatabase(other);
      const reread = await findVersion(draft.id, 1);
      expect(reread?.sha256).toBe(expected);
      expect(reread && contentHash(reread.content)).toBe(expected);
      expect(reread?.html).toBe(there.html);
    } finally {
      setDatabase(db);
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function FIXTURE_CANONICAL(): DocJson {
  // The fixture with null attributes dropped: a link's absent title.
  return JSON.parse(JSON.stringify(FIXTURE).replace(',"title":null', "")) as DocJson;
}

function reverseKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).reverse());
}
