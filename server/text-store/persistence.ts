import * as Y from "yjs";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import { guarded } from "../failures";

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

/**
 * Loads a draft's text: its checkpoint, if any, merged with the updates stored after it up to the
 * first gap. Appends of the draft already in flight in this process are waited for first, and a log
 * cut after a failed append is repaired first (see appendUpdates), so a document loaded from this
 * continues the log at `lastSeq + 1` without colliding with anything.
 */
export async function loadDraftState(draftId: string): Promise<StoredState> {
  await settledLog(draftId);
  const [checkpoint] = await sql()<{ state: Uint8Array; upto_seq: string }[]>`
    SELECT state, upto_seq FROM draft_checkpoints WHERE draft_id = ${draftId}`;
  const from = checkpoint ? Number(checkpoint.upto_seq) : 0;
  const rows = gapFree(
    from,
    await sql()<{ seq: string; update: Uint8Array }[]>`
      SELECT seq, update FROM draft_updates WHERE draft_id = ${draftId} AND seq > ${from} ORDER BY seq`,
  );
  const last = rows.at(-1);
  return {
    update: rows.length ? replay(checkpoint?.state ?? null, rows) : (checkpoint?.state ?? new Uint8Array([0, 0])),
    lastSeq: last ? Number(last.seq) : from,
    tail: rows.length,
  };
}

