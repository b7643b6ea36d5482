import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import type { Database } from "../db/connection";
import { startRoundScheduler } from "../scheduler/round-scheduler";
import { createDraft, findDraftById, type Draft } from "./drafts";
import { listVersions } from "./versions";
import { advanceRound, applyDueTransitions, cancelRound, createRound, listRounds, RoundInputError, type RoundInput } from "./rounds";
import { createLive } from "../live";

// No server runs in this file: the domain's live services are this process's own, with no live texts.
const live = createLive();

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const HOUR = 3_600_000;
// Every test's times are hours ahead of the real clock, so nothing here is due in real time.
const base = new Date(Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR);
const at = (hours: number) => new Date(base.getTime() + hours * HOUR);

async function newDraft(): Promise<{ draft: Draft; secretariat: Awaited<ReturnType<typeof buildUser>> }> {
  const secretariat = await buildUser({ role: "secretariat" });
  const draft = await createDraft({ actor: secretariat, title: "Rounds" });
  return { draft, secretariat };
}

function round(overrides: Partial<RoundInput>): RoundInput {
  return { name: "Round", phase: "drafting", startsAt: at(1), endsAt: at(2), instructions: "", observersComment: false, ...overrides };
}

async function phaseOf(draftId: string) {
  return (await findDraftById(draftId))?.stage.phase;
}

async function auditActions(draftId: string): Promise<{ action: string; late: boolean }[]> {
  const rows = await database.sql<{ action: string; details: { late?: boolean } }[]>`
    SELECT action, details FROM audit_events WHERE details->>'draftId' = ${draftId} AND action IN ('round.opened', 'round.ended')
    ORDER BY id`;
  return rows.map((row) => ({ action: row.action, late: row.details.late ?? false }));
}

