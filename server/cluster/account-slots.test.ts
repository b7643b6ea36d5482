import { describe, expect, it } from "vitest";
import { redisServerBinary } from "../../test/redis-server";
import { suiteRedisScripts } from "../../test/redis-scripts";
import { SharedAccountSlots, type SlotScripts } from "./account-slots";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(redisServerBinary())("an account's places counted across instances in Redis", () => {
  const { scripts } = suiteRedisScripts();

  it("gives out at most the limit between two instances, and a released place again", async () => {
    const [a, b] = [new SharedAccountSlots(scripts, "t1"), new SharedAccountSlots(scripts, "t1")];
    const first = await a.take("user", 2);
    expect(first).not.toBeNull();
    expect(await b.take("user", 2)).not.toBeNull();
    expect(await a.take("user", 2)).toBeNull();
    expect(await b.take("user", 2)).toBeNull();
    // Another account has places of its own.
    expect(await b.take("someone else", 2)).not.toBeNull();
    first?.release();
    first?.release();
    await pause(50);
    expect(await b.take("user", 2)).not.toBeNull();
    expect(await a.take("user", 2)).toBeNull();
    a.close();
    b.close();
  });

  it("keeps the places an instance refreshes, and frees those of an instance that stopped, after their time", async () => {
    const [alive, dying] = [new SharedAccountSlots(scripts, "t2", 300), new SharedAccountSlots(scripts, "t2", 300)];
    expect(await alive.take("user", 2)).not.toBeNull();
    expect(await dying.take("user", 2)).not.toBeNull();
    dying.close();
    await pause(600);
    // The living instance's place is still held: one is free, the dead instance's.
    const other = new SharedAccountSlots(scripts, "t2", 300);
    expect(await other.take("user", 2)).not.toBeNull();
    expect(await other.take("user", 2)).toBeNull();
    alive.close();
    other.close();
  });

  it("counts this instance's own places when Redis cannot answer", async () => {
    const broken: SlotScripts = { run: () => Promise.reject(new Error("connection refused")) };
    const slots = new SharedAccountSlots(broken, "t3");
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      const held = await slots.take("user", 1);
      expect(held).not.toBeNull();
      expect(await slots.take("user", 1)).toBeNull();
      held?.release();
      expect(await slots.take("user", 1)).not.toBeNull();
    } finally {
      console.warn = warn;
      slots.close();
    }
  });
});
