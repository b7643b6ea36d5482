// Part 3 of issue 7, long history: drafts with many stored updates; how long a fresh client
// takes from connecting to `synced`, with the whole log to replay and after a checkpoint, and
// how long the compaction takes.
import * as Y from "yjs";
import { connectClient, synced } from "../test/collab-client";
import { appendUpdates, compactDraft, loadDraftState } from "../server/text-store/persistence";
import type { DatabaseKind } from "../server/db/connection";
import { sql } from "../server/db/registry";
import { createDraft } from "../server/domain/drafts";
import type { User } from "../server/domain/users";
import { createBenchDatabase, createDelegates, createSecretariat, withDatabase, type BenchDatabase, type BenchPerson } from "./lib/database";
import { startServer, type BenchServer, type ServerFolder } from "./lib/server";
import { median, now, round } from "./lib/stats";
import { covers, typeHistory } from "./lib/typing-history";

/** What to run. */
export interface HistoryOptions {
  sizes: number[];
  repetitions: number;
  /** How long one client may take to sync before the measurement is given up. */
  syncTimeoutMs: number;
}

/** A measurement repeated; null where it did not finish in time. */
export interface Repeated {
  runs: (number | null)[];
  /** The median in ms; null when no run finished. */
  median: number | null;
}

/** Connect → synced of a fresh client, three ways (ms). */
export interface SyncTimes {
  /** The first draft of its size a newly started server process loads (after a small warm-up draft). */
  newServer: Repeated;
  /** A draft that is not loaded, on a server that has just loaded another one of the same size. */
  runningServer: Repeated;
  /** A second client while the draft is loaded. */
  loaded: Repeated;
}

/** The figures of one draft size. */
export interface HistoryResult {
  updates: number;
  /** The stored log, in bytes, and the checkpoint the compaction wrote. */
  logBytes: number;
  checkpointBytes: number;
  /** The draft's only checkpoint is its first text: the whole log is replayed on load. */
  fromLog: SyncTimes;
  /** `compactDraft` folding the whole log into the checkpoint (ms). */
  compaction: Repeated;
  /** After the compaction: the checkpoint is loaded, and no log. */
  fromCheckpoint: SyncTimes;
}

/** The whole long-history part. */
export interface HistoryReport {
  database: DatabaseKind;
  options: HistoryOptions;
  results: HistoryResult[];
}

/** A draft with a stored log, and its twin: another draft with the very same text and log. */
interface Subject {
  updates: number;
  draftId: string;
  twinId: string;
  /** The draft's first text, its checkpoint at upto_seq 0. */
  initial: Uint8Array;
  stateVector: Uint8Array;
  logBytes: number;
}

// A small draft each new server loads first, so that no measured sync is the process's first.
const WARM_UP_UPDATES = 1000;
const INSERT_BATCH = 5000;

/**
 * Runs the long-history part. The logs are written with appendUpdates, as the server writes
 * them. Each measurement starts a new server process, so that every draft is loaded from the
 * database; a server measured on a log without checkpoint is killed, so that a graceful stop
 * does not compact the log it was measured on.
 */
export async function runHistory(options: HistoryOptions, root: string, serverFolder: ServerFolder): Promise<HistoryReport> {
  const database = await createBenchDatabase(root);
  const { person, warmUp, subjects } = await withDatabase(database, async () => {
    const secretariat = await createSecretariat();
    const people = await createDelegates(8, "history");
    const warmUp = await createSubject(secretariat, people, WARM_UP_UPDATES);
    const subjects: Subject[] = [];
    for (const size of options.sizes) subjects.push(await createSubject(secretariat, people, size));
    return { person: people[0], warmUp, subjects };
  });
  if (!person) throw new Error("No delegate was created.");
  console.log(`history: ${database.kind} database`);

  const fromLog = await measureSyncs({ database, serverFolder, person, warmUp, subjects, options, stop: (server) => server.kill() });

  const compaction = new Map<Subject, number[]>();
  const checkpointBytes = new Map<Subject, number>();
  await withDatabase(database, async () => {
    for (const id of [warmUp.draftId, warmUp.twinId, ...subjects.map((subject) => subject.twinId)]) await compactDraft(id);
    for (const subject of subjects) {
      const times: number[] = [];
      for (let rep = 0; rep < options.repetitions; rep += 1) {
        // Back to the draft's first text as its only checkpoint, so that each run folds the whole log.
        await sql()`UPDATE draft_checkpoints SET state = ${Buffer.from(subject.initial)}, upto_seq = 0 WHERE draft_id = ${subject.draftId}`;
        const started = now();
        const { folded } = await compactDraft(subject.draftId);
        times.push(now() - started);
        if (folded !== subject.updates) throw new Error(`The compaction folded ${folded} updates, not ${subject.updates}.`);
      }
      console.log(`history: compaction of ${subject.updates} updates: ${times.map((time) => Math.round(time)).join(", ")} ms`);
      compaction.set(subject, times);
      const [row] = await sql()<{ bytes: number }[]>`
        SELECT octet_length(state) AS bytes FROM draft_checkpoints WHERE draft_id = ${subject.draftId}`;
      checkpointBytes.set(subject, row?.bytes ?? Number.NaN);
    }
  });

  const fromCheckpoint = await measureSyncs({ database, serverFolder, person, warmUp, subjects, options, stop: (server) => server.stop() });

  return {
    database: database.kind,
    options,
    results: subjects.map((subject) => ({
      updates: subject.updates,
      logBytes: subject.logBytes,
      checkpointBytes: checkpointBytes.get(subject) ?? Number.NaN,
      fromLog: syncTimes(fromLog.get(subject)),
      compaction: repeated(compaction.get(subject) ?? []),
      fromCheckpoint: syncTimes(fromCheckpoint.get(subject)),
    })),
  };
}

