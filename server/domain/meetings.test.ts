import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { buildUser } from "../../test/factories";
import { openTestDatabase } from "../../test/database";
import type { Database } from "../db/connection";
import type { DraftEvent } from "../events/draft-events";
import { createLive } from "../live";
import { listDraftClauses } from "./clause-status";
import { createDraft, type Draft } from "./drafts";
import {
  closeMeeting,
  endIntervention,
  findMeeting,
  giveFloor,
  listAttendance,
  listSpeakers,
  liveMeeting,
  MAX_REQUESTS_PER_DELEGATION,
  MeetingError,
  moveRequest,
  openMeeting,
  recordAttendance,
  requestFloor,
  resumeMeeting,
  setSpeakingLimit,
  suspendMeeting,
  takeUpClause,
  withdrawRequest,
  type Meeting,
} from "./meetings";
import type { User } from "./users";

// No server runs in this file: the domain's live services are this process's own, with no live texts.
const live = createLive();
const heard: DraftEvent[] = [];
live.drafts.subscribe({ deliver: (event) => heard.push(event), close: () => undefined });

let db: Database;
let chair: User;
let france: User;
let canada: User;
let norway: User;
let observer: User;
let draft: Draft;
let clauseIds: string[];

beforeAll(async () => {
  db = await openTestDatabase();
  chair = await buildUser({ role: "secretariat" });
  france = await buildUser({ role: "head", delegation: "fr" });
  canada = await buildUser({ role: "delegate", delegation: "ca" });
  norway = await buildUser({ role: "delegate", delegation: "no" });
  observer = await buildUser({ role: "observer" });
  draft = await createDraft({
    actor: chair,
    title: "Session domain",
    content: documentJson("Session domain", ["Preamble."], [section("Scope", clause("First clause."), clause("Second clause.")), section("Criteria", clause("Third clause."))]),
  });
  clauseIds = (await listDraftClauses(draft.id)).map((outline) => outline.id);
});

afterAll(async () => {
  await db.close();
});

const refresh = async (meeting: Meeting) => (await findMeeting(meeting.draftId, meeting.number)) ?? meeting;
const waiting = async (meeting: Meeting) => (await listSpeakers(meeting.id)).filter((request) => request.state === "waiting");

