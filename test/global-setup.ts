import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../server/db/connection";
import { migrate } from "../server/db/migrate";
import { adminUrl, templateDatabaseName } from "./database-names";

declare module "vitest" {
  export interface ProvidedContext {
    embeddedTemplateDir: string;
    templateDatabase: string;
  }
}

/**
 * Prepares one migrated template per test run: a template database on the Postgres server
 * named by DATABASE_URL, or else an embedded data directory that each test file copies.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const templateDatabase = templateDatabaseName(process.pid);
    const admin = postgres(adminUrl(url), { max: 1, onnotice: () => undefined });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${templateDatabase}`);
    const template = postgres(withDatabase(url, templateDatabase), { max: 1, onnotice: () => undefined });
    await migrate(template);
    await template.end();
    project.provide("embeddedTemplateDir", "");
    project.provide("templateDatabase", templateDatabase);
    return async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-test-template-"));
  const db = await openDatabase({ databaseUrl: null, dataDir: dir });
  await migrate(db.sql);
  await db.close();
  project.provide("embeddedTemplateDir", dir);
  project.provide("templateDatabase", "");
  return async () => fs.rmSync(dir, { recursive: true, force: true });
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
