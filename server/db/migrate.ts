import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Queryable, Sql } from "./connection";

/** The folder of numbered SQL migrations. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../schema/migrations");

/** One numbered migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** A migration history that this code must not run against; the message names the cause. */
export class MigrationError extends Error {}

/** Reads `NNNN-name.sql` files in version order. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .map((file) => {
      const match = /^(\d{4})-([a-z0-9-]+)\.sql$/.exec(file);
      if (!match) throw new MigrationError(`Migration file "${file}" is not named NNNN-name.sql.`);
      const sql = fs.readFileSync(path.join(dir, file), "utf8");
      return { version: Number(match[1]), name: file, sql, checksum: sha256(sql) };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationError(`Migration ${migration.name} is out of sequence: expected number ${index + 1}.`);
    }
  });
  return migrations;
}

/**
 * Applies the migrations not yet applied, each in its own transaction, and records their checksums.
 * Refuses an edited landed migration and a database written by a newer schema. Several processes
 * may start at once on one database: each step holds a Postgres advisory lock, and a migration is
 * applied only if it is still missing once the lock is held, so each runs once.
 */
export async function migrate(sql: Sql, migrations: Migration[] = readMigrations()): Promise<string[]> {
  // Two concurrent `CREATE TABLE IF NOT EXISTS` can both try to create it: the lock orders them.
  await locked(
    sql,
    (tx) => tx`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
  );
  const applied = await sql<{ version: number; name: string; checksum: string }[]>`
    SELECT version, name, checksum FROM schema_migrations ORDER BY version`;
  const known = new Map(migrations.map((migration) => [migration.version, migration]));
  for (const row of applied) {
    const migration = known.get(row.version);
    if (!migration) {
      throw new MigrationError(
        `The database has migration ${row.name}, which this version of Accord does not know: ` +
          "it was written by a newer version. Run that version, or point DATABASE_URL/DATA_DIR elsewhere.",
      );
    }
    if (migration.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${migration.name} was edited after it was applied. ` +
          "Landed migrations must never change: restore the file and add a new migration instead.",
      );
    }
  }
  const done = new Set(applied.map((row) => row.version));
  const ran: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    const didRun = await locked(sql, async (tx) => {
      // Another process may have applied it while this one waited for the lock.
      const [already] = await tx`SELECT 1 FROM schema_migrations WHERE version = ${migration.version}`;
      if (already) return false;
      await tx.unsafe(migration.sql);
      await tx`
        INSERT INTO schema_migrations (version, name, checksum)
        VALUES (${migration.version}, ${migration.name}, ${migration.checksum})`;
      return true;
    });
    if (didRun) ran.push(migration.name);
  }
  return ran;
}

// One transaction holding the migrations' advisory lock, released when it ends (even by a crash).
async function locked<T>(sql: Sql, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('accord:migrations'))`;
    return work(tx);
  }) as Promise<T>;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
