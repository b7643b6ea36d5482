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

/**
 * Appends updates to a draft's log: durable once this resolves. A few statements may be in flight
 * at once (postgres.js pipelines them); appends from every draft that arrive beyond that, or in
 * the same turn of the event loop, go to the database together in one statement (group commit),
 * so round trips do not grow with the number of busy drafts. When such a shared write fails, each
 * draft's rows are tried alone, so that one draft's fault fails only that draft.
 */
export function appendUpdates(draftId: string, records: UpdateRecord[]): Promise<void> {
  if (records.length === 0) return Promise.resolve();
  const db = sql();
  let queue = appendQueues.get(db);
  if (!queue) appendQueues.set(db, (queue = { waiting: [], inFlight: 0, scheduled: false }));
  const current = queue;
  return new Promise((resolve, reject) => {
    current.waiting.push({ draftId, records, resolve, reject });
    if (!current.scheduled && current.inFlight < MAX_STATEMENTS_IN_FLIGHT) {
      current.scheduled = true;
      // Started in the next turn, so that every draft flushing in this one joins the same write.
      setImmediate(() => {
        current.scheduled = false;
        startAppends(db, current);
      });
    }
  });
}

interface QueuedAppend {
  draftId: string;
  records: UpdateRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface AppendQueue {
  waiting: QueuedAppend[];
  inFlight: number;
  scheduled: boolean;
}

const appendQueues = new WeakMap<Queryable, AppendQueue>();

// Statements of appended updates in flight at once, per database.
const MAX_STATEMENTS_IN_FLIGHT = 2;
// At most this many rows go into one shared statement (Postgres allows 65,535 parameters, five a row).
const MAX_SHARED_ROWS = 5000;

function startAppends(db: Queryable, queue: AppendQueue): void {
  while (queue.waiting.length && queue.inFlight < MAX_STATEMENTS_IN_FLIGHT) {
    const group = takeGroup(queue);
    queue.inFlight += 1;
    void writeGroup(db, group).then(() => {
      queue.inFlight -= 1;
      startAppends(db, queue);
    });
  }
}

async function writeGroup(db: Queryable, group: QueuedAppend[]): Promise<void> {
  try {
    await insertUpdates(db, group);
    for (const append of group) append.resolve();
  } catch (error) {
    if (group.length === 1) group[0]?.reject(error);
    else for (const append of group) await insertUpdates(db, [append]).then(append.resolve, append.reject);
  }
}

// The waiting appends, in order, up to MAX_SHARED_ROWS rows (always at least one append).
function takeGroup(queue: AppendQueue): QueuedAppend[] {
  let rows = 0;
  let count = 0;
  for (const append of queue.waiting) {
    if (count > 0 && rows + append.records.length > MAX_SHARED_ROWS) break;
    rows += append.records.length;
    count += 1;
  }
  return queue.waiting.splice(0, count);
}

// One round trip: the rows, and each draft's "last changed" time (at most every few seconds).
async function insertUpdates(db: Queryable, appends: QueuedAppend[]): Promise<void> {
  const rows = appends.flatMap(({ draftId, records }) =>
    records.map((record) => ({
      draft_id: draftId,
      seq: record.seq,
      update: Buffer.from(record.update),
      user_id: record.userId,
      delegation_code: record.delegationCode,
    })),
  );
  const draftIds = [...new Set(appends.map((append) => append.draftId))];
  await db`
    WITH appended AS (
      INSERT INTO draft_updates ${db(rows, "draft_id", "seq", "update", "user_id", "delegation_code")}
    )
    UPDATE drafts SET updated_at = now()
    WHERE id = ANY(${draftIds}::uuid[]) AND updated_at < now() - interval '5 seconds'`;
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

/**
 * Stores `state` as the draft's checkpoint up to `uptoSeq`: the state of a loaded document at a
 * moment when everything it holds was durable and nothing else, which is what replaying the log
 * to `uptoSeq` gives. One statement, with no reading of the log; an older state never replaces a
 * newer checkpoint.
 */
export async function writeCheckpoint(draftId: string, state: Uint8Array, uptoSeq: number): Promise<void> {
  await sql()`
    INSERT INTO draft_checkpoints (draft_id, state, upto_seq) VALUES (${draftId}, ${Buffer.from(state)}, ${uptoSeq})
    ON CONFLICT (draft_id) DO UPDATE SET state = EXCLUDED.state, upto_seq = EXCLUDED.upto_seq, created_at = now()
    WHERE draft_checkpoints.upto_seq < EXCLUDED.upto_seq`;
}

/** Writes a draft's first text as its checkpoint, inside the caller's transaction when given one. */
export async function writeInitialState(draftId: string, update: Uint8Array, db: Queryable = sql()): Promise<void> {
  await db`
    INSERT INTO draft_checkpoints (draft_id, state, upto_seq) VALUES (${draftId}, ${Buffer.from(update)}, 0)
    ON CONFLICT (draft_id) DO NOTHING`;
}

/** The bytes a draft's text takes in the database: its checkpoint, and every update in its log. */
export async function storedDraftBytes(draftId: string): Promise<{ checkpoint: number; log: number }> {
  const [row] = await sql()<{ checkpoint: string; log: string }[]>`
    SELECT (SELECT coalesce(sum(octet_length(state)), 0) FROM draft_checkpoints WHERE draft_id = ${draftId}) AS checkpoint,
           (SELECT coalesce(sum(octet_length(update)), 0) FROM draft_updates WHERE draft_id = ${draftId}) AS log`;
  return { checkpoint: Number(row?.checkpoint ?? 0), log: Number(row?.log ?? 0) };
}

/** The bytes of a draft's checkpoint (one row: cheap after each compaction). */
export async function checkpointBytes(draftId: string): Promise<number> {
  const [row] = await sql()<{ bytes: number }[]>`
    SELECT octet_length(state) AS bytes FROM draft_checkpoints WHERE draft_id = ${draftId}`;
  return Number(row?.bytes ?? 0);
}
