// Part 1, collaboration fan-out: N stock y-websocket clients in worker threads type into one
// draft; every update is timed from its sender's keystroke to its arrival at every other client.
// The same load runs against the reference server (`@y/websocket-server`, in memory).
import os from "node:os";
import { Worker } from "node:worker_threads";
import { newDraftJson } from "../schema/content";
import { yjsStateFromJson } from "../server/text-store/initial-state";
import { createDraft } from "../server/domain/drafts";
import { createBenchDatabase, createDelegates, createSecretariat, withDatabase, type BenchPerson } from "./lib/database";
import { startReferenceServer, startServer, sampleProcess, type BenchServer, type ProcessSample, type ServerFolder } from "./lib/server";
import { medianOf, quantile, round, now, sleep } from "./lib/stats";
import type { FanoutWorkerData, FromWorker, ToWorker } from "./fanout-protocol";
import type { DatabaseKind } from "../server/db/connection";

/** What to run. */
export interface FanoutOptions {
  clients: number[];
  repetitions: number;
  durationMs: number;
  keystrokesPerSecond: number;
  /** Keystrokes/s per editor for some N instead of `keystrokesPerSecond` (`--clients 256@0.25`), by N. */
  rateFor?: Record<string, number>;
  workers: number;
  /** A folder for the servers' CPU profiles (one per N), if wanted. */
  profileDir?: string;
}

/** The figures of one repetition (times in ms). */
export interface FanoutFigures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Keystrokes sent per second, all editors together. */
  sentPerSecond: number;
  /** Update arrivals at other clients per second. */
  deliveredPerSecond: number;
  /** Arrivals over what should arrive (sent × (N − 1)): 1 when nothing was lost or late. */
  deliveredShare: number;
  /** Server CPU over the typing window, in % of one core. */
  serverCpuPercent: number;
  /** Server resident memory, the most seen during the typing window. */
  serverRssMb: number;
  /** The load generator's CPU (all its threads), in % of one core. */
  loadCpuPercent: number;
  /** The busiest worker's event-loop utilisation (1 = saturated: latencies include its queueing). */
  workerUtilisation: number;
  /** The machine's 1-minute load average after the typing, this benchmark included. */
  machineLoad: number;
}

export const FIGURES = [
  "p50",
  "p95",
  "p99",
  "max",
  "sentPerSecond",
  "deliveredPerSecond",
  "deliveredShare",
  "serverCpuPercent",
  "serverRssMb",
  "loadCpuPercent",
  "workerUtilisation",
  "machineLoad",
] as const satisfies readonly (keyof FanoutFigures)[];

/** Every repetition of one server at one N, and their median. */
export interface FanoutSeries {
  runs: FanoutFigures[];
  median: FanoutFigures;
}

/** One N: Accord, the reference server under the same load, and Accord's medians over the reference's. */
export interface FanoutResult {
  clients: number;
  /** Keystrokes/s per editor at this N. */
  keystrokesPerSecond: number;
  workers: number;
  accord: FanoutSeries;
  reference: FanoutSeries;
  /** Accord's median over the reference's, figure by figure (below 1: Accord lower). */
  ratio: FanoutFigures;
}

/** The whole fan-out part. */
export interface FanoutReport {
  database: DatabaseKind;
  options: FanoutOptions;
  results: FanoutResult[];
}

const DRAIN_LIMIT_MS = 15_000;
// A new draft's text, which seeds a reference room (empty until then) so that editors type into the
// same ProseMirror structure on both servers.
const EMPTY_DRAFT = yjsStateFromJson(newDraftJson("Fan-out"));
// The uncounted typing each server gets before the measured runs of an N.
const WARM_UP_MS = 3_000;

/**
 * Runs the fan-out part: for each N, one fresh Accord server and one fresh reference server, and
 * their repetitions in turn (Accord, reference, Accord …), so both see the same machine load; one
 * fresh draft (room) per repetition.
 */
