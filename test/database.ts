import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type Database } from "../server/db/connection";
import { setDatabase } from "../server/db/registry";
import { adminUrl } from "./database-names";


/**
 * Opens a clean, migrated database for one test file and makes it the process's database:
 * a copy of the template database on the server, or a copy of the embedded template folder.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  let db: Database;
  if (url) {
    const name = `accord_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = postgres(adminUrl(url), { max: 1, onnotice: () => undefined });
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject("templateDatabase")}`);
    const parsed = new URL(url);
    parsed.pathname = `/${name}`;
    const opened = await openDatabase({ databaseUrl: parsed.toString(), dataDir: "" });
    db = {
      ...opened,
      async close() {
        await opened.close();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-test-db-"));
    fs.cpSync(inject("embeddedTemplateDir"), dir, { recursive: true });
    const opened = await openDatabase({ databaseUrl: null, dataDir: dir });
    db = {
      ...opened,
      async close() {
        await opened.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  setDatabase(db);
  return db;
}

/**
 * A clean database for a child process: the environment that points Accord at it (a fresh copy
 * of the template on the server, or an empty embedded data directory) and how to remove it.
 */
export async function childDatabase(): Promise<{ env: { DATABASE_URL?: string; DATA_DIR: string }; open(): Promise<Database>; cleanup(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-child-db-"));
  if (!url) {
    return {
      env: { DATA_DIR: dataDir },
      open: () => openDatabase({ databaseUrl: null, dataDir }),
      cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `accord_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl(url), { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject("templateDatabase")}`);
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  const databaseUrl = parsed.toString();
  return {
    env: { DATABASE_URL: databaseUrl, DATA_DIR: dataDir },
    open: () => openDatabase({ databaseUrl, dataDir }),
    cleanup: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