// The rows that follow `from` without a gap in `seq`. Appends are pipelined, so a later one may
// commit while an earlier one is still in flight (or about to fail, after which everything past it
// is deleted): nothing past a gap is applied, since its updates may depend on what is missing.
function gapFree<R extends { seq: string }>(from: number, rows: R[]): R[] {
  const count = rows.findIndex((row, index) => Number(row.seq) !== from + index + 1);
  return count === -1 ? rows : rows.slice(0, count);
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
 * Appends updates to a draft's log: durable once this resolves, which it does only after every
 * earlier append of the draft was stored too. A few statements may be in flight at once
 * (postgres.js pipelines them); appends from every draft that arrive beyond that, or in the same
 * turn of the event loop, go to the database together in one statement (group commit), so round
 * trips do not grow with the number of busy drafts. When such a shared write fails, each draft's
 * rows are tried alone, so that one draft's fault fails only that draft.
 *
 * When an append fails, the draft's log is cut at its first seq: its later appends still waiting
 * are refused, those in flight are rejected whatever they answer, and once the last has answered
 * every row from that seq on is deleted, before the log is read again (`loadDraftState` waits for
 * it). Success costs no extra round trip: the bookkeeping is in memory.
 */
export function appendUpdates(draftId: string, records: UpdateRecord[]): Promise<void> {
  const first = records[0];
  const last = records.at(-1);
  if (!first || !last) return Promise.resolve();
  const log = draftLog(draftId);
  if (log.discardFrom !== null) return Promise.reject(new Error(`The log of draft ${draftId} is being repaired after a failed append.`));
  const db = sql();
  const written = enqueueAppend(db, draftId, records).then(
    () => null,
    (error: unknown) => {
      // A failure may hide a commit the connection never reported, so the cut is at the append's
      // own first seq: the log then holds what its writer was told. Only when its seqs were already
      // taken did it certainly write nothing, and the rows holding them are not its own to delete.
      const cut = isUniqueViolation(error) ? last.seq + 1 : first.seq;
      log.discardFrom = Math.min(log.discardFrom ?? cut, cut);
      refuseWaiting(db, draftId, error);
      return error;
    },
  );
  // Answered in order: stored only when every earlier append of the draft was stored too.
  const appended = Promise.all([written, log.lastStored]).then(([error, earlierStored]) => {
    if (error !== null) throw error;
    if (!earlierStored) throw new Error(`An earlier append of draft ${draftId} failed; these updates are discarded with it.`);
  });
  const stored = appended.then(
    () => true,
    () => false,
  );
  log.lastStored = stored;
  log.inFlight.add(stored);
  void stored.then(() => {
    log.inFlight.delete(stored);
    if (log.inFlight.size === 0) void closeLog(draftId, log);
  });
  return appended;
}

/** A draft's appends in flight in this process, and where its log is cut after a failure. */
interface DraftLog {
  inFlight: Set<Promise<boolean>>;
  /** Whether the latest append (and every one before it) was stored. */
  lastStored: Promise<boolean>;
  discardFrom: number | null;
  repairing: Promise<void> | null;
}

// Only drafts with appends in flight (or a cut log) have an entry.
const draftLogs = new Map<string, DraftLog>();

function draftLog(draftId: string): DraftLog {
  let log = draftLogs.get(draftId);
  if (!log) draftLogs.set(draftId, (log = { inFlight: new Set(), lastStored: Promise.resolve(true), discardFrom: null, repairing: null }));
  return log;
}

// Once nothing is in flight: a whole log is forgotten, a cut one repaired.
async function closeLog(draftId: string, log: DraftLog): Promise<void> {
  if (log.discardFrom === null) {
    if (draftLogs.get(draftId) === log) draftLogs.delete(draftId);
    return;
  }
  await repairLog(draftId, log).catch((error: unknown) =>
    console.warn(`The log of draft ${draftId} could not be cut after a failed append; retried on its next load:`, error),
  );
}

// Deletes every row from the failed append's first seq on. Run only when no append of the draft is
// in flight, and none can start (they are refused meanwhile), so no row it deletes was counted
// durable by anyone: the document settles its batches in order and stopped at the failed one.
function repairLog(draftId: string, log: DraftLog): Promise<void> {
  const from = log.discardFrom;
  if (from === null) return Promise.resolve();
  log.repairing ??= (async () => {
    await sql()`DELETE FROM draft_updates WHERE draft_id = ${draftId} AND seq >= ${from}`;
    if (draftLogs.get(draftId) === log) draftLogs.delete(draftId);
  })().catch((error: unknown) => {
    log.repairing = null;
    throw error;
  });
  return log.repairing;
}

// Waits for the draft's appends in flight now, and for the repair of its log if one failed.
async function settledLog(draftId: string): Promise<void> {
  const log = draftLogs.get(draftId);
  if (!log) return;
  await Promise.all(log.inFlight);
  await repairLog(draftId, log);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "23505";
}

// The draft's appends not yet sent are refused: they would follow a gap.
function refuseWaiting(db: Queryable, draftId: string, error: unknown): void {
  const queue = appendQueues.get(db);
  if (!queue) return;
  const refused = queue.waiting.filter((append) => append.draftId === draftId);
  if (refused.length === 0) return;
  queue.waiting = queue.waiting.filter((append) => append.draftId !== draftId);
  for (const append of refused) append.reject(error);
}

function enqueueAppend(db: Queryable, draftId: string, records: UpdateRecord[]): Promise<void> {
  let queue = appendQueues.get(db);
  if (!queue) appendQueues.set(db, (queue = { waiting: [], inFlight: 0, scheduled: false }));
  const current = queue;
  return new Promise((resolve, reject) => {
    current.waiting.push({ draftId, records, resolve, reject });
    if (!current.scheduled && current.inFlight < MAX_STATEMENTS_IN_FLIGHT) {
      current.scheduled = true;
      // Started in the next turn, so that every draft flushing in this one joins the same write.
      setImmediate(
        guarded("starting appends", () => {
          current.scheduled = false;
          startAppends(db, current);
        }),
      );
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
    if (group.length === 1) return group[0]?.reject(error);
    // Tried alone, in order; after one append of a draft fails, its later ones are not written.
    const failed = new Set<string>();
    for (const append of group) {
      if (failed.has(append.draftId)) {
        append.reject(error);
        continue;
      }
      await insertUpdates(db, [append]).then(append.resolve, (reason: unknown) => {
        failed.add(append.draftId);
        append.reject(reason);
      });
    }
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
    // Only up to the first gap: folding past an append still in flight would skip it for good.
    const rows = gapFree(
      from,
      await tx<{ seq: string; update: Uint8Array }[]>`
        SELECT seq, update FROM draft_updates WHERE draft_id = ${draftId} AND seq > ${from} ORDER BY seq`,
    );
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
