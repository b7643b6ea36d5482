import { execFileSync } from "node:child_process";
import os from "node:os";

/** Where and on what a benchmark ran, written beside every figure. */
export interface Machine {
  date: string;
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** The commit measured, and whether server/, schema/ or package files had uncommitted changes. */
  commit: string;
  uncommitted: string[];
  /** The 1-minute load average when the part started: above the core count, others were busy too. */
  loadAverage: number;
  /** The 1-minute load average when the part ended, this benchmark included. */
  loadAverageAfter?: number;
}

/** Describes this machine and the code under measurement. */
export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    commit: git(["rev-parse", "--short", "HEAD"]) || "unknown",
    uncommitted: git(["status", "--porcelain", "--", "server", "schema", "package.json", "package-lock.json"])
      .split("\n")
      .map((line) => line.slice(3))
      .filter(Boolean),
    loadAverage: Math.round((os.loadavg()[0] ?? Number.NaN) * 100) / 100,
  };
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trimEnd();
  } catch {
    return "";
  }
}
