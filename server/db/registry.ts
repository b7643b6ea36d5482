import type { Database, Sql } from "./connection";

// The server entry and the Remix bundle each load their own copy of this module;
// a key on globalThis lets both see the one database the process opened.
const KEY = Symbol.for("accord.database");
type Holder = { [KEY]?: Database };

/** Makes `database` the one the process's modules use. */
export function setDatabase(database: Database | undefined): void {
  (globalThis as Holder)[KEY] = database;
}

/** Whether `db` is the process's database now. */
export function isCurrentDatabase(db: Database): boolean {
  return (globalThis as Holder)[KEY] === db;
}

/** The process's open database; throws when none was opened. */
export function database(): Database {
  const db = (globalThis as Holder)[KEY];
  if (!db) throw new Error("No database is open: call setDatabase() at start-up.");
  return db;
}

/** The SQL client of the process's open database. */
export function sql(): Sql {
  return database().sql;
}
