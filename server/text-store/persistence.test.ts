import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import type { Database } from "../db/connection";
import { createDraft, type Draft } from "../domain/drafts";
import type { User } from "../domain/users";
import { refuseAppends } from "../../test/append-faults";
import { appendUpdates, compactDraft, loadDraftState, logHeads, readUpdatesAfter, type UpdateRecord } from "./persistence";

let db: Database;
let secretariat: User;

beforeAll(async () => {
  db = await openTestDatabase();
  secretariat = await buildUser({ role: "secretariat" });
});

afterAll(async () => {
  await db.close();
});

// `count` one-letter insertions into the Y.Text "body".
function records(count: number, letter: string): UpdateRecord[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i += 1) doc.getText("body").insert(i, letter);
  return updates.map((update) => ({ update, userId: secretariat.id, delegationCode: null }));
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
    const ranges = await Promise.all(drafts.map((draft, i) => appendUpdates(draft.id, records(3, "abc"[i] ?? "x"))));
    expect(ranges).toEqual(drafts.map(() => ({ firstSeq: 1, lastSeq: 3 })));
    expect(await transactionsOf(drafts)).toHaveProperty("size", 1);
    expect(await Promise.all(drafts.map(storedBody))).toEqual(["aaa", "bbb", "ccc"]);
    expect(await Promise.all(drafts.map(async (draft) => (await loadDraftState(draft.id)).lastSeq))).toEqual([3, 3, 3]);
  });

  it("fails only the draft whose rows are refused when appends share a statement", async () => {
    const [good, bad] = await Promise.all(["Good", "Bad"].map((title) => createDraft({ actor: secretariat, title })));
    if (!good || !bad) throw new Error("drafts not created");
    await appendUpdates(bad.id, records(1, "b"));
    // The bad draft's next rows are refused by the database (in the shared statement, and again
    // when tried alone): its append must fail, the good one's must not.
    await refuseAppends(db, bad.id, { rows: 2 });
    const results = await Promise.allSettled([appendUpdates(good.id, records(2, "g")), appendUpdates(bad.id, records(1, "z"))]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected"]);
    expect(await storedBody(good)).toBe("gg");
    expect(await storedBody(bad)).toBe("b");
  });

  it("keeps each draft's appends in order when they queue behind a write in flight", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Order" });
    const all = records(30, "o");
    const ranges = await Promise.all([0, 10, 20].map((from) => appendUpdates(draft.id, all.slice(from, from + 10))));
    expect(ranges).toEqual([
      { firstSeq: 1, lastSeq: 10 },
      { firstSeq: 11, lastSeq: 20 },
      { firstSeq: 21, lastSeq: 30 },
    ]);
    expect(await storedBody(draft)).toBe("o".repeat(30));
    expect((await loadDraftState(draft.id)).lastSeq).toBe(30);
  });
});

describe("a gap in the log", () => {
  async function insertRows(draft: Draft, rows: (UpdateRecord & { seq: number })[]): Promise<void> {
    for (const row of rows) {
      await db.sql`INSERT INTO draft_updates (draft_id, seq, update, user_id) VALUES (${draft.id}, ${row.seq}, ${Buffer.from(row.update)}, ${row.userId})`;
    }
  }

  it("stops readers at its start: nothing past it is loaded or folded into the checkpoint", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Gap" });
    const all = records(4, "g").map((record, index) => ({ ...record, seq: index + 1 }));
    // A row written below appendUpdates, which never leaves a gap: 4 is there without 3.
    await insertRows(draft, [all[0], all[1], all[3]].flatMap((row) => (row ? [row] : [])));
    expect(await storedBody(draft)).toBe("gg");
    expect(await loadDraftState(draft.id)).toMatchObject({ lastSeq: 2, tail: 2 });
    expect(await compactDraft(draft.id)).toEqual({ uptoSeq: 2, folded: 2 });
    // Once 3 is in, 4 follows it.
    await insertRows(draft, all.slice(2, 3));
    expect(await storedBody(draft)).toBe("gggg");
    expect(await loadDraftState(draft.id)).toMatchObject({ lastSeq: 4, tail: 2 });
  });

  it("is never left by a failed append: the draft's later appends fail with it, unwritten", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Cut" });
    const all = records(4, "c");
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

describe("appends from several instances", () => {
  it("never collide: each gets numbers of its own, the log has no gap, and every update is in it", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Two writers" });
    // A second client of the same database stands for another instance: it has its own
    // connections and its own queue of appends, and shares only the database.
    const other = db.openSession();
    const letters = records(40, "w");
    const [mine, theirs] = [letters.slice(0, 20), letters.slice(20)];
    const ranges = await Promise.all([
      ...mine.map((record) => appendUpdates(draft.id, [record])),
      ...theirs.map((record) => appendRaw(other ?? db.sql, draft.id, record)),
    ]);
    if (other) await other.end();
    const seqs = ranges.flatMap((range) => Array.from({ length: range.lastSeq - range.firstSeq + 1 }, (_, i) => range.firstSeq + i));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await storedBody(draft)).toBe("w".repeat(40));
    expect((await logHeads([draft.id])).get(draft.id)).toBe(40);
    expect((await readUpdatesAfter(draft.id, 35)).map((row) => row.seq)).toEqual([36, 37, 38, 39, 40]);
  });
});

// One append through another client, taking its number from the log head as appendUpdates does.
async function appendRaw(sql: Database["sql"], draftId: string, record: UpdateRecord): Promise<{ firstSeq: number; lastSeq: number }> {
  const [row] = await sql<{ seq: string }[]>`
    WITH head AS (
      INSERT INTO draft_log_heads AS head (draft_id, last_seq) VALUES (${draftId}, 1)
      ON CONFLICT (draft_id) DO UPDATE SET last_seq = head.last_seq + 1
      RETURNING last_seq
    )
    INSERT INTO draft_updates (draft_id, seq, update, user_id)
    SELECT ${draftId}, last_seq, ${Buffer.from(record.update)}, ${record.userId} FROM head
    RETURNING seq`;
  const seq = Number(row?.seq);
  return { firstSeq: seq, lastSeq: seq };
}
