import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase, type Database } from "../server/db/connection";
import { adminUrl } from "./database-names";

/**
 * A database with nothing in it, not even the migrations, for tests of the migrations themselves:
 * a new database on the Postgres server when `DATABASE_URL` is set (opened `pools` times, as that
 * many processes would), else a data folder of the embedded Postgres (whose one owner every
 * "pool" shares). `cleanup` closes and removes it.
 */
export async function emptyDatabase(pools = 1): Promise<{ pools: Database[]; cleanup(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-empty-"));
    const db = await openDatabase({ databaseUrl: null, dataDir: dir });
    return {
      pools: Array.from({ length: pools }, () => db),
      cleanup: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `accord_empty_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl(url), { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  const opened: Database[] = [];
  for (let i = 0; i < pools; i += 1) opened.push(await openDatabase({ databaseUrl: parsed.toString(), dataDir: "" }));
  return {
    pools: opened,
    cleanup: async () => {
      for (const db of opened) await db.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
