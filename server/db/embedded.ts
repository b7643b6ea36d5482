import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

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
 * so the same driver and SQL serve both modes. PGlite must have one owner: when a live Accord
 * process already owns the folder (its lock file names it), this connects to that process's
 * socket instead, so `npm run seed:demo` works beside a running server.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  // A short path: Unix socket paths are limited to about 100 bytes.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-pg-"));
  for (;;) {
    const owner = readLock(lockPath);
    if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
      fs.rmSync(socketDir, { recursive: true, force: true });
      await waitForSocket(owner, lockPath);
      return { socketDir: owner.socketDir, shared: true, close: async () => undefined };
    }
    if (owner) fs.rmSync(lockPath, { force: true });
    // The lock is claimed before PGlite opens the folder, and atomically: of two processes
    // starting at once, one owns the database and the other waits for its socket.
    if (claimLock(lockPath, { pid: process.pid, socketDir })) break;
  }
  try {
    const db = await PGlite.create(path.join(dataDir, "pgdata"));
    const server = new PGLiteSocketServer({ db, path: socketPath(socketDir), maxConnections: 8 });
    await server.start();
    return {
      socketDir,
      shared: false,
      async close() {
        await server.stop();
        await db.close();
        releaseLock(lockPath, socketDir);
      },
    };
  } catch (error) {
    releaseLock(lockPath, socketDir);
    throw error;
  }
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
  if (readLock(lockPath)?.pid === process.pid) fs.rmSync(lockPath, { force: true });
  fs.rmSync(socketDir, { recursive: true, force: true });
}

// The owner may still be starting (PGlite takes seconds to open): wait for its socket to answer.
async function waitForSocket(owner: Lock, lockPath: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(owner.socketDir))) {
    if (!isAlive(owner.pid) || Date.now() > deadline) {
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(socketDir: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath(socketDir));
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
