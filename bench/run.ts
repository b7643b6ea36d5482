// `npm run bench [-- fanout|drafts|history|public|page|cluster|word|session] [options]`: runs the benchmarks against Accord's real server
// on 127.0.0.1 and writes bench/results.md and a JSON file under bench/runs/.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { cleanup, cleanUpOnExit, trackFolder } from "./lib/cleanup";
import { describeMachine } from "./lib/machine";
import { prepareServerFolder, type ServerFolder } from "./lib/server";
import { round } from "./lib/stats";
import { writeRun, type Run } from "./lib/report";
import { runFanout } from "./fanout";
import { runHistory } from "./history";
import { runManyDrafts } from "./many-drafts";
import { runPageWeight } from "./page-weight";
import { runPublicPage } from "./public-page";
import { runCluster } from "./cluster";
import { runWord } from "./word";
import { runSession } from "./session";
import { redisServerBinary } from "../test/redis-server";

const USAGE = `Usage: npm run bench -- [fanout|drafts|history|public|page|cluster|word|session ...] [options]
  (no part: all eight, in that order; cluster only with DATABASE_URL and redis-server)
  --clients 8,32,128@0.5,256@0.1
                       fan-out: editors per draft; N@R types R keystrokes/s
                       per editor at that N instead of --rate
  --duration 10        fan-out and drafts: seconds of typing per run
  --rate 5             fan-out: keystrokes per second per editor
  --workers 2          fan-out and drafts: worker threads of the load generator
  --profile DIR        fanout, drafts and public: write each Accord server's CPU profile (.cpuprofile) into DIR
  --drafts 100         drafts: how many drafts
  --per-draft 10       drafts: editors typing in each
  --drafts-rate 1      drafts: keystrokes per second per editor
  --sizes 10000,100000 history: stored updates per draft
  --sync-timeout 60    history: seconds a client may take to sync before that case is given up
  --connections 10     public: autocannon's connections
  --seconds 5          public: seconds of each autocannon run
  --cluster-clients 32 cluster: editors in the fan-out load's one draft (at --rate)
  --cluster-drafts 100x4
                       cluster: drafts × editors per draft of the many-drafts load (at --drafts-rate)
  --word-sizes 10000,100000
                       word: stored updates per draft (version 1 halfway)
  --session-followers 8,40,120
                       session: participants following a chaired session
  --session-steps 30   session: pointer moves per run
  --repetitions 3      runs of each measurement (the median is reported)
  --no-write           print only; leave bench/results.md and bench/runs/ alone`;

const PARTS = ["fanout", "drafts", "history", "public", "page", "cluster", "word", "session"] as const;
type Part = (typeof PARTS)[number];
const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
// The whole run stops itself after this long: 14 minutes for the five single-instance parts, 14 more with the cluster part.
const LIMIT_MS = 14 * 60_000;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      clients: { type: "string", default: "8,32,128@0.5,256@0.1" },
      duration: { type: "string", default: "10" },
      rate: { type: "string", default: "5" },
      workers: { type: "string", default: "2" },
      profile: { type: "string" },
      drafts: { type: "string", default: "100" },
      "per-draft": { type: "string", default: "10" },
      "drafts-rate": { type: "string", default: "1" },
      sizes: { type: "string", default: "10000,100000" },
      "word-sizes": { type: "string", default: "10000,100000" },
      "session-followers": { type: "string", default: "8,40,120" },
      "session-steps": { type: "string", default: "30" },
      connections: { type: "string", default: "10" },
      seconds: { type: "string", default: "5" },
      "sync-timeout": { type: "string", default: "60" },
      "cluster-clients": { type: "string", default: "32" },
      "cluster-drafts": { type: "string", default: "100x4" },
      repetitions: { type: "string", default: "3" },
      "no-write": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const unknown = positionals.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length) throw new UsageError(`Unknown part "${unknown.join(" ")}".`);
  // With no part named, the cluster part runs where it can (the Postgres server and redis-server).
  const clusterPossible = Boolean(process.env.DATABASE_URL) && redisServerBinary() !== null;
  if (!positionals.length && !clusterPossible) console.log("cluster: skipped (it needs DATABASE_URL and redis-server).");
  const parts: Part[] = positionals.length
    ? PARTS.filter((part) => positionals.includes(part))
    : PARTS.filter((part) => part !== "cluster" || clusterPossible);
  const repetitions = positiveInteger(values.repetitions, "--repetitions");
  const profileDir = values.profile === undefined ? undefined : path.resolve(values.profile);
  if (repetitions < 3) console.warn("warning: fewer than 3 repetitions; the median means little.");

  // The child servers run the repository's server/main.ts and build/.
  process.chdir(path.resolve(BENCH_DIR, ".."));
  if (!fs.existsSync("build/server/index.js")) {
    console.log("There is no build of the app yet (the server needs one to start): running `npm run build`.");
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("`npm run build` failed.");
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "accord-bench-"));
  trackFolder(root);
  const tmp = path.join(root, "tmp");
  fs.mkdirSync(tmp);
  // Everything this process and its servers put in the temporary folder (the embedded
  // database's socket folders among them) lands under `root` and goes with it.
  process.env.TMPDIR = tmp;
  cleanUpOnExit(parts.includes("cluster") ? 2 * LIMIT_MS : LIMIT_MS);
  const serverFolder = prepareServerFolder(root, process.cwd());

  try {
    for (const part of parts) {
      const machine = describeMachine();
      console.log(`${part}: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, commit ${machine.commit}`);
      if (machine.uncommitted.length) console.log(`uncommitted changes measured too: ${machine.uncommitted.join(", ")}`);
      if (machine.loadAverage > machine.cores / 2) {
        console.warn(`warning: the machine is already busy (load average ${machine.loadAverage}); the figures will show it.`);
      }
      const started = Date.now();
      const seconds = (): number => Math.round((Date.now() - started) / 1000);
      const folder = path.join(root, part);
      const run = { part, machine, report: await runPart(part, values, repetitions, profileDir, folder, serverFolder), seconds: seconds() } as Run;
      run.machine.loadAverageAfter = round(os.loadavg()[0] ?? Number.NaN, 2);
      console.log(`${part} took ${run.seconds} s`);
      if (values["no-write"]) {
        console.log(JSON.stringify(run.report, null, 1));
      } else {
        const written = writeRun(BENCH_DIR, run);
        console.log(`wrote ${path.relative(process.cwd(), written)} and bench/results.md`);
      }
    }
  } finally {
    await cleanup();
  }
}