export async function runFanout(options: FanoutOptions, root: string, serverFolder: ServerFolder): Promise<FanoutReport> {
  const database = await createBenchDatabase(root);
  const most = Math.max(...options.clients);
  console.log(`fan-out: ${database.kind} database; creating ${most} delegates and ${options.clients.length * options.repetitions} drafts…`);
  const { people, drafts } = await withDatabase(database, async () => {
    const secretariat = await createSecretariat();
    const people = await createDelegates(most, "fanout");
    const drafts = new Map<number, string[]>();
    for (const n of options.clients) {
      // The first is the warm-up's.
      const ids: string[] = [(await createDraft({ actor: secretariat, title: `Fan-out ${n} editors, warm-up` })).id];
      for (let rep = 1; rep <= options.repetitions; rep += 1) {
        ids.push((await createDraft({ actor: secretariat, title: `Fan-out ${n} editors, run ${rep}` })).id);
      }
      drafts.set(n, ids);
    }
    return { people, drafts };
  });

  const results: FanoutResult[] = [];
  for (const n of options.clients) {
    const keystrokesPerSecond = fanoutRate(options, n);
    const typing = { ...options, keystrokesPerSecond };
    const accord = await startServer(database, serverFolder, options.profileDir);
    const reference = await startReferenceServer();
    try {
      const accordRuns: FanoutFigures[] = [];
      const referenceRuns: FanoutFigures[] = [];
      const [warmUpDraft, ...measured] = drafts.get(n) ?? [];
      const one = (server: BenchServer, room: string, load = typing): Promise<FanoutFigures> =>
        measureTyping({ server, editors: people.slice(0, n).map((person) => ({ person, draftId: room })), editorsPerDraft: n, options: load });
      // Both servers first take a short load that is not counted, so that neither is measured
      // while its code is still being compiled and optimised.
      const warmUp = { ...typing, durationMs: WARM_UP_MS };
      if (warmUpDraft) await one(accord, warmUpDraft, warmUp);
      await one(reference, `reference-${n}-warm-up`, warmUp);
      for (const [rep, draftId] of measured.entries()) {
        const figures = await one(accord, draftId);
        console.log(`fan-out N=${n} (${keystrokesPerSecond}/s) run ${rep + 1}, Accord:    ${describe(figures)}`);
        accordRuns.push(figures);
        const referenceFigures = await one(reference, `reference-${n}-${rep + 1}`);
        console.log(`fan-out N=${n} run ${rep + 1}, reference: ${describe(referenceFigures)}`);
        referenceRuns.push(referenceFigures);
      }
      const result = {
        clients: n,
        keystrokesPerSecond,
        workers: Math.min(options.workers, n),
        accord: { runs: accordRuns, median: medianOf(accordRuns, FIGURES) },
        reference: { runs: referenceRuns, median: medianOf(referenceRuns, FIGURES) },
        ratio: ratioOf(medianOf(accordRuns, FIGURES), medianOf(referenceRuns, FIGURES)),
      };
      console.log(`fan-out N=${n} median, Accord:    ${describe(result.accord.median)}`);
      console.log(`fan-out N=${n} median, reference: ${describe(result.reference.median)}`);
      results.push(result);
    } finally {
      await reference.stop();
      await accord.stop();
    }
  }
  return { database: database.kind, options, results };
}

/** The keystrokes/s per editor at N editors. */
export function fanoutRate(options: Pick<FanoutOptions, "keystrokesPerSecond" | "rateFor">, n: number): number {
  return options.rateFor?.[String(n)] ?? options.keystrokesPerSecond;
}

function ratioOf(accord: FanoutFigures, reference: FanoutFigures): FanoutFigures {
  const ratio = {} as FanoutFigures;
  for (const key of FIGURES) ratio[key] = round(accord[key] / reference[key], 2);
  return ratio;
}