describe("a chaired session", () => {
  let meeting: Meeting;

  it("opens one at a time on a draft, numbered in the draft, with a valid limit only", async () => {
    await expect(openMeeting(live, { actor: chair, draftId: draft.id, kind: "formal", speakingLimitS: 5 })).rejects.toThrow(MeetingError);
    await expect(openMeeting(live, { actor: chair, draftId: draft.id, kind: "plenary" as "formal", speakingLimitS: null })).rejects.toThrow(MeetingError);
    meeting = await openMeeting(live, { actor: chair, draftId: draft.id, kind: "formal", speakingLimitS: 180 });
    expect(meeting).toMatchObject({ number: 1, state: "open", clauseId: null, speakingLimitS: 180, chairId: chair.id });
    await expect(openMeeting(live, { actor: chair, draftId: draft.id, kind: "informal", speakingLimitS: null })).rejects.toMatchObject({ key: "meetings.error.alreadyOpen" });
    expect((await liveMeeting(draft.id))?.id).toBe(meeting.id);
    expect(heard.at(-1)).toEqual({ type: "meeting", draftId: draft.id, number: 1, change: "opened" });
  });

  it("moves the pointer to clauses of the text only, and audits each move", async () => {
    await expect(takeUpClause(live, { actor: chair, meeting, clauseId: "c-not-there" })).rejects.toMatchObject({ key: "meetings.error.unknownClause" });
    meeting = await takeUpClause(live, { actor: chair, meeting, clauseId: clauseIds[0] ?? "" });
    expect(meeting.clauseId).toBe(clauseIds[0]);
    const [audit] = await db.sql<{ details: { clauseId: string } }[]>`
      SELECT details FROM audit_events WHERE action = 'meeting.clause-taken-up' AND target_id = ${meeting.id}`;
    expect(audit?.details.clauseId).toBe(clauseIds[0]);
    expect(heard.at(-1)?.type === "meeting" && heard.at(-1)).toMatchObject({ change: "pointer" });
  });

  it("keeps one waiting request of each kind per delegation, in the order asked", async () => {
    meeting = await requestFloor(live, { actor: france, meeting, kind: "floor" });
    meeting = await requestFloor(live, { actor: canada, meeting, kind: "floor" });
    await expect(requestFloor(live, { actor: france, meeting, kind: "floor" })).rejects.toMatchObject({ key: "meetings.error.alreadyAsked" });
    meeting = await requestFloor(live, { actor: norway, meeting, kind: "floor" });
    await expect(requestFloor(live, { actor: observer, meeting, kind: "floor" })).rejects.toMatchObject({ key: "meetings.error.noDelegation" });
    expect((await waiting(meeting)).map((request) => request.delegationCode)).toEqual(["fr", "ca", "no"]);
  });

  it("lets the chair reorder the list; moving the first up changes nothing", async () => {
    const [first, , third] = await waiting(meeting);
    meeting = await moveRequest(live, { actor: chair, meeting, requestId: third?.id ?? "", direction: "up" });
    expect((await waiting(meeting)).map((request) => request.delegationCode)).toEqual(["fr", "no", "ca"]);
    meeting = await moveRequest(live, { actor: chair, meeting, requestId: first?.id ?? "", direction: "up" });
    expect((await waiting(meeting)).map((request) => request.delegationCode)).toEqual(["fr", "no", "ca"]);
    await expect(moveRequest(live, { actor: chair, meeting, requestId: "99999999", direction: "down" })).rejects.toMatchObject({ key: "meetings.error.unknownRequest" });
    await expect(moveRequest(live, { actor: chair, meeting, requestId: "1 OR 1=1", direction: "down" })).rejects.toMatchObject({ key: "meetings.error.unknownRequest" });
  });

  it("gives the floor to the first waiting (or the one named), ending the speech under way, recorded on the clause the room is on", async () => {
    meeting = await giveFloor(live, { actor: chair, meeting });
    let speakers = await listSpeakers(meeting.id);
    expect(speakers[0]).toMatchObject({ delegationCode: "fr", state: "speaking", clauseId: clauseIds[0] });
    const canadian = speakers.find((request) => request.delegationCode === "ca");
    meeting = await giveFloor(live, { actor: chair, meeting, requestId: canadian?.id });
    speakers = await listSpeakers(meeting.id);
    expect(speakers.filter((request) => request.state === "speaking").map((request) => request.delegationCode)).toEqual(["ca"]);
    expect(speakers.find((request) => request.delegationCode === "fr")).toMatchObject({ state: "spoken" });
    await expect(giveFloor(live, { actor: chair, meeting, requestId: canadian?.id })).rejects.toMatchObject({ key: "meetings.error.notWaiting" });
  });

  it("lets a delegation withdraw a waiting request, and asks again afterwards; a right of reply stands beside a request", async () => {
    const norwegian = (await waiting(meeting)).find((request) => request.delegationCode === "no");
    meeting = await withdrawRequest(live, { actor: norway, meeting, requestId: norwegian?.id ?? "" });
    await expect(withdrawRequest(live, { actor: norway, meeting, requestId: norwegian?.id ?? "" })).rejects.toMatchObject({ key: "meetings.error.notWaiting" });
    meeting = await requestFloor(live, { actor: norway, meeting, kind: "floor" });
    meeting = await requestFloor(live, { actor: france, meeting, kind: "reply" });
    meeting = await requestFloor(live, { actor: france, meeting, kind: "floor" });
    expect((await waiting(meeting)).map((request) => `${request.delegationCode}:${request.kind}`)).toEqual(["no:floor", "fr:reply", "fr:floor"]);
  });

  it("suspends: the speech ends, no floor is given until it resumes; requests still come in", async () => {
    meeting = await suspendMeeting(live, { actor: chair, meeting });
    expect(meeting.state).toBe("suspended");
    expect((await listSpeakers(meeting.id)).some((request) => request.state === "speaking")).toBe(false);
    await expect(giveFloor(live, { actor: chair, meeting })).rejects.toMatchObject({ key: "meetings.error.notOpen" });
    await expect(takeUpClause(live, { actor: chair, meeting, clauseId: clauseIds[1] ?? "" })).rejects.toMatchObject({ key: "meetings.error.notOpen" });
    await expect(suspendMeeting(live, { actor: chair, meeting })).rejects.toMatchObject({ key: "meetings.error.notOpen" });
    meeting = await requestFloor(live, { actor: canada, meeting, kind: "floor" });
    meeting = await resumeMeeting(live, { actor: chair, meeting });
    await expect(resumeMeeting(live, { actor: chair, meeting })).rejects.toMatchObject({ key: "meetings.error.notSuspended" });
    expect(meeting.state).toBe("open");
  });

  it("ends an intervention only when one is under way, and sets or lifts the limit", async () => {
    await expect(endIntervention(live, { actor: chair, meeting })).rejects.toMatchObject({ key: "meetings.error.noSpeaker" });
    meeting = await giveFloor(live, { actor: chair, meeting });
    meeting = await endIntervention(live, { actor: chair, meeting });
    expect((await listSpeakers(meeting.id)).some((request) => request.state === "speaking")).toBe(false);
    meeting = await setSpeakingLimit(live, { actor: chair, meeting, seconds: null });
    expect(meeting.speakingLimitS).toBeNull();
    await expect(setSpeakingLimit(live, { actor: chair, meeting, seconds: 4000 })).rejects.toMatchObject({ key: "meetings.error.limit" });
    await expect(setSpeakingLimit(live, { actor: chair, meeting, seconds: 90.5 })).rejects.toMatchObject({ key: "meetings.error.limit" });
  });

  it("records attendance once per person while the meeting is live, never after it closes", async () => {
    await recordAttendance(meeting.id, france);
    await recordAttendance(meeting.id, france);
    await recordAttendance(meeting.id, observer);
    expect((await listAttendance(meeting.id)).map((person) => [person.userId, person.delegationCode])).toEqual([
      [france.id, "fr"],
      [observer.id, null],
    ]);
  });

  it("takes concurrent requests one at a time: of two identical ones, exactly one is stored", async () => {
    const results = await Promise.allSettled([
      requestFloor(live, { actor: canada, meeting, kind: "reply" }),
      requestFloor(live, { actor: canada, meeting, kind: "reply" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect((await waiting(meeting)).filter((request) => request.delegationCode === "ca" && request.kind === "reply")).toHaveLength(1);
  });

  it("closes: the speech ends, waiting requests lapse, nothing more happens, and another meeting may open", async () => {
    meeting = await giveFloor(live, { actor: chair, meeting });
    meeting = await closeMeeting(live, { actor: chair, meeting });
    expect(meeting.state).toBe("closed");
    expect(meeting.closedAt).toBeInstanceOf(Date);
    const speakers = await listSpeakers(meeting.id);
    expect(speakers.filter((request) => request.state === "waiting" || request.state === "speaking")).toEqual([]);
    await expect(requestFloor(live, { actor: france, meeting: await refresh(meeting), kind: "floor" })).rejects.toMatchObject({ key: "meetings.error.closed" });
    await expect(closeMeeting(live, { actor: chair, meeting })).rejects.toMatchObject({ key: "meetings.error.closed" });
    await recordAttendance(meeting.id, canada);
    expect((await listAttendance(meeting.id)).some((person) => person.userId === canada.id)).toBe(false);
    expect(await liveMeeting(draft.id)).toBeNull();
    const next = await openMeeting(live, { actor: chair, draftId: draft.id, kind: "informal", speakingLimitS: null });
    expect(next.number).toBe(2);
    await closeMeeting(live, { actor: chair, meeting: next });
  });


  it("bounds the requests a delegation makes in one meeting, withdrawn ones included", async () => {
    const other = await createDraft({ actor: chair, title: "Bounded", content: documentJson("Bounded", ["Preamble."], [section("Scope", clause("Only clause."))]) });
    let bounded = await openMeeting(live, { actor: chair, draftId: other.id, kind: "informal", speakingLimitS: null });
    // As if Canada had asked and withdrawn all but once already.
    await db.sql`
      INSERT INTO meeting_speakers (meeting_id, delegation_code, requested_by, kind, position, state)
      SELECT ${bounded.id}, 'ca', ${canada.id}, 'floor', n, 'withdrawn' FROM generate_series(1, ${MAX_REQUESTS_PER_DELEGATION - 1}) AS n`;
    bounded = await requestFloor(live, { actor: canada, meeting: bounded, kind: "floor" });
    const last = (await waiting(bounded))[0];
    bounded = await withdrawRequest(live, { actor: canada, meeting: bounded, requestId: last?.id ?? "" });
    await expect(requestFloor(live, { actor: canada, meeting: bounded, kind: "floor" })).rejects.toMatchObject({ key: "meetings.error.tooManyRequests" });
    // Another delegation is not held back by Canada's count.
    bounded = await requestFloor(live, { actor: france, meeting: bounded, kind: "floor" });
    expect((await waiting(bounded)).map((request) => request.delegationCode)).toEqual(["fr"]);
    await closeMeeting(live, { actor: chair, meeting: bounded });
  });
});
