import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../test/child-server";
import { trackChild } from "./cleanup";
import type { BenchDatabase } from "./database";
import { sleep } from "./stats";

/** A server under measurement (Accord's `npm run serve`, or the reference server) in a child process on 127.0.0.1. */
export interface BenchServer {
  url: string;
  pid: number;
  /** SIGTERM, as an operator stops it: loaded drafts are flushed and compacted first. */
  stop(): Promise<void>;
  /** SIGKILL: nothing is flushed or compacted (the stored log stays as it is). */
  kill(): Promise<void>;
}

/** Where the benchmark's servers run: the repository's code and a copy of its build, taken once. */
export interface ServerFolder {
  path: string;
}

// What a server needs from the repository, linked; `build` is copied, so that a rebuild in the
// working tree (npm test rebuilds) cannot pull it away from under a running benchmark.
const LINKED = ["app", "i18n", "node_modules", "package.json", "schema", "server", "tsconfig.json"];

/** Prepares a folder under `root` to start servers from: links to `repo` and a snapshot of its build. */
export function prepareServerFolder(root: string, repo: string): ServerFolder {
  const folder = path.join(root, "server");
  fs.mkdirSync(folder, { recursive: true });
  for (const name of LINKED) fs.symlinkSync(path.join(repo, name), path.join(folder, name));
  fs.cpSync(path.join(repo, "build"), path.join(folder, "build"), { recursive: true });
  return { path: folder };
}

/**
 * Starts `node --import tsx server/main.ts` on a free port of 127.0.0.1 and waits until it serves;
 * with `profileDir`, the server writes a V8 CPU profile there when it stops gracefully.
 */
export async function startServer(
  database: BenchDatabase,
  folder: ServerFolder,
  profileDir?: string,
  /** More environment (an instance of a deployment of several: REDIS_URL, REDIS_CHANNEL, SESSION_SECRET shared). */
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const port = await freePort();
  return startChild({
    args: [...profileArgs(profileDir), "--import", "tsx", "server/main.ts"],
    cwd: folder.path,
    port,
    ready: "Accord is serving",
    env: {
      SESSION_SECRET: randomBytes(24).toString("hex"),
      ...database.env,
      ...env,
    },
  });
}

const require = createRequire(import.meta.url);
const REFERENCE_SERVER = path.join(path.dirname(require.resolve("@y/websocket-server/package.json")), "src", "server.js");

/**
 * Starts the reference server, the stock y-websocket server of `@y/websocket-server` (its own
 * bin), in memory (no YPERSISTENCE) and without authentication, on a free port of 127.0.0.1.
 */
export async function startReferenceServer(): Promise<BenchServer> {
  const port = await freePort();
  return startChild({ args: [REFERENCE_SERVER], port, ready: "running at", env: {} });
}

const STATIC_SERVER = fileURLToPath(new URL("../static-server.ts", import.meta.url));

/** Starts bench/static-server.ts (node:http and fs, serving `file` from disk for every path) on a free port of 127.0.0.1. */
export async function startStaticServer(file: string): Promise<BenchServer> {
  const port = await freePort();
  return startChild({ args: ["--import", "tsx", STATIC_SERVER, file], port, ready: "static file server is serving", env: {} });
}

function profileArgs(profileDir: string | undefined): string[] {
  return profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
}

async function startChild(input: {
  args: string[];
  cwd?: string;
  port: number;
  ready: string;
  env: Record<string, string | undefined>;
}): Promise<BenchServer> {
  const child = spawn(process.execPath, input.args, {
    cwd: input.cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // The benchmark's own temporary folder: the embedded database's socket folder lands there,
      // so clean-up removes it even after a SIGKILL.
      TMPDIR: os.tmpdir(),
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(input.port),
      ...input.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackChild(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!output.includes(input.ready)) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The server did not start:\n${output}`);
    }
    await sleep(25);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error("The server has no process id.");
  let stopping = false;
  // A server that stops by itself has failed: say so, with what it said last.
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`A server stopped by itself (${signal ?? `exit code ${code}`}):\n${output.slice(-4000)}`);
  });
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
  };
  return { url: `http://127.0.0.1:${input.port}`, pid, stop: () => end("SIGTERM"), kill: () => end("SIGKILL") };
}

/** A process's CPU time so far and its resident memory, from /proc (Linux). */
export interface ProcessSample {
  cpuSeconds: number;
  rssBytes: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** Reads a process's CPU time and RSS; null where /proc is not available. */
export function sampleProcess(pid: number): ProcessSample | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
    return { cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, rssBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}
