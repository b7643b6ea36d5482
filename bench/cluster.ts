// Part 6, several instances: the fan-out and many-drafts loads with the editors of each draft split
// over two Accord instances sharing Postgres and Redis, against the same load on one instance and
// on the reference server. Latency across instances includes Redis's relay.
import { randomBytes } from "node:crypto";
import { createSession } from "../server/auth/session";
import { createDraft } from "../server/domain/drafts";
import type { DatabaseKind } from "../server/db/connection";
import { freePort } from "../test/child-server";
import { startTestRedis } from "../test/redis-server";
import { DEFAULT_IDLE_MS } from "../server/collab/registry";
import { describe, FIGURES, measureTyping, type FanoutFigures } from "./fanout";
import { createBenchDatabase, createDelegates, createSecretariat, withDatabase, type BenchPerson } from "./lib/database";
import { startReferenceServer, startServer, type BenchServer, type ServerFolder } from "./lib/server";
import { medianOf, round, sleep } from "./lib/stats";

/** What to run. */
export interface ClusterOptions {
  /** Editors in the one draft of the fan-out load. */
  fanoutClients: number;
  fanoutRate: number;
  /** Drafts and editors in each of the many-drafts load, and their keystrokes/s. */
  drafts: number;
  editorsPerDraft: number;
  draftsRate: number;
  repetitions: number;
  durationMs: number;
  workers: number;
}

/** One load on one deployment: every repetition and the median. */
export interface ClusterSeries {
  runs: FanoutFigures[];
  median: FanoutFigures;
}

/** One load: one instance, two instances, the reference server; two over one. */
export interface ClusterLoadResult {
  load: "fanout" | "drafts";
  editors: number;
  drafts: number;
  keystrokesPerSecond: number;
  one: ClusterSeries;
  two: ClusterSeries;
  reference: ClusterSeries;
  /** Two instances' median over one instance's, figure by figure. */
  twoOverOne: FanoutFigures;
}

export interface ClusterReport {
  database: DatabaseKind;
  options: ClusterOptions;
  results: ClusterLoadResult[];
}

const WARM_UP_MS = 3_000;
// A draft nobody is connected to is unloaded (and its log folded) 30 s after its last editor
// leaves: each Accord run is followed by that wait, so that no run is measured while the drafts
// of the one before are being unloaded. The reference server keeps nothing to fold.
const UNLOAD_WAIT_MS = DEFAULT_IDLE_MS + 5_000;
const REFERENCE_WAIT_MS = 2_000;

/**
 * Runs the cluster part: needs the Postgres server (DATABASE_URL) and redis-server. For each load,
 * one Accord instance, two instances sharing a Redis of the benchmark's own, and the reference
 * server take the same typing in turn (one, two, reference, one …), on fresh drafts each run.
 */
