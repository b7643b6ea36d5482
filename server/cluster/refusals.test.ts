import { describe, expect, it } from "vitest";
import { redisServerBinary } from "../../test/redis-server";
import { suiteRedisScripts } from "../../test/redis-scripts";
import type { SlotScripts } from "./account-slots";
import { SharedRefusalLedger } from "./refusals";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(redisServerBinary())("an account's refused updates counted across instances in Redis", () => {
  const { scripts, client } = suiteRedisScripts();

  it("adds up what every instance records, per account, and forgets each refusal when it leaves the window", async () => {
    const [a, b] = [new SharedRefusalLedger(scripts, "r1"), new SharedRefusalLedger(scripts, "r1")];
    await a.record("user", 2, 400);
    await b.record("user", 1, 400);
    await b.record("someone else", 0, 400);
    expect(await a.recent("user", 400)).toBe(3);
    expect(await b.recent("user", 400)).toBe(3);
    expect(await b.recent("someone else", 400)).toBe(0);
    await pause(250);
    await a.record("user", 1, 400);
    await pause(250);
    // The first three have left the window; the last is still in it.
    expect(await b.recent("user", 400)).toBe(1);
    // A deployment with another prefix counts on its own.
    expect(await new SharedRefusalLedger(scripts, "r2").recent("user", 400)).toBe(0);
    // Redis forgets the account once its window is empty.
    await pause(450);
    expect(await client().exists("r1:user")).toBe(0);
  });

  it("counts this instance's own refusals when Redis cannot answer", async () => {
    const broken: SlotScripts = { run: () => Promise.reject(new Error("connection refused")) };
    const ledger = new SharedRefusalLedger(broken, "r3");
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (message: string) => warnings.push(message);
    try {
      await ledger.record("user", 2, 60_000);
      expect(await ledger.recent("user", 60_000)).toBe(2);
      expect(warnings.join("\n")).toContain("connection refused");
    } finally {
      console.warn = warn;
    }
  });
});
