import { describe, expect, it } from "vitest";
import { emptyDatabase } from "../../test/empty-database";
import type { Database } from "./connection";
import { migrate, readMigrations } from "./migrate";

// Two processes starting at once on a fresh database each migrate it: every migration must run once.
// On a Postgres server they are two connection pools (as two processes would be); the embedded
// database has one owner, so there the two runs share its one connection.
describe("migrations run at once by two processes", () => {
  it("apply every migration exactly once, and both succeed", async () => {
    const { pools, cleanup } = await emptyDatabase(2);
    const [first, second] = pools as [Database, Database];
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
