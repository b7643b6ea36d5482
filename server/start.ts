import { setFactorSecret } from "./auth/factor-key";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Config } from "./config";
import { openDatabase, type Database } from "./db/connection";
import type { CollabBudgets } from "./collab/budgets";
import { createCollabServer, type CollabServer } from "./collab/collab-server";
import { checkAllDrafts, type RepairReport } from "./collab/repair";
import { migrate } from "./db/migrate";
import { isCurrentDatabase, setDatabase } from "./db/registry";
import type { RemixSource } from "./http/app";
import { startHttpServer, type AccordServer } from "./http/server";
import { createLive, type Live } from "./live";
import { startLeasedScheduler, type LeasedScheduler } from "./scheduler/lease";
import { Cluster } from "./cluster/cluster";

/** The folder of the production build. */
export const BUILD_DIR = path.resolve("build");

/** A running Accord: its HTTP server and its database. */
export interface Accord {
  server: AccordServer;
  database: Database;
  /** The live services: event buses, the scheduler's wake-up, the drafts' live texts. */
  live: Live;
  collab: CollabServer;
  /** This instance's membership of a deployment of several (REDIS_URL); null when it is the only one. */
  cluster: Cluster | null;
  /** The scheduler of rounds, motions and pending steps: running while this instance holds its lease. */
  scheduler: LeasedScheduler;
  /** The start-up check of every draft's stored text (see server/collab/repair.ts), running in the background. */
  draftCheck: Promise<RepairReport | null>;
  /** Graceful stop: stop accepting, finish requests, close the database. */
  stop(): Promise<void>;
}

/** Loads the production Remix build from `build/`. */
export async function loadBuild(buildDir: string = BUILD_DIR): Promise<RemixSource> {
  const build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
  return { build, clientDir: path.join(buildDir, "client") };
}

/** Opens and migrates the database, then serves Accord. */
export async function startAccord(options: {
  config: Config;
  remix: RemixSource;
  database?: Database;
  /** How long a draft nobody is connected to stays loaded. */
  collabIdleMs?: number;
  /** Budgets of the collaboration tier other than the defaults (tests inject small ones). */
  collabBudgets?: Partial<CollabBudgets>;
}): Promise<Accord> {
  const { config } = options;
  const database = options.database ?? (await openDatabase(config));
  try {
    await migrate(database.sql);
  } catch (error) {
    await database.close();
    throw error;
  }
  setDatabase(database);
  setFactorSecret(config.sessionSecret);
  // The collaboration tier exists before the scheduler runs: a motion closed at start-up edits the
  // text through it. It learns the bound port (and so our origins) once the server listens.
  let origins: () => readonly string[] = () => [];
  const live = createLive();
  let cluster: Cluster | null = null;
  if (config.redisUrl) {
    try {
      cluster = await Cluster.join({ url: config.redisUrl, channel: config.redisChannel, live });
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  const collab = createCollabServer({
    origins: () => origins(),
    live,
    idleMs: options.collabIdleMs,
    budgets: options.collabBudgets,
    feed: cluster?.feed,
    accountSockets: cluster?.accountSlots("sockets"),
    refusals: cluster?.refusalLedger(),
  });
  if (cluster) live.streams.shareCounts(cluster.accountSlots("streams"));
  live.texts = cluster ? cluster.attachDrafts(collab.shared, collab.texts) : collab.texts;
  // Phase changes and motions missed while the server was down, and steps a crash left pending,
  // happen before it serves anyone.
  const scheduler = startLeasedScheduler(live, database);
  await scheduler.ready;
  const server = await startHttpServer({
    database,
    live,
    remix: options.remix,
    host: config.host,
    port: config.port,
    origin: config.originConfigured ? config.origin : null,
    sessionSecret: config.sessionSecret,
    upgradeHandlers: [collab.handleUpgrade],
  });
  origins = server.origins;
  let stopping: Promise<void> | undefined;
  const draftCheck = checkDraftsInBackground(collab, () => stopping !== undefined);
  return {
    server,
    database,
    live,
    collab,
    cluster,
    scheduler,
    draftCheck,
    stop: () =>
      (stopping ??= (async () => {
        // No new connection from here on: a load balancer sends them to the other instances.
        void server.stopAccepting();
        // Event streams end now, and their browsers reconnect to another instance.
        live.drafts.shutDown();
        // The check ends at the next draft; a repair under way is stored before the drafts are flushed.
        await draftCheck;
        // The lease goes back at once, for another instance to take.
        await scheduler.stop();
        // Every loaded draft is flushed to the database, then its sockets are closed with a code
        // that makes clients reconnect (to another instance, behind a load balancer); what a client
        // sent that was not yet stored was not acknowledged either, and it sends it again there.
        await collab.close();
        await cluster?.close();
        await server.close();
        await database.close();
        if (isCurrentDatabase(database)) setDatabase(undefined);
      })()),
  };
}

// Drafts stored before the server enforced the schema may hold content outside it: each is
// repaired as one attributed server edit, in the background, so that start-up is never held up
// and never fails on it; what was repaired (or could not be) is logged.
async function checkDraftsInBackground(collab: CollabServer, stopped: () => boolean): Promise<RepairReport | null> {
  try {
    const report = await checkAllDrafts(collab.texts, { stopped });
    if (report.repaired.length) console.log(`Repaired the stored text of ${report.repaired.length} draft(s) into the schema: ${report.repaired.join(", ")}`);
    for (const failure of report.failed) console.warn(`warning: the stored text of draft ${failure.draftId} could not be checked or repaired: ${failure.error}`);
    return report;
  } catch (error) {
    console.warn(`warning: the start-up check of the drafts' text failed: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}