export async function runCluster(options: ClusterOptions, root: string, serverFolder: ServerFolder): Promise<ClusterReport> {
  const database = await createBenchDatabase(root);
  if (database.kind !== "postgres") throw new Error("The cluster part needs the Postgres server: set DATABASE_URL (instances share it).");
  const redis = await startTestRedis(await freePort());
  const shared = { REDIS_URL: redis.url, REDIS_CHANNEL: `accord-bench-${randomBytes(4).toString("hex")}`, SESSION_SECRET: randomBytes(24).toString("hex") };
  const loads = [
    { load: "fanout" as const, drafts: 1, editorsPerDraft: options.fanoutClients, rate: options.fanoutRate },
    { load: "drafts" as const, drafts: options.drafts, editorsPerDraft: options.editorsPerDraft, rate: options.draftsRate },
  ];
  // Per load: the warm-up's editors, then each repetition's for each deployment (fresh drafts).
  const deployments = ["one", "two", "reference"] as const;
  console.log(`cluster: creating delegates, sessions and drafts…`);
  const setup = await withDatabase(database, async () => {
    const secretariat = await createSecretariat();
    const most = Math.max(...loads.map((load) => load.drafts * load.editorsPerDraft));
    const people = await createDelegates(Math.min(most, 200), "cluster");
    const editorsOf = async (label: string, drafts: number, perDraft: number) => {
      const editors: { person: BenchPerson; draftId: string }[] = [];
      for (let d = 0; d < drafts; d += 1) {
        const draft = await createDraft({ actor: secretariat, title: `Cluster ${label}, draft ${d + 1}` });
        for (let k = 0; k < perDraft; k += 1) {
          const person = people[(d * perDraft + k) % people.length];
          if (!person) throw new Error("No delegate to connect.");
          editors.push({ person: { user: person.user, cookie: (await createSession(person.user.id)).token }, draftId: draft.id });
        }
      }
      return editors;
    };
    const byLoad = new Map<string, { person: BenchPerson; draftId: string }[][]>();
    for (const load of loads) {
      const runs = [await editorsOf(`${load.load} warm-up`, Math.ceil(load.drafts / 10), load.editorsPerDraft)];
      for (let rep = 0; rep < options.repetitions; rep += 1) {
        for (const deployment of deployments) runs.push(await editorsOf(`${load.load} ${deployment} ${rep + 1}`, load.drafts, load.editorsPerDraft));
      }
      byLoad.set(load.load, runs);
    }
    return byLoad;
  });

  const one = await startServer(database, serverFolder);
  const two = [await startServer(database, serverFolder, undefined, shared), await startServer(database, serverFolder, undefined, shared)];
  const reference = await startReferenceServer();
  const results: ClusterLoadResult[] = [];
  try {
    for (const load of loads) {
      const [warmUp = [], ...runs] = setup.get(load.load) ?? [];
      const typing = { durationMs: options.durationMs, keystrokesPerSecond: load.rate, workers: options.workers };
      const measure = (deployment: (typeof deployments)[number], editors: { person: BenchPerson; draftId: string }[], durationMs = options.durationMs) => {
        const base = { editors, editorsPerDraft: load.editorsPerDraft, options: { ...typing, durationMs } };
        if (deployment === "one") return measureTyping({ ...base, server: one });
        if (deployment === "two") return measureTyping({ ...base, server: two[0] as BenchServer, servers: two });
        // The reference server has rooms, not drafts: one room per draft of the run.
        const rooms = new Map<string, string>();
        return measureTyping({
          ...base,
          server: reference,
          editors: editors.map(({ person, draftId }) => ({ person, draftId: rooms.get(draftId) ?? rooms.set(draftId, `reference-${randomBytes(6).toString("hex")}`).get(draftId) ?? draftId })),
        });
      };
      const settle = (deployment: (typeof deployments)[number]) => sleep(deployment === "reference" ? REFERENCE_WAIT_MS : UNLOAD_WAIT_MS);
      for (const deployment of deployments) {
        await measure(deployment, warmUp, WARM_UP_MS);
        await settle(deployment);
      }
      const figures: Record<(typeof deployments)[number], FanoutFigures[]> = { one: [], two: [], reference: [] };
      for (let rep = 0; rep < options.repetitions; rep += 1) {
        for (const [index, deployment] of deployments.entries()) {
          const measured = await measure(deployment, runs[rep * deployments.length + index] ?? []);
          console.log(`cluster ${load.load} run ${rep + 1}, ${deployment}: ${describe(measured)}`);
          figures[deployment].push(measured);
          await settle(deployment);
        }
      }
      const series = (runsOf: FanoutFigures[]): ClusterSeries => ({ runs: runsOf, median: medianOf(runsOf, FIGURES) });
      const result: ClusterLoadResult = {
        load: load.load,
        editors: load.drafts * load.editorsPerDraft,
        drafts: load.drafts,
        keystrokesPerSecond: load.rate,
        one: series(figures.one),
        two: series(figures.two),
        reference: series(figures.reference),
        twoOverOne: {} as FanoutFigures,
      };
      for (const key of FIGURES) result.twoOverOne[key] = round(result.two.median[key] / result.one.median[key], 2);
      console.log(`cluster ${load.load}: p99 one ${result.one.median.p99} ms, two ${result.two.median.p99} ms (×${result.twoOverOne.p99}), reference ${result.reference.median.p99} ms`);
      results.push(result);
    }
  } finally {
    await reference.stop();
    for (const instance of two) await instance.stop();
    await one.stop();
    await redis.kill();
  }
  return { database: database.kind, options, results };
}
