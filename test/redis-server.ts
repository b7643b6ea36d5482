import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { acceptsConnections } from "./child-server";

/** A Redis server of the test's own (no disk), which the test may kill and start again on the same port. */
export interface TestRedis {
  url: string;
  port: number;
  /** Kills it with SIGKILL and resolves once it is gone and its port refuses connections. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/** Stops a test Redis for good (the same as killing it). */
export function stopTestRedis(redis: TestRedis): Promise<void> {
  return redis.kill();
}

/** The redis-server binary, or null when this machine has none. */
export function redisServerBinary(): string | null {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

export async function startTestRedis(port: number): Promise<TestRedis> {
  const binary = redisServerBinary();
  if (!binary) throw new Error("redis-server is not installed");
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await until(() => acceptsConnections(port), "Redis to accept connections");
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
      await until(async () => !(await acceptsConnections(port)), "Redis's port to be free");
    },
    restart: launch,
  };
}


async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
