import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentJson, paragraph, section, type DocJson } from "../../schema/content";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { can } from "../auth/policy";
import type { Database } from "../db/connection";
import { createDraft, findDraftById, type Draft } from "./drafts";
import { publishVersion } from "./publications";
import { createRound, currentRound, RoundInputError } from "./rounds";
import {
  answerSubmission,
  byClause,
  clauseNumbersOf,
  FEEDBACK_RATE,
  FeedbackRateLimitError,
  listDispositions,
  listSubmissions,
  moderateSubmission,
  sendFeedback,
  SubmissionInputError,
  type FeedbackInput,
} from "./submissions";
import { saveVersion, type Version } from "./versions";
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

const clause = (text: string, id: string): DocJson => ({ type: "clause", attrs: { id }, content: [paragraph(text)] });

const feedback = (overrides: Partial<FeedbackInput> = {}): FeedbackInput => ({
  clauseId: "c-risk",
  name: "Ada Lovelace",
  organisation: "University of Somewhere",
  sector: "academia",
  email: "ada@example.org",
  comment: "Say which risks.",
  publishName: false,
  ...overrides,
});

/** A draft with a published version 1, and a consultation round on it opened now. */
async function consultation(): Promise<{ draft: Draft; version: Version; roundId: string; secretariat: Awaited<ReturnType<typeof buildUser>> }> {
  const secretariat = await buildUser({ role: "secretariat" });
  const created = await createDraft({
    actor: secretariat,
    title: "Consulted",
    content: documentJson("Consulted", [], [section("Scope", clause("States assess the risk.", "c-risk"), clause("States report.", "c-report"))]),
  });
  const version = await saveVersion(live, { actor: secretariat, draftId: created.id, name: "For consultation", kind: "manual" });
  await publishVersion(live, { actor: secretariat, draftId: created.id, versionNumber: 1, publicTitle: "Consulted", summary: "", statusLabel: "Consultation draft", attribution: "anonymous" });
  const round = await createRound(live, {
    actor: secretariat,
    draftId: created.id,
    round: { name: "Public consultation", phase: "consultation", startsAt: new Date(), endsAt: new Date(Date.now() + 86_400_000), instructions: "", observersComment: false, versionId: version.id },
  });
  const draft = await findDraftById(created.id);
  if (!draft) throw new Error("no draft");
  return { draft, version, roundId: round.id, secretariat };
}

