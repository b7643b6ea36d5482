import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/database";
import type { Database } from "./connection";
import { migrate, MigrationError, readMigrations } from "./migrate";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe("migrations", () => {
  it("seeds the eight delegations", async () => {
    const rows = await db.sql<{ code: string }[]>`SELECT code FROM delegations ORDER BY position`;
    expect(rows.map((row) => row.code)).toEqual(["us", "au", "ca", "dk", "fr", "nl", "no", "uk"]);
  });

  it("applies nothing twice", async () => {
    expect(await migrate(db.sql)).toEqual([]);
  });

  it("refuses a landed migration that was edited, naming it", async () => {
    const edited = readMigrations().map((migration) =>
      migration.version === 1 ? { ...migration, checksum: "edited" } : migration,
    );
    await expect(migrate(db.sql, edited)).rejects.toThrow(/0001-foundation\.sql was edited/);
  });

  it("refuses a database written by a newer schema", async () => {
    await db.sql`INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999-future.sql', 'x')`;
    await expect(migrate(db.sql)).rejects.toThrow(MigrationError);
    await expect(migrate(db.sql)).rejects.toThrow(/9999-future\.sql.*newer version/);
    await db.sql`DELETE FROM schema_migrations WHERE version = 9999`;
  });

  it("rolls back a failing migration whole", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-mig-"));
    for (const migration of readMigrations()) fs.writeFileSync(path.join(dir, migration.name), migration.sql);
    const next = String(readMigrations().length + 1).padStart(4, "0");
    fs.writeFileSync(path.join(dir, `${next}-broken.sql`), "CREATE TABLE half_done (id int); SELECT broken syntax here;");
    await expect(migrate(db.sql, readMigrations(dir))).rejects.toThrow();
    const [row] = await db.sql<{ exists: boolean }[]>`SELECT to_regclass('half_done') IS NOT NULL AS exists`;
    expect(row?.exists).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the audit trail append-only", async () => {
    await db.sql`INSERT INTO audit_events (action) VALUES ('test.event')`;
    await expect(db.sql`UPDATE audit_events SET action = 'changed'`).rejects.toThrow(/append-only/);
    await expect(db.sql`DELETE FROM audit_events`).rejects.toThrow(/append-only/);
  });
});