/** What one measurement runs: which editor types into which draft, on which server, how fast. */
export interface TypingLoad {
  server: BenchServer;
  /** Instances of one deployment to spread the editors over in turn (editor i on instance i mod n), instead of `server` alone; CPU and RSS are their sums. */
  servers?: BenchServer[];
  editors: { person: BenchPerson; draftId: string }[];
  /** Editors in each draft (every draft has as many): each update should reach this many − 1. */
  editorsPerDraft: number;
  options: Pick<FanoutOptions, "durationMs" | "keystrokesPerSecond" | "workers">;
}

/**
 * Connects every editor (stock clients in worker threads), lets them type for the duration and
 * waits until their updates have arrived; times every (update, receiver) pair.
 */
export async function measureTyping(load: TypingLoad): Promise<FanoutFigures> {
  const { server, editors, editorsPerDraft, options } = load;
  const servers = load.servers ?? [server];
  const n = editors.length;
  // Room for jitter: an editor sends at most rate × duration + 1 keystrokes.
  const maxSeq = Math.ceil((options.keystrokesPerSecond * options.durationMs) / 1000) + 2;
  const sendTimes = new SharedArrayBuffer(n * maxSeq * Float64Array.BYTES_PER_ELEMENT);
  const clientIds = new SharedArrayBuffer(n * Float64Array.BYTES_PER_ELEMENT);
  const workerCount = Math.min(options.workers, n);
  const workers = Array.from({ length: workerCount }, (_, w) =>
    spawnWorker({
      baseUrl: server.url,
      clients: editors.flatMap(({ person, draftId }, index) =>
        index % workerCount === w ? [{ index, cookie: person.cookie, draftId, baseUrl: servers[index % servers.length]?.url }] : [],
      ),
      sendTimes,
      clientIds,
      maxSeq,
      keystrokesPerSecond: options.keystrokesPerSecond,
      durationMs: options.durationMs,
      emptyDraft: EMPTY_DRAFT,
    }),
  );
  try {
    await Promise.all(workers.map((worker) => worker.next("ready", 120_000)));
    // Let the joining burst (sync, awareness of everyone) settle before typing starts.
    await sleep(1000);
    const at = now() + 300;
    for (const worker of workers) worker.post({ type: "start", at });
    await sleep(at - now());
    const serverBefore = sampleProcesses(servers);
    const loadBefore = process.cpuUsage();
    let rssPeak = serverBefore?.rssBytes ?? Number.NaN;
    const end = at + options.durationMs;
    while (now() < end) {
      await sleep(Math.min(250, Math.max(0, end - now())));
      rssPeak = Math.max(rssPeak, sampleProcesses(servers)?.rssBytes ?? Number.NaN);
    }
    const serverAfter = sampleProcesses(servers);
    const loadUsage = process.cpuUsage(loadBefore);
    const machineLoad = os.loadavg()[0] ?? Number.NaN;
    const seconds = options.durationMs / 1000;

    // A keystroke due just before the end may come up to 30% of an interval late (the workers'
    // jitter): only once every one is typed can "all arrived" be judged.
    await sleep((0.3 * 1000) / options.keystrokesPerSecond + 50);
    // Wait until every update has reached every other editor of its draft (or give up and count what came).
    const drainEnd = now() + DRAIN_LIMIT_MS;
    for (;;) {
      await sleep(250);
      const progress = await Promise.all(workers.map((worker) => worker.ask()));
      const sent = progress.reduce((sum, p) => sum + p.sent, 0);
      const received = progress.reduce((sum, p) => sum + p.received, 0);
      if (received >= sent * (editorsPerDraft - 1) || now() > drainEnd) break;
    }
    const results = await Promise.all(workers.map((worker) => worker.finish()));
    const sent = results.reduce((sum, result) => sum + result.sent, 0);
    const received = results.reduce((sum, result) => sum + result.received, 0);
    const all = new Float64Array(received);
    let offset = 0;
    for (const result of results) {
      all.set(result.latencies, offset);
      offset += result.latencies.length;
    }
    all.sort();
    return {
      p50: round(quantile(all, 0.5)),
      p95: round(quantile(all, 0.95)),
      p99: round(quantile(all, 0.99)),
      max: round(quantile(all, 1)),
      sentPerSecond: round(sent / seconds, 1),
      deliveredPerSecond: round(received / seconds, 0),
      deliveredShare: round(editorsPerDraft > 1 && sent > 0 ? received / (sent * (editorsPerDraft - 1)) : Number.NaN, 4),
      serverCpuPercent:
        serverBefore && serverAfter ? round(((serverAfter.cpuSeconds - serverBefore.cpuSeconds) / seconds) * 100, 1) : Number.NaN,
      serverRssMb: round(rssPeak / 2 ** 20, 1),
      loadCpuPercent: round(((loadUsage.user + loadUsage.system) / 1e6 / seconds) * 100, 1),
      workerUtilisation: round(Math.max(...results.map((result) => result.utilisation)), 2),
      machineLoad: round(machineLoad, 2),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

// The servers' CPU time and RSS together (one instance, or every instance of a deployment).
function sampleProcesses(servers: BenchServer[]): ProcessSample | null {
  const samples = servers.map((each) => sampleProcess(each.pid));
  if (samples.some((sample) => sample === null)) return null;
  return (samples as ProcessSample[]).reduce((sum, sample) => ({ cpuSeconds: sum.cpuSeconds + sample.cpuSeconds, rssBytes: sum.rssBytes + sample.rssBytes }));
}

interface FanoutWorker {
  post(message: ToWorker): void;
  next<T extends FromWorker["type"]>(type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>>;
  ask(): Promise<Extract<FromWorker, { type: "progress" }>>;
  finish(): Promise<Extract<FromWorker, { type: "result" }>>;
  terminate(): Promise<void>;
}

// Workers load TypeScript through tsx's API: in Node 20 a worker does not inherit the loader hooks.
const TSX_API = import.meta.resolve("tsx/esm/api");
const WORKER = new URL("./fanout-worker.ts", import.meta.url).href;

function spawnWorker(data: FanoutWorkerData): FanoutWorker {
  const worker = new Worker(
    `import(${JSON.stringify(TSX_API)}).then((api) => api.tsImport(${JSON.stringify(WORKER)}, ${JSON.stringify(WORKER)}));`,
    { eval: true, workerData: data },
  );
  const waiting: { type: FromWorker["type"]; resolve: (message: FromWorker) => void; reject: (error: Error) => void }[] = [];
  let failure: Error | null = null;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  };
  worker.on("message", (message: FromWorker) => {
    if (message.type === "failed") return failAll(new Error(`A load-generator worker failed: ${message.message}`));
    const index = waiting.findIndex((waiter) => waiter.type === message.type);
    const [waiter] = index === -1 ? [] : waiting.splice(index, 1);
    waiter?.resolve(message);
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", () => failAll(new Error("A load-generator worker stopped.")));

  const next = <T extends FromWorker["type"]>(type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      const timer = setTimeout(() => reject(new Error(`No "${type}" from a worker within ${timeoutMs} ms.`)), timeoutMs);
      waiting.push({
        type,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message as Extract<FromWorker, { type: T }>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  const post = (message: ToWorker): void => worker.postMessage(message);
  return {
    post,
    next,
    ask() {
      const answer = next("progress", 10_000);
      post({ type: "progress" });
      return answer;
    },
    finish() {
      const answer = next("result", 30_000);
      post({ type: "finish" });
      return answer;
    },
    terminate: async () => void (await worker.terminate()),
  };
}

export function describe(figures: FanoutFigures): string {
  return (
    `p50 ${figures.p50} p95 ${figures.p95} p99 ${figures.p99} max ${figures.max} ms; ` +
    `${figures.deliveredPerSecond} deliveries/s (${round(figures.deliveredShare * 100, 2)}%); ` +
    `server CPU ${figures.serverCpuPercent}%, RSS ${figures.serverRssMb} MB; load CPU ${figures.loadCpuPercent}%, ` +
    `busiest worker ${figures.workerUtilisation}; machine load ${figures.machineLoad}`
  );
}
