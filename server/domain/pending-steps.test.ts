import { Fragment, Slice, type Node as ProseMirrorNode } from "prosemirror-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { schema } from "../../schema/prosemirror";
import { eventually } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { rangeOf } from "../../test/text-ranges";

import { applyAmendment, placeAmendment } from "./amendment-anchors";
import { findAmendment, tableAmendment, type Amendment } from "./amendments";
import { loadTextSnapshot } from "./annotation-anchors";
import { createDraft, type Draft } from "./drafts";
import { applyMotionResult } from "./motion-effects";
import { castBallot, closeMotion, findMotion, putMotion } from "./motions";
import { findOpenAdoptionStep, recordStep } from "./pending-steps";
import { applyDueTransitions, createRound } from "./rounds";
import { retryDueSteps } from "./step-runner";
import type { User } from "./users";
import { listVersions } from "./versions";
import { editText } from "./live-texts";

// Work that must finish, when the process stops half-way: the state a stop leaves behind is
// written as the first step's transaction commits it, and the scheduler's pass finishes it, once.

let server: TestServer;
let secretariat: User;

beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 100 });
  secretariat = await buildUser({ role: "secretariat" });
});
afterAll(async () => {
  await server.stop();
});

async function draftWithAmendment(): Promise<{ draft: Draft; amendment: Amendment }> {
  const draft = await createDraft({
    actor: secretariat,
    title: "Interrupted draft",
    content: documentJson("Interrupted draft", ["Preamble text."], [section("Assessment", clause("States shall assess the serious risk."))]),
  });
  await tableAmendment(server.live, { actor: await buildUser({ delegation: "ca" }), draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "serious"), proposed: "grave", rationale: "Clearer." });
  const amendment = await findAmendment({ draftId: draft.id, number: 1 });
  if (!amendment) throw new Error("the amendment was not tabled");
  return { draft, amendment };
}

// What adoptAmendment's first transaction commits: the amendment claimed, its adoption a pending step.
async function claimAsAStoppedAdoptionDid(amendment: Amendment): Promise<void> {
  await server.database.sql.begin(async (tx) => {
    await tx`UPDATE amendments SET status = 'adopted', decided_by = ${secretariat.id}, decided_at = now() WHERE id = ${amendment.id}`;
    await recordStep(tx, { kind: "amendment-adoption", draftId: amendment.draftId, amendmentId: amendment.id, details: { actorId: secretariat.id, confirmChanged: false } });
  });
}

// The edit the adoption makes, stored under its key, as a process that stopped right after it did.
async function storeTheAdoptionEdit(amendment: Amendment): Promise<void> {
  await editText(server.live.texts, {
    draftId: amendment.draftId,
    author: { userId: amendment.authorId, delegationCode: amendment.delegationCode },
    key: `amendment-adopted:${amendment.id}`,
    change: (current: ProseMirrorNode, live) => {
      const place = placeAmendment(live, amendment.kind, amendment.anchor);
      if (!place) throw new Error("the amendment's place is gone");
      return applyAmendment(current, place, amendment.proposed);
    },
  });
}

/** The scheduler's next pass, with every pending step due now (as after the grace and back-off). */
async function schedulerPass(): Promise<void> {
  await server.database.sql`UPDATE pending_steps SET next_attempt_at = now() WHERE done_at IS NULL`;
  await retryDueSteps(server.live);
}

async function liveText(draftId: string): Promise<string> {
  const text = await loadTextSnapshot(draftId);
  text.destroy();
  return text.node.textContent;
}

