import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import type { SlotScripts } from "../server/cluster/account-slots";
import { freePort } from "./child-server";
import { startTestRedis, stopTestRedis, type TestRedis } from "./redis-server";

/**
 * A Redis of the suite's own for as long as the calling `describe` runs, and the scripts run on it
 * as an instance runs them; `client()` is the connection, for looking at the keys.
 */
export function suiteRedisScripts(): { scripts: SlotScripts; client: () => Redis } {
  let redis: TestRedis | undefined;
  let client: Redis | undefined;
  beforeAll(async () => {
    redis = await startTestRedis(await freePort());
    client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
  });
  afterAll(async () => {
    client?.disconnect();
    if (redis) await stopTestRedis(redis);
  });
  const connected = (): Redis => {
    if (!client) throw new Error("Redis is not started yet");
    return client;
  };
  return { scripts: { run: (script, key, args) => connected().eval(script, 1, key, ...args) }, client: connected };
}
