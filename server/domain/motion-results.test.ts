import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { acceptAppends, refuseAppends } from "../../test/append-faults";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { TEST_SESSION_SECRET } from "../../test/server";
import { readConfig } from "../config";
import type { Database } from "../db/connection";
import { loadBuild, startAccord, type Accord } from "../start";
import { adoptAmendment, findAmendment, tableAmendment, type AmendmentView } from "./amendments";
import { loadTextSnapshot } from "./annotation-anchors";
import { createDraft, type Draft } from "./drafts";
import { castBallot, closeMotion, findMotion, putMotion, type Motion } from "./motions";
import { retryDueSteps } from "./step-runner";
import { listVersions } from "./versions";
import type { User } from "./users";
import { createLive } from "../live";

// Until the server starts, the live services of a process without a collaboration server (as a
// stopped server's leftovers are written); then the server's own.
let live = createLive();

// Work that must finish: a motion's result is applied and announced across a stop or a crash,
// once. The state a stopped or crashed server leaves is written first, then a server starts on it.

let database: Database;
let accord: Accord | undefined;
let secretariat: User;
let head: User;

beforeAll(async () => {
  database = await openTestDatabase();
  secretariat = await buildUser({ role: "secretariat" });
  head = await buildUser({ role: "head", delegation: "fr" });
});
afterAll(async () => {
  if (accord) await accord.stop();
  else await database.close();
});

async function newDraft(): Promise<Draft> {
  return createDraft({
    actor: secretariat,
    title: "Voted draft",
    content: documentJson("Voted draft", ["Preamble text."], [section("Assessment", clause("States shall assess the serious risk."))]),
  });
}

async function tableOn(draft: Draft): Promise<AmendmentView> {
  const text = await loadTextSnapshot(draft.id);
  let range = { from: 0, to: 0 };
  text.node.descendants((node, pos) => {
    const index = node.isText ? (node.text ?? "").indexOf("serious") : -1;
    if (index !== -1 && range.to === 0) range = { from: pos + index, to: pos + index + "serious".length };
  });
  text.destroy();
  return tableAmendment(live, { actor: await buildUser({ delegation: "uk" }), draftId: draft.id, kind: "replace", range, proposed: "grave", rationale: "Clearer." });
}

/** A draft with an amendment and a motion on it that France voted for. */
async function votedMotion(): Promise<{ draft: Draft; amendment: AmendmentView; motion: Motion }> {
  const draft = await newDraft();
  const amendment = await tableOn(draft);
  const motion = await putMotion(live, { actor: secretariat, draftId: draft.id, subject: { kind: "amendment", number: amendment.number }, rule: "majority", quorum: 1, deadline: new Date(Date.now() + 3_600_000) });
  await castBallot(live, { actor: head, motion, choice: "yes", explanation: "" });
  return { draft, amendment, motion };
}

async function liveText(draftId: string): Promise<string> {
  const text = await loadTextSnapshot(draftId);
  text.destroy();
  return text.node.textContent;
}

async function reload(motion: Motion): Promise<Motion | null> {
  return findMotion({ draftId: motion.draftId, number: motion.number });
}

/** How often the result was recorded and announced: audit rows, notifications, and people. */
async function effects(motion: Motion): Promise<{ applied: number; notices: number; recipients: number; users: number }> {
  const [audit] = await database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_events WHERE action = 'motion.applied' AND target_id = ${motion.id}`;
  const [notes] = await database.sql<{ n: number; people: number }[]>`
    SELECT count(*)::int AS n, count(DISTINCT recipient_id)::int AS people FROM notifications WHERE kind = 'motion-result' AND motion_id = ${motion.id}`;
  const [users] = await database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM users WHERE NOT disabled`;
  return { applied: audit?.n ?? 0, notices: notes?.n ?? 0, recipients: notes?.people ?? 0, users: users?.n ?? 0 };
}

