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
  update: Uint8Array;
  userId: string | null;
  delegationCode: string | null;
}

/** Where an append landed in its draft's log: consecutive sequence numbers from `firstSeq` to `lastSeq`. */
export interface AppendedRange {
  firstSeq: number;
  lastSeq: number;
}

/**
 * Loads a draft's text: its checkpoint, if any, merged with the updates stored after it. Appends of
 * the draft already in flight in this process are waited for first, so that a document loaded
 * after one of them failed reads what the log holds once they have all answered.
 */
export async function loadDraftState(draftId: string): Promise<StoredState> {
  await draftLogs.get(draftId)?.last;
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

/** One stored update of a draft's log, as another instance appended it. */
export interface LoggedUpdate {
  seq: number;
  update: Uint8Array;
}

/** The updates of a draft's log after `afterSeq`, in order (at most `limit`): what a loaded copy lacks. */
export async function readUpdatesAfter(draftId: string, afterSeq: number, limit = 5000): Promise<LoggedUpdate[]> {
  const rows = await sql()<{ seq: string; update: Uint8Array }[]>`
    SELECT seq, update FROM draft_updates WHERE draft_id = ${draftId} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`;
  return gapFree(afterSeq, rows).map((row) => ({ seq: Number(row.seq), update: row.update }));
}

/** One stored update with what the server knew of its sender when it stored it. */
export interface AuthoredUpdate extends LoggedUpdate {
  userId: string | null;
  delegationCode: string | null;
  storedAt: Date;
}

/**
 * The updates of a draft's log after `afterSeq`, in order (at most `limit`), with their senders:
 * the draft's edit history, page by page.
 */
export async function readAuthoredUpdates(draftId: string, afterSeq: number, limit = 2000): Promise<AuthoredUpdate[]> {
  const rows = await sql()<{ seq: string; update: Uint8Array; user_id: string | null; delegation_code: string | null; created_at: Date }[]>`
    SELECT seq, update, user_id, delegation_code, created_at FROM draft_updates
    WHERE draft_id = ${draftId} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`;
  return rows.map((row) => ({ seq: Number(row.seq), update: row.update, userId: row.user_id, delegationCode: row.delegation_code, storedAt: row.created_at }));
}

/** Where the logs of some drafts end now (drafts with no update yet are left out). */
export async function logHeads(draftIds: string[]): Promise<Map<string, number>> {
  if (draftIds.length === 0) return new Map();
  const rows = await sql()<{ draft_id: string; last_seq: string }[]>`
    SELECT draft_id, last_seq FROM draft_log_heads WHERE draft_id = ANY(${draftIds}::uuid[])`;
  return new Map(rows.map((row) => [row.draft_id, Number(row.last_seq)]));
}

// The rows that follow `from` without a gap in `seq`. Appends to a draft commit in the order of
// their numbers (see appendUpdates), so a gap is never seen; should one be, nothing past it is
// applied, since its updates may depend on what is missing.
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
 * Appends updates to a draft's log and resolves with the sequence numbers they got: durable once
 * this resolves. The numbers are taken in the statement that inserts the rows (`draft_log_heads`,
 * locked until it commits), so any number of instances append to one draft without colliding, and
 * the log has no gap: appends commit in the order of their numbers.
 *
 * In this process a draft has one append in flight at a time; the next waits for it and is refused
 * without being written when it failed (its updates may build on what was not stored), so the log
 * never holds an update whose dependencies it lacks. Appends of every draft that are ready in the
 * same turn of the event loop, or while the statements in flight answer, go to the database
 * together in one statement (group commit), so round trips do not grow with the number of busy
 * drafts. When such a shared write fails, each draft's rows are tried alone, so that one draft's
 * fault fails only that draft.
 *
 * An append that failed may have committed all the same (the connection dropped before the
 * answer): its rows then stay, whole, and a document reloaded after the failure reads them.
 */
export function appendUpdates(draftId: string, records: UpdateRecord[]): Promise<AppendedRange> {
  if (records.length === 0) return Promise.reject(new Error("Nothing to append."));
  const log = draftLog(draftId);
  const db = sql();
  const appended = log.last.then((earlierStored) => {
    if (!earlierStored) throw new Error(`An earlier append of draft ${draftId} failed; these updates build on it and are not written.`);
    return enqueueAppend(db, draftId, records);
  });
  const stored = appended.then(
    () => true,
    () => false,
  );
  log.last = stored;
  log.pending += 1;
  void stored.then(() => {
    log.pending -= 1;
    if (log.pending === 0 && draftLogs.get(draftId) === log) draftLogs.delete(draftId);
  });
  return appended;
}

/** A draft's appends in this process: the latest (settled with whether it and all before it were stored). */
interface DraftLog {
  last: Promise<boolean>;
  pending: number;
}

// Only drafts with appends in flight have an entry.
const draftLogs = new Map<string, DraftLog>();

function draftLog(draftId: string): DraftLog {
  let log = draftLogs.get(draftId);
  if (!log) draftLogs.set(draftId, (log = { last: Promise.resolve(true), pending: 0 }));
  return log;
}

function enqueueAppend(db: Queryable, draftId: string, records: UpdateRecord[]): Promise<AppendedRange> {
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
  resolve: (range: AppendedRange) => void;
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
    const ranges = await insertUpdates(db, group);
    for (const append of group) settle(append, ranges);
  } catch (error) {
    if (group.length === 1) return group[0]?.reject(error);
    for (const append of group) {
      await insertUpdates(db, [append]).then(
        (ranges) => settle(append, ranges),
        (reason: unknown) => append.reject(reason),
      );
    }
  }
}