/** Creates a draft and its twin and stores the same typed log of `updates` keystrokes in both. */
async function createSubject(secretariat: User, people: BenchPerson[], updates: number): Promise<Subject> {
  const started = now();
  const draft = await createDraft({ actor: secretariat, title: `History of ${updates} updates` });
  const twin = await createDraft({ actor: secretariat, title: `History of ${updates} updates, twin` });
  const initial = (await loadDraftState(draft.id)).update;
  await sql()`UPDATE draft_checkpoints SET state = ${Buffer.from(initial)} WHERE draft_id = ${twin.id}`;
  const history = typeHistory(initial, updates);
  const typed = now();
  for (const draftId of [draft.id, twin.id]) {
    for (let start = 0; start < history.updates.length; start += INSERT_BATCH) {
      const records = history.updates.slice(start, start + INSERT_BATCH).map(({ update, session }, offset) => {
        const author = people[session % people.length];
        return { seq: start + offset + 1, update, userId: author?.user.id ?? null, delegationCode: author?.user.delegationCode ?? null };
      });
      await appendUpdates(draftId, records);
    }
  }
  const logBytes = history.updates.reduce((sum, { update }) => sum + update.length, 0);
  console.log(
    `history: ${updates} updates (${Math.round(logBytes / 1024)} KiB) typed in ${Math.round(typed - started)} ms, ` +
      `stored twice in ${Math.round(now() - typed)} ms`,
  );
  return { updates, draftId: draft.id, twinId: twin.id, initial, stateVector: history.stateVector, logBytes };
}

type Times = Record<keyof SyncTimes, (number | null)[]>;

/**
 * For each repetition and draft size a new server: a warm-up sync, then the twin's first client
 * (new server), the draft's first client (running server) and, while that one is connected, a
 * second client (draft loaded). A size that once did not sync in time is not measured again.
 */
async function measureSyncs(input: {
  database: BenchDatabase;
  serverFolder: ServerFolder;
  person: BenchPerson;
  warmUp: Subject;
  subjects: Subject[];
  options: HistoryOptions;
  stop: (server: BenchServer) => Promise<void>;
}): Promise<Map<Subject, Times>> {
  const { person, warmUp, options } = input;
  const times = new Map<Subject, Times>();
  for (const subject of input.subjects) {
    const entry: Times = { newServer: [], runningServer: [], loaded: [] };
    times.set(subject, entry);
    for (let rep = 0; rep < options.repetitions; rep += 1) {
      const server = await startServer(input.database, input.serverFolder);
      try {
        const sync = (draftId: string, meanwhile?: () => Promise<void>): Promise<number | null> =>
          timeSync({ server, draftId, person, stateVector: draftId === warmUp.draftId ? warmUp.stateVector : subject.stateVector, timeoutMs: options.syncTimeoutMs, meanwhile });
        if ((await sync(warmUp.draftId)) === null) throw new Error("The warm-up draft did not sync in time.");
        const fresh = await sync(subject.twinId);
        entry.newServer.push(fresh);
        // A server still busy loading a draft that timed out cannot measure anything else.
        if (fresh === null) {
          console.log(`history: ${subject.updates} updates, run ${rep + 1}: no sync within the time limit on a new server`);
          break;
        }
        let loaded: number | null = null;
        const running = await sync(subject.draftId, async () => void (loaded = await sync(subject.draftId)));
        entry.runningServer.push(running);
        if (running !== null) entry.loaded.push(loaded);
        console.log(
          `history: ${subject.updates} updates, run ${rep + 1}: connect → synced ${show(fresh)} on a new server, ` +
            `${show(running)} on a running one, ${show(loaded)} while loaded`,
        );
        if (running === null) break;
      } finally {
        await input.stop(server);
      }
    }
  }
  return times;
}

/** Connect → synced of a fresh stock client, in ms (null past the timeout); `meanwhile` runs while it is connected. */
async function timeSync(input: {
  server: BenchServer;
  draftId: string;
  person: BenchPerson;
  stateVector: Uint8Array;
  timeoutMs: number;
  meanwhile?: () => Promise<void>;
}): Promise<number | null> {
  const started = now();
  const client = connectClient({ baseUrl: input.server.url, draftId: input.draftId, cookie: input.person.cookie });
  try {
    try {
      await synced(client, input.timeoutMs);
    } catch {
      return null;
    }
    const elapsed = now() - started;
    if (!covers(Y.encodeStateVector(client.doc), input.stateVector)) throw new Error("A client synced without the whole history.");
    await input.meanwhile?.();
    return elapsed;
  } finally {
    client.destroy();
  }
}

function syncTimes(times: Times | undefined): SyncTimes {
  return {
    newServer: repeated(times?.newServer ?? []),
    runningServer: repeated(times?.runningServer ?? []),
    loaded: repeated(times?.loaded ?? []),
  };
}

function repeated(runs: (number | null)[]): Repeated {
  const finished = runs.filter((run): run is number => run !== null);
  return { runs: runs.map((run) => (run === null ? null : round(run, 1))), median: finished.length ? round(median(finished), 1) : null };
}

function show(ms: number | null): string {
  return ms === null ? "timed out" : `${Math.round(ms)} ms`;
}
