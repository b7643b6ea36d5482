import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { buildUser } from "../../test/factories";
import { openTestDatabase } from "../../test/database";
import type { Database } from "../db/connection";
import { createLive } from "../live";
import { listDraftClauses, setClauseStatus } from "./clause-status";
import { createDraft, findDraftById, type Draft } from "./drafts";
import { circulateRecord, draftSummaryRecord, finaliseRecord, gatherFacts } from "./meeting-summary";
import { closeMeeting, findMeeting, giveFloor, openMeeting, recordAttendance, requestFloor, takeUpClause, type Meeting } from "./meetings";
import { currentRound } from "./rounds";
import { loadStoredText, listVersions } from "./versions";
import type { User } from "./users";

const live = createLive();

let db: Database;
let chair: User;
let france: User;
let canada: User;
let observer: User;
let draft: Draft;
let clauseIds: string[];
let meeting: Meeting;

beforeAll(async () => {
  db = await openTestDatabase();
  chair = await buildUser({ role: "secretariat", displayName: "Ana Chair" });
  france = await buildUser({ role: "head", delegation: "fr", displayName: "Claire Martin" });
  canada = await buildUser({ role: "delegate", delegation: "ca", displayName: "Sam Tremblay" });
  observer = await buildUser({ role: "observer", displayName: "Olu Observer" });
  draft = await createDraft({
    actor: chair,
    title: "Record source",
    content: documentJson("Record source", ["Preamble."], [section("Scope", clause("Scope clause words."), clause("Second scope clause.")), section("Criteria", clause("Criteria clause."))]),
  });
  clauseIds = (await listDraftClauses(draft.id)).map((outline) => outline.id);
  // Before the session: a decision outside it is not in its record.
  await setClauseStatus(live, { actor: chair, draftId: draft.id, clauseId: clauseIds[2] ?? "", status: "reserved", reservingDelegations: ["no"] });
  meeting = await openMeeting(live, { actor: chair, draftId: draft.id, kind: "formal", speakingLimitS: null });
  await recordAttendance(meeting.id, france);
  await recordAttendance(meeting.id, canada);
  await recordAttendance(meeting.id, observer);
  meeting = await requestFloor(live, { actor: canada, meeting, kind: "floor" });
  meeting = await giveFloor(live, { actor: chair, meeting });
  meeting = await takeUpClause(live, { actor: chair, meeting, clauseId: clauseIds[1] ?? "" });
  meeting = await requestFloor(live, { actor: france, meeting, kind: "floor" });
  meeting = await requestFloor(live, { actor: canada, meeting, kind: "floor" });
  meeting = await giveFloor(live, { actor: chair, meeting });
  meeting = await giveFloor(live, { actor: chair, meeting });
  await setClauseStatus(live, { actor: chair, draftId: draft.id, clauseId: clauseIds[1] ?? "", status: "agreed-ad-referendum" });
  meeting = await takeUpClause(live, { actor: chair, meeting, clauseId: clauseIds[0] ?? "" });
  meeting = await requestFloor(live, { actor: france, meeting, kind: "reply" });
  meeting = await giveFloor(live, { actor: chair, meeting });
  meeting = await closeMeeting(live, { actor: chair, meeting });
});

afterAll(async () => {
  await db.close();
});

describe("a session's summary record", () => {
  it("gathers the facts in order: attendance, clauses as taken up, speakers on each, decisions while open, open items", async () => {
    const facts = await gatherFacts(meeting, "en");
    expect(facts.chair).toBe("Ana Chair");
    expect(facts.present).toEqual([
      { delegation: "Canada", people: ["Sam Tremblay"] },
      { delegation: "France", people: ["Claire Martin"] },
    ]);
    expect(facts.absent).toHaveLength(6);
    expect(facts.others).toEqual(["Olu Observer"]);
    expect(facts.generalSpeakers).toEqual([{ delegation: "Canada", kind: "floor" }]);
    expect(facts.clauses.map((entry) => entry.number)).toEqual(["1.2", "1.1"]);
    expect(facts.clauses[0]?.speakers).toEqual([
      { delegation: "France", kind: "floor" },
      { delegation: "Canada", kind: "floor" },
    ]);
    expect(facts.clauses[0]?.decisions).toEqual([{ kind: "clause-status", clause: "1.2", status: "agreed-ad-referendum", reservingDelegations: [] }]);
    expect(facts.clauses[1]?.speakers).toEqual([{ delegation: "France", kind: "reply" }]);
    expect(facts.clauses[1]?.decisions).toEqual([]);
    // The reservation was made before the session opened: not one of its decisions, but an open item.
    expect(facts.otherDecisions).toEqual([]);
    expect(facts.openItems).toEqual([
      { number: "1.1", status: "pending", openBrackets: 0 },
      { number: "2.1", status: "reserved", openBrackets: 0 },
    ]);
  });

  it("speaks the record's language: delegation names in French", async () => {
    const facts = await gatherFacts(meeting, "fr");
    expect(facts.present.map((entry) => entry.delegation)).toEqual(["Canada", "France"]);
    expect(facts.absent).toContain("Royaume-Uni");
  });

  it("drafts the record once as a draft of its own, then circulates it for corrections and finalises it as a version", async () => {
    const recordId = await draftSummaryRecord(live, { actor: chair, meeting });
    expect(await draftSummaryRecord(live, { actor: chair, meeting: (await findMeeting(draft.id, meeting.number)) ?? meeting })).toBe(recordId);
    const record = await findDraftById(recordId);
    expect(record?.title).toBe("Summary record of session 1 on “Record source”");
    const text = (await loadStoredText(recordId)).node.textContent;
    expect(text).toContain("Claire Martin");
    expect(text.indexOf("France, Canada")).toBeGreaterThan(-1);
    expect(text).toMatch(/agreed ad referendum/);
    meeting = (await findMeeting(draft.id, meeting.number)) ?? meeting;
    expect(meeting.recordState).toBe("drafted");

    await expect(finaliseRecord(live, { actor: chair, meeting })).rejects.toMatchObject({ key: "meetings.error.notCirculated" });
    const now = new Date();
    await expect(circulateRecord(live, { actor: chair, meeting, due: new Date(now.getTime() + 60_000), now })).rejects.toMatchObject({ key: "meetings.error.dueTooSoon" });
    await circulateRecord(live, { actor: chair, meeting, due: new Date(now.getTime() + 2 * 86_400_000), now });
    meeting = (await findMeeting(draft.id, meeting.number)) ?? meeting;
    expect(meeting.recordState).toBe("circulated");
    expect((await currentRound(recordId))?.phase).toBe("review");
    expect((await findDraftById(recordId))?.stage.phase).toBe("review");
    await expect(circulateRecord(live, { actor: chair, meeting, due: new Date(now.getTime() + 3 * 86_400_000), now })).rejects.toMatchObject({ key: "meetings.error.notDrafted" });

    const version = await finaliseRecord(live, { actor: chair, meeting });
    meeting = (await findMeeting(draft.id, meeting.number)) ?? meeting;
    expect(meeting).toMatchObject({ recordState: "final", recordVersion: version });
    expect(await currentRound(recordId)).toBeNull();
    expect((await findDraftById(recordId))?.stage.phase).toBe("closed");
    expect((await listVersions(recordId)).map((item) => item.number)).toContain(version);
    const [audit] = await db.sql<{ count: number }[]>`
      SELECT count(*)::int AS count FROM audit_events WHERE target_id = ${meeting.id} AND action IN ('meeting.record-drafted', 'meeting.record-circulated', 'meeting.record-finalised')`;
    expect(audit?.count).toBe(3);
  });
});