async function audited(action: string, targetId: string): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_events WHERE action = ${action} AND target_id = ${targetId}`;
  return row?.n ?? 0;
}

describe("an adoption the process stopped in the middle of", () => {
  it("is finished when it stopped before the edit: the text changes once and the adoption is recorded once", async () => {
    const { draft, amendment } = await draftWithAmendment();
    await claimAsAStoppedAdoptionDid(amendment);
    expect(await liveText(draft.id)).toContain("assess the serious risk.");

    await schedulerPass();
    expect(await liveText(draft.id)).toContain("assess the grave risk.");
    expect(await audited("amendment.adopted", amendment.id)).toBe(1);
    expect(await findOpenAdoptionStep(amendment.id)).toBeNull();
    // Another pass finds nothing left to do.
    await schedulerPass();
    expect(await audited("amendment.adopted", amendment.id)).toBe(1);
  });

  it("is recorded without a second edit when it stopped after the edit was stored", async () => {
    const { draft, amendment } = await draftWithAmendment();
    await claimAsAStoppedAdoptionDid(amendment);
    await storeTheAdoptionEdit(amendment);
    const text = await liveText(draft.id);
    expect(text).toContain("assess the grave risk.");

    await schedulerPass();
    // Applied a second time, the change would find "grave" where "serious" was tabled and refuse.
    expect(await liveText(draft.id)).toBe(text);
    expect((await findAmendment({ draftId: draft.id, number: 1 }))?.status).toBe("adopted");
    expect(await audited("amendment.adopted", amendment.id)).toBe(1);
    expect(await findOpenAdoptionStep(amendment.id)).toBeNull();
  });

  it("opens the amendment again when its text changed before it could be finished", async () => {
    const { draft, amendment } = await draftWithAmendment();
    await claimAsAStoppedAdoptionDid(amendment);
    // Someone rewrote the tabled words meanwhile (the claim keeps the amendment, not the text).
    await editText(server.live.texts, {
      draftId: draft.id,
      author: { userId: secretariat.id, delegationCode: null },
      change: (current) => {
        let at = -1;
        current.descendants((node, pos) => {
          const index = node.isText ? (node.text ?? "").indexOf("serious") : -1;
          if (index !== -1 && at === -1) at = pos + index;
        });
        return current.replace(at, at + "serious".length, new Slice(Fragment.from(schema.text("significant")), 0, 0));
      },
    });
    await schedulerPass();
    expect((await findAmendment({ draftId: draft.id, number: 1 }))?.status).toBe("open");
    expect(await audited("amendment.adopted", amendment.id)).toBe(0);
    expect(await findOpenAdoptionStep(amendment.id)).toBeNull();
  });

  it("under a motion: the motion's result, the adoption and the adopted version are each made once", async () => {
    const { draft, amendment } = await draftWithAmendment();
    const motion = await putMotion(server.live, { actor: secretariat, draftId: draft.id, subject: { kind: "amendment", number: 1 }, rule: "majority", quorum: 1, deadline: new Date(Date.now() + 3_600_000) });
    await castBallot(server.live, { actor: await buildUser({ role: "head", delegation: "fr" }), motion, choice: "yes", explanation: "" });
    // The motion closed and its attempt claimed the amendment; the process stopped there.
    await claimAsAStoppedAdoptionDid(amendment);
    await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat });
    expect(await findMotion({ draftId: draft.id, number: motion.number })).toMatchObject({ application: "applied" });
    // Run the effect again, as a retry after a stop between the version and the record would.
    const closed = await findMotion({ draftId: draft.id, number: motion.number });
    if (!closed) throw new Error("no motion");
    expect(await applyMotionResult(server.live, closed)).toMatchObject({ application: "applied" });
    expect(await applyMotionResult(server.live, closed)).toMatchObject({ application: "applied" });
    expect((await listVersions(draft.id)).filter((version) => version.kind === "adopted")).toHaveLength(1);
    expect((await liveText(draft.id)).match(/grave/g)).toHaveLength(1);
    expect(await audited("amendment.adopted", amendment.id)).toBe(1);
  });
});

describe("the version a change of phase keeps", () => {
  it("is saved by a later pass when saving it failed, once", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Phase draft", content: documentJson("Phase draft", ["Preamble."], [section("Scope", clause("Text."))]) });
    // The database refuses this draft's versions for a while.
    await server.database.sql.unsafe(`
      CREATE OR REPLACE FUNCTION test_refuse_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.draft_id = '${draft.id}' THEN RAISE EXCEPTION 'test fault: versions of this draft are refused'; END IF;
        RETURN NEW;
      END $$;
      CREATE OR REPLACE TRIGGER test_refuse_version BEFORE INSERT ON versions FOR EACH ROW EXECUTE FUNCTION test_refuse_version();
    `);
    try {
      const startsAt = new Date(Date.now() - 60_000);
      await createRound(server.live, { actor: secretariat, draftId: draft.id, round: { name: "First review", phase: "review", startsAt, endsAt: null, instructions: "", observersComment: false }, now: new Date(startsAt.getTime() - 1000) });
      await applyDueTransitions(server.live, { draftId: draft.id });
      // The scheduler may have made the change first: its attempt at the version is awaited.
      await eventually(async () => {
        const [attempted] = await server.database.sql`SELECT 1 FROM pending_steps WHERE kind = 'phase-version' AND draft_id = ${draft.id} AND last_error_key IS NOT NULL`;
        return attempted !== undefined;
      }, 5000, "the version's first attempt");
      const [step] = await server.database.sql<{ last_error_key: string; last_error_params: { detail: string }; done_at: Date | null; details: { name: unknown } }[]>`
        SELECT last_error_key, last_error_params, done_at, details FROM pending_steps WHERE kind = 'phase-version' AND draft_id = ${draft.id}`;
      const name = { key: "versionName.phaseStarted", params: { phase: "review", round: "First review" } };
      expect(step).toMatchObject({ done_at: null, details: { name }, last_error_key: "error.unexpected" });
      // An unexpected error keeps its own text, as the detail of the reason.
      expect(step?.last_error_params.detail).toContain("versions of this draft are refused");
      expect(await listVersions(draft.id)).toHaveLength(0);
    } finally {
      await server.database.sql.unsafe(`DROP TRIGGER IF EXISTS test_refuse_version ON versions`);
    }
    await schedulerPass();
    await schedulerPass();
    const versions = await listVersions(draft.id);
    expect(versions.map((version) => [version.kind, version.name])).toEqual([["phase", { key: "versionName.phaseStarted", params: { phase: "review", round: "First review" } }]]);
  });
});
