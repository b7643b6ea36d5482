import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../test/collab-client";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { openDatabase, type Database } from "../db/connection";
import { createDraft } from "../domain/drafts";
import { createRound, listRounds } from "../domain/rounds";
import { createLive } from "../live";
import { startLeasedScheduler, type LeasedScheduler } from "./lease";

// Two instances of a deployment share one database: exactly one runs the scheduler, and when its
// connection dies (a killed process) the other takes over within seconds.

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe.runIf(process.env.DATABASE_URL)("the scheduler's lease on the Postgres server", () => {
  let other: Database;
  const leases: LeasedScheduler[] = [];
  beforeAll(async () => {
    // A second instance: a pool of its own on the same database.
    const [row] = await database.sql<{ name: string }[]>`SELECT current_database() AS name`;
    const url = new URL(process.env.DATABASE_URL ?? "");
    url.pathname = `/${row?.name ?? ""}`;
    other = await openDatabase({ databaseUrl: url.toString(), dataDir: "" });
  });
  afterAll(async () => {
    for (const lease of leases) await lease.stop();
    await other.close();
  });

  it("runs in one instance at a time, and another takes over when the leader's connection dies", async () => {
    const first = startLeasedScheduler(createLive(), database, { checkMs: 200 });
    leases.push(first);
    await first.ready;
    const second = startLeasedScheduler(createLive(), other, { checkMs: 200 });
    leases.push(second);
    await second.ready;
    expect([first.leading(), second.leading()]).toEqual([true, false]);
    // Still one leader after several checks.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect([first.leading(), second.leading()]).toEqual([true, false]);

    // A round due now, left for whoever leads next.
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Failover" });
    const startsAt = new Date(Date.now() + 1500);
    await createRound(createLive(), { actor: secretariat, draftId: draft.id, round: { name: "Review", phase: "review", startsAt, endsAt: null, instructions: "", observersComment: false } });

    // The leader's process dies: Postgres ends its session, and with it the lock.
    const killed = await other.sql<{ pid: number }[]>`
      SELECT pg_terminate_backend(pid), pid FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
    expect(killed).toHaveLength(1);
    await eventually(() => second.leading(), 5000, "the second instance to take over");
    await eventually(() => !first.leading(), 5000, "the first instance to notice it lost the lease");
    // The new leader's scheduler makes the change when it comes due.
    await eventually(async () => (await listRounds(draft.id))[0]?.openedAt != null, 10_000, "the round to open");
    expect(first.leading()).toBe(false);
  });
});

describe.runIf(!process.env.DATABASE_URL)("the scheduler's lease on the embedded database", () => {
  it("always leads: the embedded database belongs to one process", async () => {
    const lease = startLeasedScheduler(createLive(), database, { checkMs: 200 });
    await lease.ready;
    expect(lease.leading()).toBe(true);
    await lease.stop();
  });
});
