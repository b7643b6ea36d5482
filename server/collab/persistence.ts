import * as Y from "yjs";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";

/** A draft's stored text: the merged state and the last sequence number it includes. */
export interface StoredState {
  update: Uint8Array;
  lastSeq: number;
  /** How many updates follow the checkpoint: what a compaction would fold in. */
  tail: number;
}

/** One update to append, with the author the server knows. */
export interface UpdateRecord {
  seq: number;
  update: Uint8Array;
  userId: string | null;
  delegationCode: string | null;
}

/** Loads a draft's text: its checkpoint, if any, merged with the updates stored after it. */
export async function loadDraftState(draftId: string): Promise<StoredState> {
  const [checkpoint] = await sql()<{ state: Uint8Array; upto_seq: string }[]>`
    SELECT state, upto_seq FROM draft_checkpoints WHERE draft_id = ${draftId}`;
  const from = checkpoint ? Number(checkpoint.upto_seq) : 0;
  const rows = await sql()<{ seq: string; update: Uint8Array }[]>`
    SELECT seq, update FROM draft_updates WHERE draft_id = ${draftId} AND seq > ${from} ORDER BY seq`;
  const last = rows.at(-1);
  return {
    update: rows.length ? replay(checkpoint?.state ?? null, rows) : (checkpoint?.state ?? new Uint8Array([0, 0])),
    lastSeq: last ? Number(last.seq) : from,
    tail: rows.length,
  };
}

// The state of a checkpoint followed by updates, applied to one document in one transaction:
// linear in the log's length, where Y.mergeUpdates grows far faster on long logs.
function replay(checkpoint: Uint8Array | null, rows: { update: Uint8Array }[]): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    if (checkpoint) Y.applyUpdate(doc, checkpoint);
    for (const row of rows) Y.applyUpdate(doc, row.update);
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** Appends updates to a draft's log in one statement: durable once this resolves. */
export async function appendUpdates(draftId: string, records: UpdateRecord[]): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((record) => ({
    draft_id: draftId,
    seq: record.seq,
    update: Buffer.from(record.update),
    user_id: record.userId,
    delegation_code: record.delegationCode,
  }));
  // One round trip: the rows, and the draft's "last changed" time (at most every few seconds).
  await sql()`
    WITH appended AS (
      INSERT INTO draft_updates ${sql()(rows, "draft_id", "seq", "update", "user_id", "delegation_code")}
    )
    UPDATE drafts SET updated_at = now() WHERE id = ${draftId} AND updated_at < now() - interval '5 seconds'`;
}

/**
 * Folds every update up to `uptoSeq` into the draft's checkpoint, in one transaction. The state
 * written is the document's own encoding of exactly those updates, so the content is unchanged.
 */
export async function compactDraft(draftId: string): Promise<{ uptoSeq: number; folded: number }> {
  return sql().begin(async (tx) => {
    // One compaction at a time per draft: the draft row is the lock.
    await tx`SELECT id FROM drafts WHERE id = ${draftId} FOR UPDATE`;
    const [checkpoint] = await tx<{ state: Uint8Array; upto_seq: string }[]>`
      SELECT state, upto_seq FROM draft_checkpoints WHERE draft_id = ${draftId}`;
    const from = checkpoint ? Number(checkpoint.upto_seq) : 0;
    const rows = await tx<{ seq: string; update: Uint8Array }[]>`
      SELECT seq, update FROM draft_updates WHERE draft_id = ${draftId} AND seq > ${from} ORDER BY seq`;
    const last = rows.at(-1);
    if (!last) return { uptoSeq: from, folded: 0 };
    const state = Buffer.from(replay(checkpoint?.state ?? null, rows));
    const uptoSeq = Number(last.seq);
    await tx`
      INSERT INTO draft_checkpoints (draft_id, state, upto_seq) VALUES (${draftId}, ${state}, ${uptoSeq})
      ON CONFLICT (draft_id) DO UPDATE SET state = EXCLUDED.state, upto_seq = EXCLUDED.upto_seq, created_at = now()`;
    return { uptoSeq, folded: rows.length };
  });
}

/** Writes a draft's first text as its checkpoint, inside the caller's transaction when given one. */
export async function writeInitialState(draftId: string, update: Uint8Array, db: Queryable = sql()): Promise<void> {
  await db`
    INSERT INTO draft_checkpoints (draft_id, state, upto_seq) VALUES (${draftId}, ${Buffer.from(update)}, 0)
    ON CONFLICT (draft_id) DO NOTHING`;
}