describe("rounds", () => {
  it("are refused with a clear reason when their name or times are wrong or they overlap another, writing nothing", async () => {
    const { draft, secretariat } = await newDraft();
    const now = at(0);
    const attempt = (input: Partial<RoundInput>) => createRound(live, { actor: secretariat, draftId: draft.id, round: round(input), now });
    await createRound(live, { actor: secretariat, draftId: draft.id, round: round({ name: "Drafting" }), now });
    const cases: [Partial<RoundInput>, string][] = [
      [{ name: "  " }, "name"],
      [{ name: "x".repeat(201) }, "name"],
      [{ startsAt: new Date("nonsense") }, "startsAt"],
      [{ startsAt: at(3), endsAt: at(3) }, "endsAt"],
      [{ startsAt: at(-3), endsAt: at(-1) }, "endsAt"],
      [{ startsAt: at(1.5), endsAt: at(4) }, "startsAt"],
      [{ startsAt: at(0.5), endsAt: at(1.5) }, "startsAt"],
      [{ startsAt: at(1), endsAt: null }, "startsAt"],
      [{ instructions: "x".repeat(5001) }, "instructions"],
    ];
    for (const [input, field] of cases) {
      const error = await attempt(input).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(input)).toBeInstanceOf(RoundInputError);
      expect((error as RoundInputError).field).toBe(field);
    }
    expect(await listRounds(draft.id)).toHaveLength(1);
    // Touching ends and starts is no overlap; an open-ended round lasts until the next one starts.
    await attempt({ name: "Review", phase: "review", startsAt: at(2), endsAt: at(3) });
    await attempt({ name: "Voting", phase: "voting", startsAt: at(3), endsAt: null });
    await attempt({ name: "Closed", phase: "closed", startsAt: at(5), endsAt: null });
    expect((await listRounds(draft.id)).map((listed) => listed.name)).toEqual(["Drafting", "Review", "Voting", "Closed"]);
  });

  it("change the draft's phase exactly at their start and end, each change audited", async () => {
    const { draft, secretariat } = await newDraft();
    const now = at(0);
    await createRound(live, { actor: secretariat, draftId: draft.id, round: round({ name: "Drafting", startsAt: at(1), endsAt: at(2) }), now });
    await createRound(live, { actor: secretariat, draftId: draft.id, round: round({ name: "Review", phase: "review", startsAt: at(2), endsAt: at(3) }), now });
    expect(await phaseOf(draft.id)).toBeNull();

    const justBefore = (hours: number) => new Date(at(hours).getTime() - 1);
    expect(await applyDueTransitions(live, { now: justBefore(1), draftId: draft.id })).toEqual([]);
    expect(await phaseOf(draft.id)).toBeNull();
    expect((await applyDueTransitions(live, { now: at(1), draftId: draft.id })).map((change) => [change.change, change.phase])).toEqual([["opened", "drafting"]]);
    expect(await phaseOf(draft.id)).toBe("drafting");
    expect(await applyDueTransitions(live, { now: justBefore(2), draftId: draft.id })).toEqual([]);
    expect((await applyDueTransitions(live, { now: at(2), draftId: draft.id })).map((change) => [change.change, change.phase])).toEqual([
      ["ended", "drafting"],
      ["opened", "review"],
    ]);
    expect(await phaseOf(draft.id)).toBe("review");
    // Made once: running again at the same moment changes nothing.
    expect(await applyDueTransitions(live, { now: at(2), draftId: draft.id })).toEqual([]);
    await applyDueTransitions(live, { now: at(3), draftId: draft.id });
    // After the last round the draft is closed: read-only.
    expect(await phaseOf(draft.id)).toBe("closed");
    expect(await auditActions(draft.id)).toEqual([
      { action: "round.opened", late: false },
      { action: "round.ended", late: false },
      { action: "round.opened", late: false },
      { action: "round.ended", late: false },
    ]);
    // Each change of phase kept the text as it stood then, as an automatic version (newest first).
    const versions = (await listVersions(draft.id)).reverse();
    // Their names are the server's, stored as messages: "Start of Drafting: Drafting" in English.
    expect(versions.map((version) => [version.kind, version.name, version.authorId])).toEqual([
      ["phase", { key: "versionName.phaseStarted", params: { phase: "drafting", round: "Drafting" } }, null],
      ["phase", { key: "versionName.phaseStarted", params: { phase: "review", round: "Review" } }, null],
      ["phase", { key: "versionName.roundsEnded", params: {} }, null],
    ]);
  });

  it("missed while the server was down happen at start-up, in order, recorded as late", async () => {
    const { draft, secretariat } = await newDraft();
    const now = at(0);
    await createRound(live, { actor: secretariat, draftId: draft.id, round: round({ name: "Drafting", startsAt: at(1), endsAt: at(2) }), now });
    await createRound(live, { actor: secretariat, draftId: draft.id, round: round({ name: "Review", phase: "review", startsAt: at(2), endsAt: at(3) }), now });
    await createRound(live, { actor: secretariat, draftId: draft.id, round: round({ name: "Voting", phase: "voting", startsAt: at(3), endsAt: at(9) }), now });
    // The server comes back at 4 h: a scheduler starting then catches up before it is ready.
    const scheduler = startRoundScheduler(live, { now: () => at(4) });
    await scheduler.ready;
    await scheduler.stop();
    expect(await phaseOf(draft.id)).toBe("voting");
    const rounds = await listRounds(draft.id);
    expect(rounds.map((listed) => [listed.name, Boolean(listed.openedAt), Boolean(listed.endedAt)])).toEqual([
      ["Drafting", true, true],
      ["Review", true, true],
      ["Voting", true, false],
    ]);
    expect(await auditActions(draft.id)).toEqual([
      { action: "round.opened", late: true },
      { action: "round.ended", late: true },
      { action: "round.opened", late: true },
      { action: "round.ended", late: true },
      { action: "round.opened", late: true },
    ]);
  });

  it("move on by hand: the current round ends now and the next opens now; with none left the draft closes", async () => {
    const { draft, secretariat } = await newDraft();
    const now = at(0);
    await createRound(live, { actor: secretariat, draftId: draft.id, round: round({ name: "Drafting", startsAt: at(0), endsAt: at(5) }), now });
    expect(await phaseOf(draft.id)).toBe("drafting");
    await createRound(live, { actor: secretariat, draftId: draft.id, round: round({ name: "Voting", phase: "voting", startsAt: at(6), endsAt: at(8) }), now });
    await advanceRound(live, { actor: secretariat, draftId: draft.id, now: at(1) });
    expect(await phaseOf(draft.id)).toBe("voting");
    const [drafting, voting] = await listRounds(draft.id);
    expect(drafting?.endedAt).toEqual(at(1));
    expect(voting?.startsAt).toEqual(at(1));
    expect(voting?.endsAt).toEqual(at(8));
    await advanceRound(live, { actor: secretariat, draftId: draft.id, now: at(2) });
    expect(await phaseOf(draft.id)).toBe("closed");
    await expect(advanceRound(live, { actor: secretariat, draftId: draft.id, now: at(3) })).rejects.toBeInstanceOf(RoundInputError);
  });

  it("can be cancelled before they start, not after", async () => {
    const { draft, secretariat } = await newDraft();
    const now = at(0);
    const started = await createRound(live, { actor: secretariat, draftId: draft.id, round: round({ name: "Now", startsAt: at(0), endsAt: at(1) }), now });
    const later = await createRound(live, { actor: secretariat, draftId: draft.id, round: round({ name: "Later", startsAt: at(2), endsAt: at(3) }), now });
    await cancelRound(live, { actor: secretariat, round: later });
    await expect(cancelRound(live, { actor: secretariat, round: started })).rejects.toBeInstanceOf(RoundInputError);
    expect((await listRounds(draft.id)).map((listed) => listed.name)).toEqual(["Now"]);
  });
});