describe("public consultation", () => {
  it("opens only a published version of the draft to feedback", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Unpublished" });
    const saved = await saveVersion(live, { actor: secretariat, draftId: draft.id, name: "Not public", kind: "manual" });
    const round = { name: "Consultation", phase: "consultation" as const, startsAt: new Date(Date.now() + 3_600_000), endsAt: null, instructions: "", observersComment: false };
    for (const versionId of [null, saved.id, "not-an-id"]) {
      await expect(createRound(live, { actor: secretariat, draftId: draft.id, round: { ...round, versionId } })).rejects.toBeInstanceOf(RoundInputError);
    }
    const [row] = await database.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM rounds WHERE draft_id = ${draft.id}`;
    expect(row?.count).toBe(0);
  });

  it("lets anyone send feedback only while the draft is in consultation, on the round's version", async () => {
    const { draft, version } = await consultation();
    const round = await currentRound(draft.id);
    const resource = (versionId: string, stage = draft.stage) => ({ type: "version" as const, draftId: draft.id, versionId, stage, consultationVersionId: round?.versionId ?? null });
    expect(can(null, "submission.create", resource(version.id))).toBe(true);
    expect(can(null, "submission.create", resource("another-version"))).toBe(false);
    expect(can(null, "submission.create", resource(version.id, { phase: "review", observersComment: false }))).toBe(false);
    expect(can(null, "submission.create", resource(version.id, { phase: null, observersComment: false }))).toBe(false);
    // Other consultation actions need an account.
    expect(can(null, "submission.moderate", { type: "draft", id: draft.id })).toBe(false);
    expect(can(null, "disposition.view", { type: "draft", id: draft.id })).toBe(false);
  });

  it("stores feedback on a clause of the version or on the whole text, and refuses a clause that is not in it", async () => {
    const { draft, version, roundId } = await consultation();
    const sent = await sendFeedback({ draftId: draft.id, roundId, version, feedback: feedback(), senderAddress: "a1" });
    expect(sent.status).toBe("pending");
    await sendFeedback({ draftId: draft.id, roundId, version, feedback: feedback({ clauseId: null, sector: "industry" }), senderAddress: "a1" });
    await expect(sendFeedback({ draftId: draft.id, roundId, version, feedback: feedback({ clauseId: "c-none" }), senderAddress: "a1" })).rejects.toBeInstanceOf(
      SubmissionInputError,
    );
    expect((await listSubmissions(draft.id)).map((submission) => submission.clauseId).sort()).toEqual(["c-risk", null].sort());
    expect(await listSubmissions(draft.id, { sector: "industry" })).toHaveLength(1);
    const [audit] = await database.sql<{ details: Record<string, unknown> }[]>`
      SELECT details FROM audit_events WHERE action = 'submission.received' AND target_id = ${sent.id}`;
    // The trail says what came in, never who sent it.
    expect(JSON.stringify(audit?.details)).not.toContain("ada@example.org");
    expect(JSON.stringify(audit?.details)).not.toContain("Ada");
  });

  it(`accepts at most ${FEEDBACK_RATE.count} submissions per address in ${FEEDBACK_RATE.windowSeconds / 60} minutes, then says when to try again`, async () => {
    const { draft, version, roundId } = await consultation();
    const start = new Date();
    for (let index = 0; index < FEEDBACK_RATE.count; index += 1) {
      await sendFeedback({ draftId: draft.id, roundId, version, feedback: feedback(), senderAddress: "busy", now: new Date(start.getTime() + index * 1000) });
    }
    const refused = sendFeedback({ draftId: draft.id, roundId, version, feedback: feedback(), senderAddress: "busy", now: new Date(start.getTime() + 10_000) });
    await expect(refused).rejects.toBeInstanceOf(FeedbackRateLimitError);
    const error = await refused.catch((caught: unknown) => caught);
    expect(error instanceof FeedbackRateLimitError && error.retryAfterSeconds).toBe(FEEDBACK_RATE.windowSeconds - 10);
    // Another address is not held back, and the first is free again once the window has passed.
    await sendFeedback({ draftId: draft.id, roundId, version, feedback: feedback(), senderAddress: "other", now: new Date(start.getTime() + 10_000) });
    await sendFeedback({ draftId: draft.id, roundId, version, feedback: feedback(), senderAddress: "busy", now: new Date(start.getTime() + (FEEDBACK_RATE.windowSeconds + 1) * 1000) });
    expect(await listSubmissions(draft.id)).toHaveLength(FEEDBACK_RATE.count + 2);
  });

  it("is moderated and answered by the secretariat; the disposition table holds accepted submissions, without e-mails, by clause", async () => {
    const { draft, version, roundId, secretariat } = await consultation();
    const send = (overrides: Partial<FeedbackInput>) => sendFeedback({ draftId: draft.id, roundId, version, feedback: feedback(overrides), senderAddress: "m" });
    const onReport = await send({ clauseId: "c-report", comment: "Report yearly." });
    const onRisk = await send({ clauseId: "c-risk" });
    const junk = await send({ comment: "Buy now" });
    await moderateSubmission(live, { actor: secretariat, draftId: draft.id, submissionId: onReport.id, decision: "accepted" });
    await moderateSubmission(live, { actor: secretariat, draftId: draft.id, submissionId: onRisk.id, decision: "accepted" });
    await moderateSubmission(live, { actor: secretariat, draftId: draft.id, submissionId: junk.id, decision: "spam" });
    await expect(answerSubmission(live, { actor: secretariat, draftId: draft.id, submissionId: junk.id, disposition: "accepted", reason: "" })).rejects.toBeInstanceOf(
      SubmissionInputError,
    );
    await answerSubmission(live, { actor: secretariat, draftId: draft.id, submissionId: onReport.id, disposition: "partly", reason: "Every two years." });

    const table = byClause(await listDispositions(draft.id), clauseNumbersOf(version.content));
    expect(table.map((row) => [row.clauseId, row.disposition, row.dispositionReason])).toEqual([
      ["c-risk", null, ""],
      ["c-report", "partly", "Every two years."],
    ]);
    expect(JSON.stringify(table)).not.toContain("ada@example.org");
    // Pending comes first in moderation; un-accepting a submission withdraws its answer.
    await send({ comment: "Late" });
    expect((await listSubmissions(draft.id))[0]?.status).toBe("pending");
    await moderateSubmission(live, { actor: secretariat, draftId: draft.id, submissionId: onReport.id, decision: "rejected" });
    expect((await listDispositions(draft.id)).map((row) => row.id)).toEqual([onRisk.id]);
    const audits = await database.sql<{ action: string }[]>`
      SELECT action FROM audit_events WHERE details->>'draftId' = ${draft.id} AND action LIKE 'submission.%' AND action <> 'submission.received' ORDER BY id`;
    expect(audits.map((row) => row.action)).toEqual(["submission.moderated", "submission.moderated", "submission.moderated", "submission.answered", "submission.moderated"]);
  });
});
