import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// The real entry points as the npm scripts run them: `node --import tsx <script>`.

const children: ChildProcess[] = [];
const SECRET = "process-test-session-secret-0123456789";

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function run(script: string, env: Partial<NodeJS.ProcessEnv>): { child: ChildProcess; output: () => string; exit: Promise<number> } {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  return { child, output: () => output, exit };
}

async function waitFor(output: () => string, pattern: RegExp, ms = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${pattern}; output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function signInAt(url: string): Promise<Response> {
  return fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "fr.delegate@example.org", password: "a demo password" }),
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "accord-proc-"));
}

describe("starting and stopping Accord", () => {
  it("names DATABASE_URL and exits 1, without a stack trace, when the database server is unreachable", async () => {
    const app = run("server/main.ts", { NODE_ENV: "production", SESSION_SECRET: SECRET, PORT: "0", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(await app.exit).toBe(1);
    expect(app.output()).toMatch(/Accord cannot start: Cannot reach the Postgres server named by DATABASE_URL/);
    expect(app.output()).not.toMatch(/\n\s+at /);
  });

  it("serves the embedded database, lets seed:demo run beside it, stops on SIGTERM, and keeps the data", async () => {
    const dataDir = tempDir();
    const env = { NODE_ENV: "production", SESSION_SECRET: SECRET, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir } as const;
    const first = run("server/main.ts", env);
    const [, url] = await waitFor(first.output, /serving (http:\/\/\S+) \(database: embedded\)/);
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", database: "embedded" });

    const seed = run("server/seed-demo.ts", { DATA_DIR: dataDir, DEMO_PASSWORD: "a demo password" });
    expect(await seed.exit).toBe(0);
    expect(seed.output()).toMatch(/Demo data ready \(embedded database\)/);
    // The seed wrote through the running server's database, so the accounts work at once.
    expect((await signInAt(url ?? "")).status).toBe(302);

    first.child.kill("SIGTERM");
    expect(await first.exit).toBe(0);
    expect(first.output()).toMatch(/SIGTERM received/);

    const second = run("server/main.ts", env);
    const [, again] = await waitFor(second.output, /serving (http:\/\/\S+) \(database: embedded\)/);
    expect((await signInAt(again ?? "")).status).toBe(302);
    second.child.kill("SIGTERM");
    expect(await second.exit).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);

  it("refuses an embedded data directory written by a newer schema, clearly", async () => {
    const dataDir = tempDir();
    const migrate = run("server/db/migrate-cli.ts", { DATA_DIR: dataDir });
    expect(await migrate.exit).toBe(0);
    expect(migrate.output()).toMatch(/Applied 0001-foundation\.sql/);
    const { openDatabase } = await import("../server/db/connection");
    const db = await openDatabase({ databaseUrl: null, dataDir });
    await db.sql`INSERT INTO schema_migrations (version, name, checksum) VALUES (999, '0999-from-the-future.sql', 'x')`;
    await db.close();
    const app = run("server/main.ts", { NODE_ENV: "production", SESSION_SECRET: SECRET, PORT: "0", DATA_DIR: dataDir });
    expect(await app.exit).toBe(1);
    expect(app.output()).toMatch(/Accord cannot start: The database has migration 0999-from-the-future\.sql.*newer version/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it.each([
    [{}, /SESSION_SECRET is not set, and NODE_ENV=production needs one/],
    [{ SESSION_SECRET: "accord-development-secret-do-not-use-in-production" }, /SESSION_SECRET is the development value/],
    [{ SESSION_SECRET: "short" }, /SESSION_SECRET is 5 characters long; NODE_ENV=production needs at least 32/],
  ])("refuses to start in production with SESSION_SECRET %j, exiting 1 with the reason", async (secret, message) => {
    const dataDir = tempDir();
    const app = run("server/main.ts", { NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, ...secret });
    expect(await app.exit).toBe(1);
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(app.output()).toMatch(message);
    expect(app.output()).toMatch(/Accord cannot start: .*openssl rand -hex 32/);
    expect(app.output()).not.toMatch(/Accord is serving/);
  });

  it("asks for DEMO_PASSWORD when seed:demo is run without it", async () => {
    const seed = run("server/seed-demo.ts", { DATA_DIR: tempDir() });
    expect(await seed.exit).toBe(1);
    expect(seed.output()).toMatch(/seed:demo needs DEMO_PASSWORD/);
  });
});
