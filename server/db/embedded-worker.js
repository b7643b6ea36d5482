// The embedded database's own thread: PGlite (Postgres compiled to WebAssembly) runs every query
// synchronously on the thread that owns it, so it lives here rather than on the server's event
// loop, where each statement would hold up WebSocket relays and page renders. It serves the
// Postgres wire protocol on a Unix socket; the server reaches it with the same driver as a real
// Postgres. Plain JavaScript, so that it starts in any runtime without a TypeScript loader.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** @type {{ dataDir: string; socketPath: string }} */
const { dataDir, socketPath } = workerData;

try {
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 8 });
  await server.start();
  parentPort?.on("message", async (message) => {
    if (message !== "stop") return;
    await server.stop();
    await db.close();
    parentPort?.postMessage({ stopped: true });
  });
  parentPort?.postMessage({ ready: true });
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
