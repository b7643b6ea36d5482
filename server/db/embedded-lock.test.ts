import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";

// The embedded database's folder has one owner. A lock left by a crash must not block the next
// start, even when its pid now belongs to another live process (pids are reused; in a container
// every start is pid 1); a live owner is still respected.
const dirs: string[] = [];
const opened: EmbeddedPostgres[] = [];
let bystander: ChildProcess | undefined;

afterAll(async () => {
  for (const database of opened.reverse()) await database.close();
  bystander?.kill();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

describe("the embedded database's lock", () => {
  it("is taken over when its owner crashed, though a live process has the pid it names", async () => {
    const dataDir = tempDir("accord-lock-");
    // What a crash leaves: a lock naming a socket nobody answers on, and a pid that is alive.
    bystander = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    const deadSocketDir = tempDir("accord-pg-dead-");
    fs.writeFileSync(path.join(dataDir, "accord.lock"), JSON.stringify({ pid: bystander.pid, socketDir: deadSocketDir }));

    const started = Date.now();
    const database = await startEmbeddedPostgres(dataDir);
    opened.push(database);
    expect(database.shared).toBe(false);
    expect(Date.now() - started).toBeLessThan(30_000);
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, "accord.lock"), "utf8")) as { pid: number; socketDir: string };
    expect(lock).toEqual({ pid: process.pid, socketDir: database.socketDir });

    // A live owner is respected: a second opener connects to it instead of opening the folder.
    const second = await startEmbeddedPostgres(dataDir);
    expect(second).toMatchObject({ shared: true, socketDir: database.socketDir });
  }, 60_000);
});
