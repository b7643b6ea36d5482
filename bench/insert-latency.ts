// How long one small INSERT takes on an otherwise idle machine, from the statement to its result:
// the floor under "durable before relay". Uses the embedded database (on its own thread, as the
// server does) or, with DATABASE_URL, the Postgres server; one connection, a statement every 3 ms.
//
//   node --import tsx bench/insert-latency.ts [count]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../server/db/connection";
import { quantile, round, sleep } from "./lib/stats";

const count = Number(process.argv[2] ?? 1500);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-insert-latency-"));
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir });
const table = `insert_latency_${process.pid}`;
try {
  await database.sql.unsafe(`CREATE TABLE ${table} (n int, bytes bytea)`);
  const bytes = Buffer.alloc(30, 1);
  const times = new Float64Array(count);
  for (let n = 0; n < count; n += 1) {
    const start = performance.now();
    await database.sql.unsafe(`INSERT INTO ${table} VALUES ($1, $2)`, [n, bytes]);
    times[n] = performance.now() - start;
    await sleep(3);
  }
  times.sort();
  const at = (q: number) => round(quantile(times, q));
  console.log(
    `${database.kind} database, ${count} one-row INSERTs: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
  );
} finally {
  await database.sql.unsafe(`DROP TABLE IF EXISTS ${table}`);
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
