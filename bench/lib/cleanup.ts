import type { ChildProcess } from "node:child_process";
import fs from "node:fs";

// What a benchmark started and must stop, even when it fails or is interrupted.
const tasks: (() => Promise<void>)[] = [];
const children = new Set<ChildProcess>();
const folders = new Set<string>();

/** Runs `task` at clean-up (last registered, first run). */
export function atCleanup(task: () => Promise<void>): void {
  tasks.push(task);
}

/** Kills a child process at clean-up if it is still running. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** Removes a folder at clean-up. */
export function trackFolder(folder: string): void {
  folders.add(folder);
}

/** Stops every child, runs the clean-up tasks and removes the folders. */
export async function cleanup(): Promise<void> {
  for (const child of children) child.kill("SIGKILL");
  for (const task of tasks.splice(0).reverse()) {
    await task().catch((error: unknown) => console.warn("clean-up step failed:", error));
  }
  removeFolders();
}

function removeFolders(): void {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  folders.clear();
}

/**
 * Makes the process clean up on Ctrl-C, on SIGTERM and after `limitMs`; on any exit the children
 * are killed and the folders removed (synchronously, all that `exit` allows).
 */
export function cleanUpOnExit(limitMs: number): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping and cleaning up…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  const watchdog = setTimeout(() => {
    console.error(`The benchmark ran longer than ${Math.round(limitMs / 60_000)} minutes: stopping.`);
    void cleanup().finally(() => process.exit(1));
  }, limitMs);
  watchdog.unref();
  process.once("exit", () => {
    for (const child of children) child.kill("SIGKILL");
    removeFolders();
  });
}
