import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AccountEventBus, type AccountEvent } from "./account-events";
import { KEEP_ALIVE_MS, StreamRegistry, type OpenStream } from "./stream-registry";

const DAY = 24 * 60 * 60 * 1000;

// No database is open in this file: the registry must do all its work without one.

interface TestStream extends OpenStream {
  pings: number;
  ended: boolean;
}

const unregisters: (() => void)[] = [];
const accounts = new AccountEventBus();
const registry = new StreamRegistry(accounts);

/** Registers a stream that counts its pings and, when ended, leaves the registry as the route's does. */
function stream(sessionId: string, viewerId: string, expiresInMs = 30 * DAY): TestStream {
  const opened: TestStream = {
    sessionId,
    sessionExpiresAt: new Date(Date.now() + expiresInMs),
    viewer: { id: viewerId, role: "delegate", delegationCode: "fr" },
    pings: 0,
    ended: false,
    ping: () => (opened.pings += 1),
    end: () => {
      opened.ended = true;
      unregister();
    },
  };
  const registered = registry.register(opened);
  if (!registered) throw new Error("refused");
  const unregister = registered;
  unregisters.push(unregister);
  return opened;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const unregister of unregisters.splice(0)) unregister();
  vi.useRealTimers();
});

describe("the event stream registry", () => {
  it.each<[string, AccountEvent, string[]]>([
    ["an account disabled or changing role ends all its streams", { type: "account-changed", userId: "ann" }, ["ann-1", "ann-2"]],
    ["a session signed out ends its streams alone", { type: "session-ended", sessionId: "ann-2" }, ["ann-2"]],
    ["an account's sessions ended end all its streams", { type: "sessions-ended", userId: "ann" }, ["ann-1", "ann-2"]],
    ["an account's other sessions ended spare the one kept", { type: "sessions-ended", userId: "ann", exceptSessionId: "ann-1" }, ["ann-2"]],
  ])("%s, at once, and another account's none", (_name, event, endedSessions) => {
    const streams = [stream("ann-1", "ann"), stream("ann-2", "ann"), stream("bob-1", "bob")];
    accounts.publish(event);
    expect(streams.filter((open) => open.ended).map((open) => open.sessionId)).toEqual(endedSessions);
    expect(registry.count()).toBe(3 - endedSessions.length);
  });

  it("keeps open streams alive with a comment every KEEP_ALIVE_MS without a database, and holds no timer once they are closed", () => {
    const before = vi.getTimerCount();
    const streams = [stream("ann-1", "ann"), stream("bob-1", "bob")];
    vi.advanceTimersByTime(60_000);
    expect(streams.map((open) => [open.pings, open.ended])).toEqual([
      [Math.floor(60_000 / KEEP_ALIVE_MS), false],
      [Math.floor(60_000 / KEEP_ALIVE_MS), false],
    ]);
    for (const open of streams) open.end();
    // An idle server does no work for streams.
    expect(vi.getTimerCount()).toBe(before);
  });

  it("ends a stream when its session expires, even beyond the longest timeout (24.8 days), and only that one", () => {
    const timeouts = vi.spyOn(globalThis, "setTimeout");
    const [soon, late, kept] = [stream("ann-1", "ann", 1_000), stream("ann-2", "ann", 30 * DAY), stream("bob-1", "bob", 40 * DAY)];
    // A longer timeout would fire at once, and again, and again.
    expect(Math.max(...timeouts.mock.calls.map(([, delay]) => Number(delay)))).toBeLessThanOrEqual(2 ** 31 - 1);
    vi.advanceTimersByTime(999);
    expect(soon.ended).toBe(false);
    vi.advanceTimersByTime(1);
    expect(soon.ended).toBe(true);
    vi.advanceTimersByTime(30 * DAY - 1_000 - 1);
    expect(late.ended).toBe(false);
    vi.advanceTimersByTime(1);
    expect([late.ended, kept.ended]).toEqual([true, false]);
  });
});
