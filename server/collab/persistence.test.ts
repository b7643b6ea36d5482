import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import type { Database } from "../db/connection";
import { createDraft, type Draft } from "../domain/drafts";
import type { User } from "../domain/users";
import { appendUpdates, loadDraftState, type UpdateRecord } from "./persistence";

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
