import { randomUUID } from "node:crypto";
import { LocalRefusalLedger, type RefusalLedger } from "../refusal-ledger";
import type { SlotScripts } from "./account-slots";

// Adds ARGV[2..] as refusals at Redis's time and drops those past the window (ARGV[1] ms).
const RECORD = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], ms, ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms - tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

// Counts the refusals in the window (ARGV[1] ms) at Redis's time.
const COUNT = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms - tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])`;

/**
 * An account's refused updates counted once for every instance of a deployment, in a sorted set
 * per account in Redis that forgets each refusal when it leaves the window: a writer kept out of
 * one instance is kept out of all. When Redis cannot answer, this instance counts what it saw.
 */
export class SharedRefusalLedger implements RefusalLedger {
  // What this instance saw itself: never less than it knows, whatever Redis says or fails to.
  private readonly local = new LocalRefusalLedger();

  constructor(
    private readonly redis: SlotScripts,
    private readonly prefix: string,
  ) {}

  async record(userId: string, count: number, windowMs: number): Promise<void> {
    if (count <= 0) return;
    this.local.recordNow(userId, count, windowMs);
    const members = Array.from({ length: count }, () => randomUUID());
    try {
      await this.redis.run(RECORD, this.key(userId), [windowMs, ...members]);
    } catch (error) {
      warn("record", error);
    }
  }

  async recent(userId: string, windowMs: number): Promise<number> {
    const own = this.local.recentNow(userId, windowMs);
    try {
      return Math.max(own, Number(await this.redis.run(COUNT, this.key(userId), [windowMs])));
    } catch (error) {
      warn("count", error);
      return own;
    }
  }

  private key(userId: string): string {
    return `${this.prefix}:${userId}`;
  }
}

function warn(what: string, error: unknown): void {
  console.warn(`Redis could not ${what} an account's refused updates; counting this instance's: ${error instanceof Error ? error.message : String(error)}`);
}
