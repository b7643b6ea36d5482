import postgres from "postgres";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";

export type Sql = postgres.Sql;
/** A client or a transaction: what a function that may run inside a transaction takes. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- postgres.js types its default client with `{}`.
export type Queryable = postgres.ISql<{}>;
export type DatabaseKind = "embedded" | "postgres";

/** An open database: the SQL client, which kind it is, and how to close it. */
export interface Database {
  sql: Sql;
  kind: DatabaseKind;
  /**
   * Opens a client of one connection of its own to the same database, for what must hold a session
   * apart from the pool (the scheduler's lease); null for the embedded database, which has one.
   */
  openSession(): Sql | null;
  close(): Promise<void>;
}

/** The database could not be reached or opened; the message says what to check. */
export class DatabaseUnavailableError extends Error {}

const quiet = { onnotice: () => undefined };

/**
 * Opens the Postgres server at `databaseUrl`, or else the embedded one in `dataDir`.
 * Checks the connection before returning.
 */
export async function openDatabase(options: { databaseUrl: string | null; dataDir: string }): Promise<Database> {
  if (options.databaseUrl) {
    const sql = postgres(options.databaseUrl, { ...quiet, max: 10, connect_timeout: 5 });
    await ping(sql, `Cannot reach the Postgres server named by DATABASE_URL (${redact(options.databaseUrl)})`);
    const url = options.databaseUrl;
    return { sql, kind: "postgres", openSession: () => postgres(url, { ...quiet, max: 1, connect_timeout: 5 }), close: () => sql.end({ timeout: 5 }) };
  }
  let embedded: EmbeddedPostgres;
  try {
    embedded = await startEmbeddedPostgres(options.dataDir);
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Cannot open the embedded database in DATA_DIR (${options.dataDir}): ${describe(error)}`,
    );
  }
  // One connection: PGlite runs one backend, so more connections would only queue behind it.
  const sql = postgres({ ...quiet, host: embedded.socketDir, port: 5432, database: "postgres", username: "postgres", max: 1 });
  await ping(sql, `Cannot open the embedded database in DATA_DIR (${options.dataDir})`);
  return {
    sql,
    kind: "embedded",
    openSession: () => null,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.close();
    },
  };
}

async function ping(sql: Sql, message: string): Promise<void> {
  try {
    await sql`SELECT 1`;
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => undefined);
    throw new DatabaseUnavailableError(`${message}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Hides the password in a connection string before it is printed. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