function settle(append: QueuedAppend, ranges: Map<string, AppendedRange>): void {
  const range = ranges.get(append.draftId);
  if (range) append.resolve(range);
  else append.reject(new Error(`The append to draft ${append.draftId} got no sequence numbers.`));
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

// One round trip: each draft's numbers taken from its log head (locked in the order of draft ids,
// so that two shared statements never wait for each other in a cycle), the rows, and each draft's
// "last changed" time (at most every few seconds).
async function insertUpdates(db: Queryable, appends: QueuedAppend[]): Promise<Map<string, AppendedRange>> {
  const ordered = [...appends].sort((a, b) => (a.draftId < b.draftId ? -1 : a.draftId > b.draftId ? 1 : 0));
  const parameters: (string | number | Buffer | null)[] = [];
  const parameter = (value: string | number | Buffer | null) => `$${parameters.push(value)}`;
  const counts = ordered.map(({ draftId, records }) => `(${parameter(draftId)}::uuid, ${parameter(records.length)}::bigint)`);
  const rows = ordered.flatMap(({ draftId, records }) =>
    records.map(
      (record, index) =>
        `(${parameter(draftId)}::uuid, ${parameter(records.length - 1 - index)}::bigint, ${parameter(Buffer.from(record.update))}::bytea, ` +
        `${parameter(record.userId)}::uuid, ${parameter(record.delegationCode)}::text)`,
    ),
  );
  const heads = await db.unsafe<{ draft_id: string; last_seq: string; count: string }[]>(
    `WITH counts (draft_id, n) AS (VALUES ${counts.join(", ")}),
     heads AS (
       INSERT INTO draft_log_heads AS head (draft_id, last_seq)
       SELECT draft_id, n FROM counts ORDER BY draft_id
       ON CONFLICT (draft_id) DO UPDATE SET last_seq = head.last_seq + EXCLUDED.last_seq
       RETURNING head.draft_id, head.last_seq
     ),
     appended AS (
       INSERT INTO draft_updates (draft_id, seq, update, user_id, delegation_code)
       SELECT r.draft_id, heads.last_seq - r.back, r.update, r.user_id, r.delegation_code
       FROM (VALUES ${rows.join(", ")}) AS r (draft_id, back, update, user_id, delegation_code)
       JOIN heads ON heads.draft_id = r.draft_id
     ),
     touched AS (
       UPDATE drafts SET updated_at = now()
       WHERE id IN (SELECT draft_id FROM counts) AND updated_at < now() - interval '5 seconds'
     )
     SELECT heads.draft_id, heads.last_seq, counts.n AS count FROM heads JOIN counts USING (draft_id)`,
    parameters,
  );
  return new Map(
    heads.map((head) => [head.draft_id, { firstSeq: Number(head.last_seq) - Number(head.count) + 1, lastSeq: Number(head.last_seq) }]),
  );
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
