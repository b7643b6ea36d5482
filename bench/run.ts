// `npm run bench [-- fanout|history] [options]`: runs the benchmarks against Accord's real server
// on 127.0.0.1 and writes bench/results.md and a JSON file under bench/runs/.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { cleanup, cleanUpOnExit, trackFolder } from "./lib/cleanup";
import { describeMachine } from "./lib/machine";
import { prepareServerFolder } from "./lib/server";
import { writeRun, type Run } from "./lib/report";
import { runFanout } from "./fanout";
import { runHistory } from "./history";

const USAGE = `Usage: npm run bench -- [fanout|history ...] [options]
  --clients 8,32       fan-out: editors per draft (e.g. 8,32,128,256)
  --duration 20        fan-out: seconds of typing per run
  --rate 5             fan-out: keystrokes per second per editor
  --workers 2          fan-out: worker threads of the load generator
  --profile DIR        fan-out: write each server's CPU profile (.cpuprofile) into DIR
  --sizes 10000,100000 history: stored updates per draft
  --sync-timeout 60    history: seconds a client may take to sync before that case is given up
  --repetitions 3      runs of each measurement (the median is reported)
  --no-write           print only; leave bench/results.md and bench/runs/ alone`;

const PARTS = ["fanout", "history"] as const;
type Part = (typeof PARTS)[number];
const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const LIMIT_MS = 14 * 60_000;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      clients: { type: "string", default: "8,32" },
      duration: { type: "string", default: "20" },
      rate: { type: "string", default: "5" },
      workers: { type: "string", default: "2" },
      profile: { type: "string" },
      sizes: { type: "string", default: "10000,100000" },
      "sync-timeout": { type: "string", default: "60" },
      repetitions: { type: "string", default: "3" },
      "no-write": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const unknown = positionals.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length) throw new UsageError(`Unknown part "${unknown.join(" ")}".`);
  const parts: Part[] = positionals.length ? PARTS.filter((part) => positionals.includes(part)) : [...PARTS];
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
  cleanUpOnExit(LIMIT_MS);
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
      const run: Run =
        part === "fanout"
          ? {
              part,
              machine,
              report: await runFanout(
                {
                  clients: list(values.clients, "--clients"),
                  repetitions,
                  durationMs: positiveInteger(values.duration, "--duration") * 1000,
                  keystrokesPerSecond: positiveInteger(values.rate, "--rate"),
                  workers: positiveInteger(values.workers, "--workers"),
                  profileDir,
                },
                folder,
                serverFolder,
              ),
              seconds: seconds(),
            }
          : {
              part,
              machine,
              report: await runHistory(
                {
                  sizes: list(values.sizes, "--sizes"),
                  repetitions,
                  syncTimeoutMs: positiveInteger(values["sync-timeout"], "--sync-timeout") * 1000,
                },
                folder,
                serverFolder,
              ),
              seconds: seconds(),
            };
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

class UsageError extends Error {}

function positiveInteger(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${name} must be a positive whole number, not "${value}".`);
  return number;
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
