import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { adminUrl } from "../../test/database-names";
import { openDatabase, type Database } from "./connection";
import { migrate, readMigrations } from "./migrate";

// Two processes starting at once on a fresh database each migrate it: every migration must run once.
// On a Postgres server they are two connection pools (as two processes would be); the embedded
// database has one owner, so there the two runs share its one connection.
async function freshDatabases(): Promise<{ first: Database; second: Database; cleanup(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-mig-concurrent-"));
    const db = await openDatabase({ databaseUrl: null, dataDir: dir });
    return {
      first: db,
      second: db,
      cleanup: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `accord_mig_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl(url), { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  const first = await openDatabase({ databaseUrl: parsed.toString(), dataDir: "" });
  const second = await openDatabase({ databaseUrl: parsed.toString(), dataDir: "" });
  return {
    first,
    second,
    cleanup: async () => {
      await first.close();
      await second.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

describe("migrations run at once by two processes", () => {
  it("apply every migration exactly once, and both succeed", async () => {
    const { first, second, cleanup } = await freshDatabases();
    try {
      const [a, b] = await Promise.all([migrate(first.sql), migrate(second.sql)]);
      const names = readMigrations().map((migration) => migration.name);
      expect([...a, ...b].sort()).toEqual([...names].sort());
      const rows = await first.sql<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`;
      expect(rows.map((row) => row.version)).toEqual(readMigrations().map((migration) => migration.version));
      const [delegations] = await first.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM delegations`;
      expect(delegations?.n).toBe(8);
    } finally {
      await cleanup();
    }
  });
});
