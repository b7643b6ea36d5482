import { randomBytes } from "node:crypto";
import { setFactorSecret } from "../../server/auth/factor-key";
import { enrolApp } from "../../test/second-factor";
import path from "node:path";
import postgres from "postgres";
import { adminUrl } from "../../test/database-names";
import { createSession } from "../../server/auth/session";
import { openDatabase, type Database, type DatabaseKind } from "../../server/db/connection";
import { migrate } from "../../server/db/migrate";
import { setDatabase } from "../../server/db/registry";
import { createUser, type User } from "../../server/domain/users";
import { atCleanup } from "./cleanup";

/** A database of the benchmark's own: what a child server needs to use it, and how to open it here. */
export interface BenchDatabase {
  kind: DatabaseKind;
  /** DATABASE_URL (a server) or DATA_DIR (embedded) for a child server. */
  env: { DATABASE_URL?: string; DATA_DIR: string };
  open(): Promise<Database>;
}

/**
 * A fresh, empty database, removed at clean-up: a new database on the server named by
 * DATABASE_URL, or else an embedded one in a folder under `root`. A second opener of an embedded
 * database while a server owns it goes through that server's socket (see server/db/embedded.ts).
 */
export async function createBenchDatabase(root: string): Promise<BenchDatabase> {
  const dataDir = path.join(root, "data");
  const url = process.env.DATABASE_URL;
  if (!url) return { kind: "embedded", env: { DATA_DIR: dataDir }, open: () => openDatabase({ databaseUrl: null, dataDir }) };
  const name = `accord_bench_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl(url), { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  atCleanup(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  const databaseUrl = parsed.toString();
  return { kind: "postgres", env: { DATABASE_URL: databaseUrl, DATA_DIR: dataDir }, open: () => openDatabase({ databaseUrl, dataDir }) };
}

/** Opens and migrates the database as this process's database for `work`, then closes it. */
export async function withDatabase<T>(database: BenchDatabase, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await database.open();
  try {
    await migrate(db.sql);
    setDatabase(db);
    return await work(db);
  } finally {
    setDatabase(undefined);
    await db.close();
  }
}

const DELEGATIONS = ["us", "au", "ca", "dk", "fr", "nl", "no", "uk"] as const;

/** A delegate and a session cookie token for them. */
export interface BenchPerson {
  user: User;
  cookie: string;
}

/** Creates `count` delegates spread over the eight delegations, each signed in once. */
export async function createDelegates(count: number, prefix: string): Promise<BenchPerson[]> {
  const people: BenchPerson[] = [];
  // Password hashing (argon2) dominates; a few at a time keep both cores busy.
  for (let start = 0; start < count; start += 4) {
    const batch = Array.from({ length: Math.min(4, count - start) }, (_, offset) => start + offset);
    people.push(
      ...(await Promise.all(
        batch.map(async (index) => {
          const delegation = DELEGATIONS[index % DELEGATIONS.length] ?? "fr";
          const user = await createUser({
            email: `${prefix}-${index + 1}@example.org`,
            displayName: `Bench delegate ${index + 1} (${delegation.toUpperCase()})`,
            role: "delegate",
            delegationCode: delegation,
            password: randomBytes(12).toString("hex"),
          });
          return { user, cookie: (await createSession(user.id)).token };
        }),
      )),
    );
  }
  return people;
}

/**
 * Creates the secretariat account that creates the benchmark's drafts. It has an authenticator
 * app, as the default policy requires of the secretariat (its key sealed under a throwaway secret:
 * the benchmark signs it in directly and never types a code).
 */
export async function createSecretariat(): Promise<User> {
  const user = await createUser({
    email: "bench-secretariat@example.org",
    displayName: "Bench secretariat",
    role: "secretariat",
    delegationCode: null,
    password: randomBytes(12).toString("hex"),
  });
  setFactorSecret(randomBytes(32).toString("hex"));
  await enrolApp(user);
  return user;
}
