import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** An embedded Postgres (PGlite) listening on a private Unix socket. */
export interface EmbeddedPostgres {
  /** Folder holding the socket, for the driver's `host`. */
  socketDir: string;
  close(): Promise<void>;
}

/**
 * Opens (or creates) the PGlite data directory and serves it over the Postgres wire protocol
 * on a Unix socket in a private temporary folder, so the same driver and SQL serve both modes.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  // A short path: Unix socket paths are limited to about 100 bytes.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-pg-"));
  const server = new PGLiteSocketServer({
    db,
    path: path.join(socketDir, ".s.PGSQL.5432"),
    maxConnections: 8,
  });
  await server.start();
  return {
    socketDir,
    async close() {
      await server.stop();
      await db.close();
      fs.rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
