import type { Database, Sql } from "./connection";

// The one database the process opened. The web app's server bundle imports this module rather
// than holding a copy (vite.config.ts), so the server entry and every route see the same one.
let current: Database | undefined;

/** Makes `database` the one the process's modules use. */
export function setDatabase(database: Database | undefined): void {
  current = database;
}

/** Whether `db` is the process's database now. */
export function isCurrentDatabase(db: Database): boolean {
  return current === db;
}

/** The process's open database; throws when none was opened. */
export function database(): Database {
  if (!current) throw new Error("No database is open: call setDatabase() at start-up.");
  return current;
}

/** The SQL client of the process's open database. */
export function sql(): Sql {
  return database().sql;
}
