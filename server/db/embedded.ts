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
  const owner = readLock(lockPath);
  if (owner && owner.pid !== process.pid && isAlive(owner.pid) && (await canConnect(owner.socketDir))) {
    return { socketDir: owner.socketDir, shared: true, close: async () => undefined };
  }
  const db = await PGlite.create(path.join(dataDir, "pgdata"));
  // A short path: Unix socket paths are limited to about 100 bytes.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-pg-"));
  const server = new PGLiteSocketServer({ db, path: socketPath(socketDir), maxConnections: 8 });
  await server.start();
  fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid, socketDir }));
  return {
    socketDir,
    shared: false,
    async close() {
      await server.stop();
      await db.close();
      if (readLock(lockPath)?.pid === process.pid) fs.rmSync(lockPath, { force: true });
      fs.rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

function socketPath(socketDir: string): string {
  return path.join(socketDir, ".s.PGSQL.5432");
}

function readLock(lockPath: string): { pid: number; socketDir: string } | null {
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
