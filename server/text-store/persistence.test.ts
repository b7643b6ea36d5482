import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import type { Database } from "../db/connection";
import { createDraft, type Draft } from "../domain/drafts";
import type { User } from "../domain/users";
import { refuseAppends } from "../../test/append-faults";
import { appendUpdates, compactDraft, loadDraftState, type UpdateRecord } from "./persistence";

let db: Database;
let secretariat: User;

beforeAll(async () => {
  db = await openTestDatabase();
  secretariat = await buildUser({ role: "secretariat" });
});

afterAll(async () => {
  await db.close();
});

// `count` one-letter insertions into the Y.Text "body", numbered from `firstSeq`.
function records(firstSeq: number, count: number, letter: string): UpdateRecord[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i += 1) doc.getText("body").insert(i, letter);
  return updates.map((update, i) => ({ seq: firstSeq + i, update, userId: secretariat.id, delegationCode: null }));
}

// These tests write the log directly, below the collaboration server and its schema checks.
async function storedBody(draft: Draft): Promise<string> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await loadDraftState(draft.id)).update);
  return doc.getText("body").toString();
}

// Rows written by one statement share its transaction id.
async function transactionsOf(drafts: Draft[]): Promise<Set<string>> {
  const rows = await db.sql<{ xmin: string }[]>`
    SELECT xmin::text AS xmin FROM draft_updates WHERE draft_id = ANY(${drafts.map((draft) => draft.id)}::uuid[])`;
  return new Set(rows.map((row) => row.xmin));
}

describe("appendUpdates", () => {
  it("writes the appends of several drafts made in one turn in one statement", async () => {
    const drafts = await Promise.all(["A", "B", "C"].map((title) => createDraft({ actor: secretariat, title })));
    await Promise.all(drafts.map((draft, i) => appendUpdates(draft.id, records(1, 3, "abc"[i] ?? "x"))));
    expect(await transactionsOf(drafts)).toHaveProperty("size", 1);
    expect(await Promise.all(drafts.map(storedBody))).toEqual(["aaa", "bbb", "ccc"]);
    expect(await Promise.all(drafts.map(async (draft) => (await loadDraftState(draft.id)).lastSeq))).toEqual([3, 3, 3]);
  });

  it("fails only the draft whose rows are refused when appends share a statement", async () => {
    const [good, bad] = await Promise.all(["Good", "Bad"].map((title) => createDraft({ actor: secretariat, title })));
    if (!good || !bad) throw new Error("drafts not created");
    await appendUpdates(bad.id, records(1, 1, "b"));
    // The bad draft's sequence number 1 is taken: its append must fail, the good one's must not.
    const results = await Promise.allSettled([appendUpdates(good.id, records(1, 2, "g")), appendUpdates(bad.id, records(1, 1, "z"))]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected"]);
    expect(await storedBody(good)).toBe("gg");
    expect(await storedBody(bad)).toBe("b");
  });

  it("keeps each draft's appends in order when they queue behind a write in flight", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Order" });
    const all = records(1, 30, "o");
    await Promise.all([0, 10, 20].map((from) => appendUpdates(draft.id, all.slice(from, from + 10))));
    expect(await storedBody(draft)).toBe("o".repeat(30));
    expect((await loadDraftState(draft.id)).lastSeq).toBe(30);
  });
});

describe("a gap in the log", () => {
  async function insertRows(draft: Draft, rows: UpdateRecord[]): Promise<void> {
    for (const row of rows) {
      await db.sql`INSERT INTO draft_updates (draft_id, seq, update, user_id) VALUES (${draft.id}, ${row.seq}, ${Buffer.from(row.update)}, ${row.userId})`;
    }
  }

  it("stops readers at its start: nothing past it is loaded or folded into the checkpoint", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Gap" });
    const all = records(1, 4, "g");
    // Seq 3 is still in flight (appends are pipelined): 4 has committed before it.
    await insertRows(draft, [all[0], all[1], all[3]].flatMap((row) => (row ? [row] : [])));
    expect(await storedBody(draft)).toBe("gg");
    expect(await loadDraftState(draft.id)).toMatchObject({ lastSeq: 2, tail: 2 });
    expect(await compactDraft(draft.id)).toEqual({ uptoSeq: 2, folded: 2 });
    // Once 3 is in, 4 follows it.
    await insertRows(draft, all.slice(2, 3));
    expect(await storedBody(draft)).toBe("gggg");
    expect(await loadDraftState(draft.id)).toMatchObject({ lastSeq: 4, tail: 2 });
  });

  it("is never left by a failed append: the draft's later appends fail with it and what they stored is deleted", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Cut" });
    const all = records(1, 4, "c");
    await appendUpdates(draft.id, all.slice(0, 1));
    // The next append is refused 200 ms after it reached the database; the later ones are sent meanwhile.
    await refuseAppends(db, draft.id, { rows: 1, delayMs: 200 });
    const refused = appendUpdates(draft.id, all.slice(1, 2));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const later = [appendUpdates(draft.id, all.slice(2, 3)), appendUpdates(draft.id, all.slice(3, 4))];
    const results = await Promise.allSettled([refused, ...later]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(await loadDraftState(draft.id)).toMatchObject({ lastSeq: 1 });
    const rows = await db.sql<{ seq: string }[]>`SELECT seq FROM draft_updates WHERE draft_id = ${draft.id} ORDER BY seq`;
    expect(rows.map((row) => Number(row.seq))).toEqual([1]);
    // The log goes on from seq 2.
    await appendUpdates(draft.id, all.slice(1));
    expect(await storedBody(draft)).toBe("cccc");
  });
});