describe("a motion's result across a stop or a crash", () => {
  it("is applied and announced once at start-up: an overdue motion, and a motion closed but never applied", async () => {
    // Overdue: the deadline passed while the server was down.
    const overdue = await votedMotion();
    await database.sql`UPDATE motions SET deadline = now() - interval '1 hour' WHERE id = ${overdue.motion.id}`;

    // Closed, then the process died before applying it: the state the closing transaction commits.
    // (No collaboration server runs yet, so applying fails here; the attempt is then forgotten.)
    const crashed = await votedMotion();
    await closeMotion(live, { motionId: crashed.motion.id, closedBy: "secretariat", actor: secretariat });
    expect(await reload(crashed.motion)).toMatchObject({ status: "closed", outcome: "adopted", application: "failed" });
    await database.sql`UPDATE motions SET application = NULL, application_note_key = NULL, application_note_params = NULL WHERE id = ${crashed.motion.id}`;
    await database.sql`
      UPDATE pending_steps SET attempts = 0, last_error_key = NULL, last_error_params = NULL, next_attempt_at = now() WHERE motion_id = ${crashed.motion.id}`;
    expect(await effects(crashed.motion)).toMatchObject({ applied: 0, notices: 0 });

    const config = { ...readConfig({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", SESSION_SECRET: TEST_SESSION_SECRET }), warnings: [] };
    accord = await startAccord({ config, remix: await loadBuild(), database, collabIdleMs: 100 });
    live = accord.live;

    for (const { draft, amendment, motion } of [overdue, crashed]) {
      expect(await reload(motion)).toMatchObject({ status: "closed", outcome: "adopted", application: "applied", applicationNote: null });
      expect(await liveText(draft.id)).toContain("assess the grave risk.");
      expect((await findAmendment({ draftId: draft.id, number: amendment.number }))?.status).toBe("adopted");
      expect((await listVersions(draft.id)).filter((version) => version.kind === "adopted")).toHaveLength(1);
      const done = await effects(motion);
      expect(done).toMatchObject({ applied: 1, notices: done.users, recipients: done.users });
    }
    const [pending] = await database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pending_steps WHERE done_at IS NULL`;
    expect(pending?.n).toBe(0);
  });

  it("does not edit the text again when the edit was stored but not recorded", async () => {
    if (!accord) throw new Error("the server did not start");
    // The edit is stored (the amendment adopted) and the process dies before the motion records it.
    const stored = await votedMotion();
    const amendment = await findAmendment({ draftId: stored.draft.id, number: stored.amendment.number });
    if (!amendment) throw new Error("no amendment");
    await adoptAmendment(live, { actor: secretariat, amendment });
    const text = await liveText(stored.draft.id);

    await closeMotion(live, { motionId: stored.motion.id, closedBy: "secretariat", actor: secretariat });
    expect(await reload(stored.motion)).toMatchObject({ application: "applied" });
    expect(await liveText(stored.draft.id)).toBe(text);
    expect(await effects(stored.motion)).toMatchObject({ applied: 1 });
  });

  it("keeps a step that fails pending with its reason, and retries it until done", async () => {
    if (!accord) throw new Error("the server did not start");
    const failing = await votedMotion();
    // The database refuses the draft's updates for a moment: the edit is not stored.
    await refuseAppends(database, failing.draft.id);
    try {
      await closeMotion(live, { motionId: failing.motion.id, closedBy: "secretariat", actor: secretariat });
    } finally {
      await acceptAppends(database, failing.draft.id);
    }
    const [step] = await database.sql<{ attempts: number; last_error_key: string; done_at: Date | null }[]>`
      SELECT attempts, last_error_key, done_at FROM pending_steps WHERE motion_id = ${failing.motion.id}`;
    // The reason is kept as a message, translated where the desk shows it.
    expect(step).toMatchObject({ attempts: 1, done_at: null, last_error_key: "motions.application.notStored" });
    expect(await liveText(failing.draft.id)).toContain("assess the serious risk.");
    expect(await effects(failing.motion)).toMatchObject({ applied: 0, notices: 0 });

    // The scheduler's next pass (woken here, as the desk's retry does) finishes it.
    await database.sql`UPDATE pending_steps SET next_attempt_at = now() WHERE motion_id = ${failing.motion.id}`;
    await retryDueSteps(live);
    expect(await reload(failing.motion)).toMatchObject({ application: "applied" });
    expect(await liveText(failing.draft.id)).toContain("assess the grave risk.");
    expect(await effects(failing.motion)).toMatchObject({ applied: 1 });
  });
});
