import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";

/** An embedded Postgres (PGlite) reachable on a private Unix socket. */
export interface EmbeddedPostgres {
  /** Folder holding the socket, for the driver's `host`. */
  socketDir: string;
  /** True when another process owns the database and this one only connected to it. */
  shared: boolean;
  close(): Promise<void>;
}

const LOCK_FILE = "accord.lock";

/**
 * Opens the PGlite data directory and serves it over the Postgres wire protocol on a Unix socket,
 * so the same driver and SQL serve both modes. PGlite runs on a worker thread of its own
 * (embedded-worker.js): its queries then run beside the server's event loop, not on it. PGlite must have one owner: when a live Accord
 * process already owns the folder (its lock file names it, and it answers on its owner socket),
 * this connects to that process's socket instead, so `npm run seed:demo` works beside a running
 * server. A lock left by a crash is taken over, whatever process has reused its pid.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  // A short path: Unix socket paths are limited to about 100 bytes.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-pg-"));
  // Ownership is proved by answering on a socket, listening before the lock names it: a crashed
  // owner's socket refuses connections, whatever process now has its pid (a pid is reused after a
  // crash, and in a container every start is pid 1).
  const ownerServer = await listenAsOwner(socketDir);
  for (;;) {
    const owner = readLock(lockPath);
    if (owner && (await ownerAnswers(owner))) {
      await closeOwner(ownerServer, socketDir);
      await waitForSocket(owner, lockPath);
      return { socketDir: owner.socketDir, shared: true, close: async () => undefined };
    }
    // A lock whose owner does not answer is stale; it is removed only if it is still the one read.
    if (owner && sameLock(readLock(lockPath), owner)) fs.rmSync(lockPath, { force: true });
    // The lock is claimed before PGlite opens the folder, and atomically: of two processes
    // starting at once, one owns the database and the other waits for its socket.
    if (claimLock(lockPath, { pid: process.pid, socketDir })) break;
    // Claimed by another process just now: give it the moment it needs to be read whole.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  try {
    const worker = await startWorker(path.join(dataDir, "pgdata"), socketPath(socketDir));
    return {
      socketDir,
      shared: false,
      async close() {
        await stopWorker(worker);
        releaseLock(lockPath, socketDir);
        await closeOwner(ownerServer, socketDir);
      },
    };
  } catch (error) {
    releaseLock(lockPath, socketDir);
    await closeOwner(ownerServer, socketDir);
    throw error;
  }
}

type WorkerMessage = { ready: true } | { stopped: true } | { error: string };

// Threads being stopped on purpose: their exit is expected.
const stopping = new WeakSet<Worker>();

// Starts the database thread and resolves once its socket accepts connections.
function startWorker(dataDir: string, socket: string): Promise<Worker> {
  const worker = new Worker(new URL("./embedded-worker.js", import.meta.url), {
    workerData: { dataDir, socketPath: socket },
  });
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      void worker.terminate();
      reject(error);
    };
    worker.once("error", fail);
    worker.once("exit", (code) => fail(new Error(`the database thread stopped (exit code ${code})`)));
    worker.once("message", (message: WorkerMessage) => {
      worker.removeAllListeners("exit");
      worker.removeAllListeners("error");
      if ("error" in message) return fail(new Error(message.error));
      // From here on a dying database thread is reported, loudly, but does not end the process:
      // queries fail with a connection error, /healthz answers 503 (what a supervisor watches),
      // and the public pages already cached are still served.
      worker.on("error", (error) => console.error("The embedded database thread failed:", error));
      worker.on("exit", (code) => {
        if (!stopping.has(worker)) {
          console.error(`The embedded database thread stopped (exit code ${code}): every query fails until Accord is restarted.`);
        }
      });
      worker.on("messageerror", (error) => console.error("A message from the embedded database thread could not be read:", error));
      resolve(worker);
    });
  });
}

// Lets the database thread close PGlite cleanly (it writes its files), then ends the thread.
async function stopWorker(worker: Worker): Promise<void> {
  stopping.add(worker);
  const stopped = new Promise<void>((resolve) => {
    worker.on("message", (message: WorkerMessage) => {
      if ("stopped" in message) resolve();
    });
    worker.once("exit", () => resolve());
  });
  worker.postMessage("stop");
  await stopped;
  await worker.terminate();
}

interface Lock {
  pid: number;
  socketDir: string;
}

function claimLock(lockPath: string, lock: Lock): boolean {
  try {
    fs.writeFileSync(lockPath, JSON.stringify(lock), { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

function releaseLock(lockPath: string, socketDir: string): void {
  if (readLock(lockPath)?.socketDir === socketDir) fs.rmSync(lockPath, { force: true });
}

function sameLock(a: Lock | null, b: Lock): boolean {
  return a !== null && a.pid === b.pid && a.socketDir === b.socketDir;
}

function ownerSocketPath(socketDir: string): string {
  return path.join(socketDir, "owner.sock");
}

// A socket that only accepts and hangs up: while this process lives, it answers for the lock.
function listenAsOwner(socketDir: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once("error", reject);
    server.listen(ownerSocketPath(socketDir), () => {
      server.unref();
      resolve(server);
    });
  });
}

async function closeOwner(server: net.Server, socketDir: string): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(socketDir, { recursive: true, force: true });
}

function ownerAnswers(owner: Lock): Promise<boolean> {
  return connects(ownerSocketPath(owner.socketDir));
}

// The owner may still be starting (PGlite takes seconds to open): wait for its socket to answer.
async function waitForSocket(owner: Lock, lockPath: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(owner.socketDir))) {
    if (!(await ownerAnswers(owner)) || Date.now() > deadline) {
      throw new Error(
        `the folder is in use by process ${owner.pid}, which does not answer. ` +
          `Stop it, or remove ${lockPath} if no Accord is running.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function socketPath(socketDir: string): string {
  return path.join(socketDir, ".s.PGSQL.5432");
}

function readLock(lockPath: string): Lock | null {
  try {
    const lock = JSON.parse(fs.readFileSync(lockPath, "utf8")) as { pid?: unknown; socketDir?: unknown };
    return typeof lock.pid === "number" && typeof lock.socketDir === "string" ? { pid: lock.pid, socketDir: lock.socketDir } : null;
  } catch {
    return null;
  }
}

function canConnect(socketDir: string): Promise<boolean> {
  return connects(socketPath(socketDir));
}

function connects(socketFile: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketFile);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
