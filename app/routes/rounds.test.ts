import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { createDraft, findDraftById, type Draft } from "../../server/domain/drafts";
import { listRounds } from "../../server/domain/rounds";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";

let server: TestServer;
let secretariat: TestClient;
let owner: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  server = await startTestServer();
  owner = await buildUser({ role: "secretariat" });
  secretariat = server.client();
  await secretariat.signIn(owner.email);
});
afterAll(async () => {
  await server.stop();
});

async function newDraft(): Promise<Draft> {
  return createDraft({
    actor: owner,
    title: "Rounds page",
    content: documentJson("Rounds page", ["Preamble."], [section("Scope", clause("States should assess the risk."))]),
  });
}

async function signedIn(role: "head" | "delegate" | "observer", delegation: string | null = "nl") {
  const user = await buildUser({ role, delegation: role === "observer" ? null : delegation });
  const client = server.client();
  await client.signIn(user.email);
  return client;
}

function schedule(client: TestClient, draft: Draft, form: Record<string, string>) {
  return client.post(`/drafts/${draft.slug}/rounds`, { intent: "create", timeZone: "UTC", instructions: "", ...form });
}

async function roundsWritten(draft: Draft): Promise<[number, number]> {
  const [row] = await server.database.sql<{ rounds: number; audits: number }[]>`
    SELECT (SELECT count(*)::int FROM rounds WHERE draft_id = ${draft.id}) AS rounds,
           (SELECT count(*)::int FROM audit_events WHERE action = 'round.created' AND details->>'draftId' = ${draft.id}) AS audits`;
  return [row?.rounds ?? -1, row?.audits ?? -1];
}

const inHours = (hours: number, zone = "UTC") => {
  const moment = new Date(Date.now() + hours * 3_600_000);
  const local = new Intl.DateTimeFormat("sv-SE", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(moment)
    .replace(" ", "T");
  return local;
};

describe("the rounds of a draft", () => {
  it("are scheduled by the secretariat in its own time zone, stored in UTC, audited and listed to everyone", async () => {
    const draft = await newDraft();
    const startsAt = inHours(24, "Europe/Paris");
    const response = await schedule(secretariat, draft, {
      name: "Delegation review",
      phase: "review",
      startsAt,
      endsAt: inHours(48, "Europe/Paris"),
      timeZone: "Europe/Paris",
      instructions: "Annotate chapter 2.",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("The round “Delegation review” was scheduled.");
    const [round] = await listRounds(draft.id);
    expect(round?.phase).toBe("review");
    // The wall time typed in Paris, read back in Paris.
    const paris = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    expect(paris.format(round?.startsAt).replace(" ", "T")).toBe(startsAt);
    expect(await roundsWritten(draft)).toEqual([1, 1]);

    const delegate = await signedIn("delegate");
    const page = await (await delegate.get(`/drafts/${draft.slug}/rounds`)).text();
    expect(page).toContain("Delegation review");
    expect(page).not.toContain("Schedule the round");
  });

  it("refuse bad input with the field's message, writing nothing", async () => {
    const draft = await newDraft();
    await schedule(secretariat, draft, { name: "First", phase: "drafting", startsAt: inHours(1), endsAt: inHours(3) });
    const cases: [Record<string, string>, string][] = [
      [{ name: "", phase: "drafting" }, "This field is required"],
      [{ name: "X", phase: "party" }, ""],
      [{ name: "X", phase: "review", startsAt: "tomorrow" }, "Give a date and time."],
      [{ name: "X", phase: "review", startsAt: inHours(5), endsAt: inHours(4) }, "A round ends after it starts."],
      [{ name: "X", phase: "review", startsAt: inHours(5), timeZone: "Mars/Olympus" }, "That time zone is not known."],
      [{ name: "X", phase: "review", startsAt: inHours(2), endsAt: inHours(4) }, "would overlap “First”"],
    ];
    for (const [form, message] of cases) {
      const response = await schedule(secretariat, draft, form);
      expect(response.status, JSON.stringify(form)).toBe(400);
      if (message) expect(await response.text()).toContain(message);
    }
    expect(await roundsWritten(draft)).toEqual([1, 1]);
  });

  it("are run by the secretariat alone: 403 for others, 404 for an unknown round", async () => {
    const draft = await newDraft();
    for (const role of ["head", "delegate", "observer"] as const) {
      const client = await signedIn(role);
      expect((await schedule(client, draft, { name: "Mine", phase: "voting" })).status).toBe(403);
      expect((await client.post(`/drafts/${draft.slug}/rounds`, { intent: "advance" })).status).toBe(403);
    }
    expect(await roundsWritten(draft)).toEqual([0, 0]);
    const unknown = await secretariat.post(`/drafts/${draft.slug}/rounds`, { intent: "cancel", roundId: "6f1c1f5e-3b3f-4b8e-9d4e-8a0f2b7c9d11" });
    expect(unknown.status).toBe(404);
    expect((await secretariat.get(`/drafts/no-such-draft/rounds`)).status).toBe(404);
  });

  it("decide what the draft page and the annotation API allow, and move on by hand", async () => {
    const draft = await newDraft();
    const delegate = await signedIn("delegate", "dk");
    // A round starting now (no start given) opens at once.
    await schedule(secretariat, draft, { name: "Review", phase: "review", startsAt: "", endsAt: inHours(2), instructions: "Comment on scope." });
    expect((await findDraftById(draft.id))?.stage.phase).toBe("review");
    await schedule(secretariat, draft, { name: "Vote", phase: "voting", startsAt: inHours(3), endsAt: "" });

    const page = await (await delegate.get(`/drafts/${draft.slug}`)).text();
    expect(page).toContain("Phase: Delegation review");
    expect(page).toContain("Comment on scope.");
    expect(page).toContain("Editing is closed while the draft is in delegation review.");
    // Annotating is open during review.
    const body = { from: 3, to: 8, body: "A comment during review", visibility: "all" };
    const created = await delegate.fetch(`/drafts/${draft.slug}/threads`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(created.status).toBe(201);

    const advanced = await secretariat.post(`/drafts/${draft.slug}/rounds`, { intent: "advance" });
    expect(advanced.status).toBe(200);
    expect((await findDraftById(draft.id))?.stage.phase).toBe("voting");
    const refused = await delegate.fetch(`/drafts/${draft.slug}/threads`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(refused.status).toBe(403);
    expect((await (await delegate.get(`/drafts/${draft.slug}`)).text())).toContain("Phase: Voting");
    const audit = await server.database.sql<{ action: string }[]>`
      SELECT action FROM audit_events WHERE action LIKE 'round.%' AND (details->>'draftId' = ${draft.id} OR target_id = ${draft.id}) ORDER BY id`;
    expect(audit.map((row) => row.action)).toEqual(["round.created", "round.opened", "round.created", "round.advanced", "round.ended", "round.opened"]);
  });
});