type Values = Record<string, string | boolean | undefined>;

function runPart(part: Part, values: Values, repetitions: number, profileDir: string | undefined, folder: string, serverFolder: ServerFolder): Promise<Run["report"]> {
  const text = (name: string): string => String(values[name]);
  const whole = (name: string): number => positiveInteger(text(name), `--${name}`);
  switch (part) {
    case "fanout":
      return runFanout(
        {
          ...clientsAndRates(text("clients")),
          repetitions,
          durationMs: whole("duration") * 1000,
          keystrokesPerSecond: positiveNumber(text("rate"), "--rate"),
          workers: whole("workers"),
          profileDir,
        },
        folder,
        serverFolder,
      );
    case "drafts":
      return runManyDrafts(
        {
          drafts: whole("drafts"),
          editorsPerDraft: whole("per-draft"),
          repetitions,
          durationMs: whole("duration") * 1000,
          keystrokesPerSecond: whole("drafts-rate"),
          workers: whole("workers"),
          profileDir,
        },
        folder,
        serverFolder,
      );
    case "history":
      return runHistory({ sizes: list(text("sizes"), "--sizes"), repetitions, syncTimeoutMs: whole("sync-timeout") * 1000 }, folder, serverFolder);
    case "public":
      return runPublicPage({ repetitions, durationSeconds: whole("seconds"), connections: whole("connections"), profileDir }, folder, serverFolder);
    case "page":
      return runPageWeight({ repetitions }, folder, serverFolder);
    case "word":
      return runWord({ sizes: list(text("word-sizes"), "--word-sizes"), repetitions }, folder);
    case "session":
      return runSession({ followers: list(text("session-followers"), "--session-followers"), steps: whole("session-steps"), repetitions }, folder, serverFolder);
    case "cluster": {
      const [drafts = "", perDraft = ""] = text("cluster-drafts").split("x");
      return runCluster(
        {
          fanoutClients: whole("cluster-clients"),
          fanoutRate: positiveNumber(text("rate"), "--rate"),
          drafts: positiveInteger(drafts, "--cluster-drafts (before x)"),
          editorsPerDraft: positiveInteger(perDraft, "--cluster-drafts (after x)"),
          draftsRate: positiveNumber(text("drafts-rate"), "--drafts-rate"),
          repetitions,
          durationMs: whole("duration") * 1000,
          workers: whole("workers"),
        },
        folder,
        serverFolder,
      );
    }
  }
}

class UsageError extends Error {}

function positiveInteger(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${name} must be a positive whole number, not "${value}".`);
  return number;
}

function positiveNumber(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`${name} must be a positive number, not "${value}".`);
  return number;
}

// "8,32,256@0.25": editors per run, each with its own keystrokes/s after "@" when given.
function clientsAndRates(value: string): { clients: number[]; rateFor: Record<string, number> } {
  const clients: number[] = [];
  const rateFor: Record<string, number> = {};
  for (const item of value.split(",")) {
    const [n, rate] = item.trim().split("@");
    const editors = positiveInteger(n ?? "", "--clients");
    clients.push(editors);
    if (rate !== undefined) rateFor[String(editors)] = positiveNumber(rate, "--clients (the rate after @)");
  }
  return { clients, rateFor };
}

function list(value: string, name: string): number[] {
  return value.split(",").map((item) => positiveInteger(item.trim(), name));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
    process.exit(1);
  },
);
