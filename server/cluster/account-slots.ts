import { randomUUID } from "node:crypto";
import { LocalAccountSlots, type AccountSlot, type AccountSlots } from "../account-slots";
import { guarded } from "../failures";

/** How long a place stays taken after its instance last said it still holds it. */
export const SLOT_TTL_MS = 30_000;

/** What the slots need of Redis: a script run on one key. */
export interface SlotScripts {
  run(script: string, key: string, args: (string | number)[]): Promise<unknown>;
}

// Takes a place when fewer than the limit are held: places past their expiry (an instance that
// died holds nothing after SLOT_TTL_MS) are dropped first. Redis's own clock decides.
const TAKE = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

// Says again that the places named are held (those already gone stay gone).
const REFRESH = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', ms + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

const RELEASE = `redis.call('ZREM', KEYS[1], ARGV[1]) return 1`;

/**
 * An account's places counted once for every instance of a deployment, in a sorted set per account
 * in Redis: each place is named by its instance and expires unless its instance refreshes it, so
 * the places of an instance that died are free again within SLOT_TTL_MS. When Redis cannot answer,
 * this instance counts its own places (the limit then holds per instance, as without Redis).
 */
export class SharedAccountSlots implements AccountSlots {
  private readonly held = new Map<string, Set<string>>();
  private readonly local = new LocalAccountSlots();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: SlotScripts,
    private readonly prefix: string,
    private readonly ttlMs: number = SLOT_TTL_MS,
  ) {
    this.timer = setInterval(guarded("refreshing the accounts' places in Redis", () => this.refresh()), ttlMs / 3);
    this.timer.unref();
  }

  async take(userId: string, limit: number): Promise<AccountSlot | null> {
    const key = this.key(userId);
    const member = randomUUID();
    let taken: unknown;
    try {
      taken = await this.redis.run(TAKE, key, [limit, this.ttlMs, member]);
    } catch (error) {
      console.warn(`Redis could not count an account's places; counting this instance's: ${error instanceof Error ? error.message : String(error)}`);
      return this.local.takeNow(userId, limit);
    }
    if (Number(taken) !== 1) return null;
    const members = this.held.get(key) ?? new Set<string>();
    members.add(member);
    this.held.set(key, members);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        members.delete(member);
        if (members.size === 0) this.held.delete(key);
        this.redis.run(RELEASE, key, [member]).catch(() => undefined);
      },
    };
  }

  /** Stops refreshing: this instance's places expire unless released first. */
  close(): void {
    clearInterval(this.timer);
  }

  private key(userId: string): string {
    return `${this.prefix}:${userId}`;
  }

  private async refresh(): Promise<void> {
    await Promise.all([...this.held].map(([key, members]) => this.redis.run(REFRESH, key, [this.ttlMs, ...members]).catch(() => undefined)));
  }
}
