import type { MessageKey } from "../../i18n/translate";
import type { Actor } from "../auth/policy";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { recordAudit } from "./audit";
import { listDraftClauses } from "./clause-status";
import { DomainError } from "./messages";

/**
 * A chaired session on a draft ("meeting" in the code, apart from sign-in sessions). The secretariat
 * opens it; while it is open the chair's pointer says which clause the room is on, delegations ask
 * for the floor, and the chair gives it in the order of the speakers' list. Every step is stored
 * first, audited, then announced to every open page of the draft (on every instance).
 */
export interface Meeting {
  id: string;
  draftId: string;
  number: number;
  kind: MeetingKind;
  chairId: string;
  state: MeetingState;
  /** The clause the room is on; null before the first is taken up. */
  clauseId: string | null;
  /** The longest an intervention may last, in seconds; null when there is no limit. */
  speakingLimitS: number | null;
  openedAt: Date;
  closedAt: Date | null;
  recordDraftId: string | null;
  recordState: RecordState | null;
  correctionsDue: Date | null;
  recordVersion: number | null;
}

export const MEETING_KINDS = ["formal", "informal"] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export type MeetingState = "open" | "suspended" | "closed";
/** Where a closed meeting's summary record stands. */
export type RecordState = "drafted" | "circulated" | "final";

/** A request for the floor on the speakers' list, and what became of it. */
export interface SpeakerRequest {
  id: string;
  delegationCode: string;
  requestedBy: string;
  kind: "floor" | "reply";
  state: "waiting" | "speaking" | "spoken" | "withdrawn";
  clauseId: string | null;
  requestedAt: Date;
  givenAt: Date | null;
  endedAt: Date | null;
}

/** What changed in a meeting, as open pages hear of it. */
export type MeetingChange = "opened" | "pointer" | "speakers" | "limit" | "suspended" | "resumed" | "closed" | "record" | "attendance";

/**
 * How many requests a delegation may make in one meeting (withdrawn ones included): far more than a
 * day's debate needs, and a bound on what one account can write by asking and withdrawing in a loop.
 */
export const MAX_REQUESTS_PER_DELEGATION = 200;

/** The shortest and longest limit on an intervention, in seconds. */
export const MIN_SPEAKING_LIMIT_S = 15;
export const MAX_SPEAKING_LIMIT_S = 3600;

/** A step the meeting's state does not allow, or input it refuses; says why in the reader's language. */
export class MeetingError extends DomainError {
  constructor(
    key: MessageKey,
    readonly status: 404 | 409 | 422 = 409,
  ) {
    super(key);
  }
}

/**
 * Opens a meeting on a draft, chaired by `actor` (the caller has authorised it): numbered next in
 * its draft; refused while another is open or suspended on it.
 */
export async function openMeeting(live: Live, input: { actor: Actor; draftId: string; kind: MeetingKind; speakingLimitS: number | null }): Promise<Meeting> {
  if (!MEETING_KINDS.includes(input.kind)) throw new MeetingError("meetings.error.kind", 422);
  checkLimit(input.speakingLimitS);
  const meeting = await sql().begin(async (tx) => {
    // The draft row numbers its meetings one at a time.
    await tx`SELECT id FROM drafts WHERE id = ${input.draftId} FOR UPDATE`;
    const [other] = await tx`SELECT 1 FROM meetings WHERE draft_id = ${input.draftId} AND state <> 'closed'`;
    if (other) throw new MeetingError("meetings.error.alreadyOpen");
    const [row] = await tx<MeetingRow[]>`
      INSERT INTO meetings (draft_id, number, kind, chair_id, speaking_limit_s)
      SELECT ${input.draftId}, coalesce(max(number), 0) + 1, ${input.kind}, ${input.actor.id}, ${input.speakingLimitS}
      FROM meetings WHERE draft_id = ${input.draftId}
      RETURNING ${sql()(columnNames)}`;
    if (!row) throw new Error("The meeting was not stored.");
    await tx`INSERT INTO meeting_steps (meeting_id, kind) VALUES (${row.id}, 'opened')`;
    await audit(tx, input.actor, "meeting.opened", row, { kind: input.kind, speakingLimitS: input.speakingLimitS });
    return toMeeting(row);
  });
  announce(live, meeting, "opened");
  return meeting;
}

/** The meeting open or suspended on a draft, if any. */
export async function liveMeeting(draftId: string): Promise<Meeting | null> {
  const [row] = await sql()<MeetingRow[]>`SELECT ${sql()(columnNames)} FROM meetings WHERE draft_id = ${draftId} AND state <> 'closed'`;
  return row ? toMeeting(row) : null;
}

/** A draft's meeting by its number. */
export async function findMeeting(draftId: string, number: number): Promise<Meeting | null> {
  if (!Number.isSafeInteger(number) || number < 1) return null;
  const [row] = await sql()<MeetingRow[]>`SELECT ${sql()(columnNames)} FROM meetings WHERE draft_id = ${draftId} AND number = ${number}`;
  return row ? toMeeting(row) : null;
}

/** The meeting whose summary record a draft is, if it is one. */
export async function meetingOfRecord(recordDraftId: string): Promise<Meeting | null> {
  const [row] = await sql()<MeetingRow[]>`SELECT ${sql()(columnNames)} FROM meetings WHERE record_draft_id = ${recordDraftId}`;
  return row ? toMeeting(row) : null;
}

/** A draft's meetings, the latest first. */
export async function listMeetings(draftId: string): Promise<Meeting[]> {
  const rows = await sql()<MeetingRow[]>`SELECT ${sql()(columnNames)} FROM meetings WHERE draft_id = ${draftId} ORDER BY number DESC`;
  return rows.map(toMeeting);
}

/** The speakers' list of a meeting: who speaks, who waits in the chair's order, then who has spoken or withdrawn. */
export async function listSpeakers(meetingId: string): Promise<SpeakerRequest[]> {
  const rows = await sql()<SpeakerRow[]>`
    SELECT id::text, delegation_code, requested_by, kind, state, clause_id, requested_at, given_at, ended_at
    FROM meeting_speakers WHERE meeting_id = ${meetingId}
    ORDER BY CASE state WHEN 'speaking' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END,
             CASE WHEN state = 'waiting' THEN position END, coalesce(given_at, requested_at), id`;
  return rows.map(toSpeaker);
}

/** The chair takes up a clause of the current text: every follower's view moves to it. */
export async function takeUpClause(live: Live, input: { actor: Actor; meeting: Meeting; clauseId: string }): Promise<Meeting> {
  const clauses = await listDraftClauses(input.meeting.draftId);
  if (!clauses.some((clause) => clause.id === input.clauseId)) throw new MeetingError("meetings.error.unknownClause", 422);
  return step(live, input.meeting, "pointer", async (tx, row) => {
    if (row.state !== "open") throw new MeetingError("meetings.error.notOpen");
    if (row.clause_id === input.clauseId) return;
    await tx`UPDATE meetings SET clause_id = ${input.clauseId} WHERE id = ${row.id}`;
    await tx`INSERT INTO meeting_steps (meeting_id, kind, clause_id) VALUES (${row.id}, 'clause', ${input.clauseId})`;
    await audit(tx, input.actor, "meeting.clause-taken-up", row, { clauseId: input.clauseId });
  });
}

/** The chair sets (or lifts, with null) the limit on each intervention. */
export async function setSpeakingLimit(live: Live, input: { actor: Actor; meeting: Meeting; seconds: number | null }): Promise<Meeting> {
  checkLimit(input.seconds);
  return step(live, input.meeting, "limit", async (tx, row) => {
    if (row.state === "closed") throw new MeetingError("meetings.error.closed");
    await tx`UPDATE meetings SET speaking_limit_s = ${input.seconds} WHERE id = ${row.id}`;
    await audit(tx, input.actor, "meeting.limit-set", row, { speakingLimitS: input.seconds });
  });
}

/**
 * A head or delegate asks for the floor (or a right of reply) for their delegation (the caller has
 * authorised it): one waiting request of each kind per delegation; at the end of the list.
 */
export async function requestFloor(live: Live, input: { actor: Actor; meeting: Meeting; kind: "floor" | "reply" }): Promise<Meeting> {
  const delegationCode = input.actor.delegationCode;
  if (!delegationCode) throw new MeetingError("meetings.error.noDelegation", 422);
  if (input.kind !== "floor" && input.kind !== "reply") throw new MeetingError("meetings.error.requestKind", 422);
  return step(live, input.meeting, "speakers", async (tx, row) => {
    if (row.state === "closed") throw new MeetingError("meetings.error.closed");
    const [waiting] = await tx`
      SELECT 1 FROM meeting_speakers
      WHERE meeting_id = ${row.id} AND delegation_code = ${delegationCode} AND kind = ${input.kind} AND state = 'waiting'`;
    if (waiting) throw new MeetingError(input.kind === "reply" ? "meetings.error.alreadyAskedReply" : "meetings.error.alreadyAsked");
    const [made] = await tx<{ count: number }[]>`
      SELECT count(*)::int AS count FROM meeting_speakers WHERE meeting_id = ${row.id} AND delegation_code = ${delegationCode}`;
    if ((made?.count ?? 0) >= MAX_REQUESTS_PER_DELEGATION) throw new MeetingError("meetings.error.tooManyRequests");
    const [request] = await tx<{ id: string }[]>`
      INSERT INTO meeting_speakers (meeting_id, delegation_code, requested_by, kind, position)
      SELECT ${row.id}, ${delegationCode}, ${input.actor.id}, ${input.kind}, coalesce(max(position), 0) + 1
      FROM meeting_speakers WHERE meeting_id = ${row.id}
      RETURNING id::text`;
    await audit(tx, input.actor, "meeting.floor-requested", row, { requestId: request?.id, delegationCode, kind: input.kind });
  });
}

/**
 * A waiting request leaves the list: withdrawn by its delegation, or struck by the chair (the
 * caller has authorised either).
 */
export async function withdrawRequest(live: Live, input: { actor: Actor; meeting: Meeting; requestId: string }): Promise<Meeting> {
  return step(live, input.meeting, "speakers", async (tx, row) => {
    const request = await lockRequest(tx, row.id, input.requestId);
    if (request.state !== "waiting") throw new MeetingError("meetings.error.notWaiting");
    await tx`UPDATE meeting_speakers SET state = 'withdrawn', ended_at = now() WHERE id = ${request.id}`;
    await audit(tx, input.actor, "meeting.floor-withdrawn", row, { requestId: request.id, delegationCode: request.delegation_code, kind: request.kind });
  });
}

/** A request of this meeting's list by its id; null when it is not on it. */
export async function findRequest(meetingId: string, requestId: string): Promise<SpeakerRequest | null> {
  if (!/^\d{1,18}$/.test(requestId)) return null;
  const [row] = await sql()<SpeakerRow[]>`
    SELECT id::text, delegation_code, requested_by, kind, state, clause_id, requested_at, given_at, ended_at
    FROM meeting_speakers WHERE meeting_id = ${meetingId} AND id = ${requestId}`;
  return row ? toSpeaker(row) : null;
}

/** The chair moves a waiting request one place up or down the list. */
export async function moveRequest(live: Live, input: { actor: Actor; meeting: Meeting; requestId: string; direction: "up" | "down" }): Promise<Meeting> {
  return step(live, input.meeting, "speakers", async (tx, row) => {
    const request = await lockRequest(tx, row.id, input.requestId);
    if (request.state !== "waiting") throw new MeetingError("meetings.error.notWaiting");
    const [neighbour] =
      input.direction === "up"
        ? await tx<{ id: string; position: number }[]>`
            SELECT id::text, position FROM meeting_speakers WHERE meeting_id = ${row.id} AND state = 'waiting' AND position < ${request.position}
            ORDER BY position DESC LIMIT 1 FOR UPDATE`
        : await tx<{ id: string; position: number }[]>`
            SELECT id::text, position FROM meeting_speakers WHERE meeting_id = ${row.id} AND state = 'waiting' AND position > ${request.position}
            ORDER BY position LIMIT 1 FOR UPDATE`;
    if (!neighbour) return;
    await tx`UPDATE meeting_speakers SET position = ${neighbour.position} WHERE id = ${request.id}`;
    await tx`UPDATE meeting_speakers SET position = ${request.position} WHERE id = ${neighbour.id}`;
    await audit(tx, input.actor, "meeting.list-reordered", row, { requestId: request.id, direction: input.direction });
  });
}

/**
 * The chair gives the floor to a waiting request (the first of the list when none is named): whoever
 * was speaking has spoken, and the speech is recorded on the clause the room is on.
 */
export async function giveFloor(live: Live, input: { actor: Actor; meeting: Meeting; requestId?: string }): Promise<Meeting> {
  return step(live, input.meeting, "speakers", async (tx, row) => {
    if (row.state !== "open") throw new MeetingError("meetings.error.notOpen");
    let request: LockedRequest | undefined;
    if (input.requestId) request = await lockRequest(tx, row.id, input.requestId);
    else {
      [request] = await tx<LockedRequest[]>`
        SELECT id::text, delegation_code, kind, state, position FROM meeting_speakers
        WHERE meeting_id = ${row.id} AND state = 'waiting' ORDER BY position LIMIT 1 FOR UPDATE`;
      if (!request) throw new MeetingError("meetings.error.listEmpty");
    }
    if (request.state !== "waiting") throw new MeetingError("meetings.error.notWaiting");
    await endSpeech(tx, row.id);
    await tx`
      UPDATE meeting_speakers SET state = 'speaking', given_at = now(), clause_id = ${row.clause_id}
      WHERE id = ${request.id}`;
    await audit(tx, input.actor, "meeting.floor-given", row, { requestId: request.id, delegationCode: request.delegation_code, kind: request.kind, clauseId: row.clause_id });
  });
}

/** The chair ends the intervention under way. */
export async function endIntervention(live: Live, input: { actor: Actor; meeting: Meeting }): Promise<Meeting> {
  return step(live, input.meeting, "speakers", async (tx, row) => {
    const ended = await endSpeech(tx, row.id);
    if (!ended) throw new MeetingError("meetings.error.noSpeaker");
    await audit(tx, input.actor, "meeting.floor-ended", row, { requestId: ended.id, delegationCode: ended.delegation_code });
  });
}

/** The chair suspends the meeting: the speech under way ends; requests wait for the resumption. */
export async function suspendMeeting(live: Live, input: { actor: Actor; meeting: Meeting }): Promise<Meeting> {
  return step(live, input.meeting, "suspended", async (tx, row) => {
    if (row.state !== "open") throw new MeetingError("meetings.error.notOpen");
    await endSpeech(tx, row.id);
    await tx`UPDATE meetings SET state = 'suspended' WHERE id = ${row.id}`;
    await tx`INSERT INTO meeting_steps (meeting_id, kind, clause_id) VALUES (${row.id}, 'suspended', ${row.clause_id})`;
    await audit(tx, input.actor, "meeting.suspended", row, {});
  });
}

/** The chair resumes a suspended meeting. */
export async function resumeMeeting(live: Live, input: { actor: Actor; meeting: Meeting }): Promise<Meeting> {
  return step(live, input.meeting, "resumed", async (tx, row) => {
    if (row.state !== "suspended") throw new MeetingError("meetings.error.notSuspended");
    await tx`UPDATE meetings SET state = 'open' WHERE id = ${row.id}`;
    await tx`INSERT INTO meeting_steps (meeting_id, kind, clause_id) VALUES (${row.id}, 'resumed', ${row.clause_id})`;
    await audit(tx, input.actor, "meeting.resumed", row, {});
  });
}

/**
 * The chair closes the meeting: the speech under way ends and requests still waiting lapse. The
 * summary record is drafted next (server/domain/meeting-summary.ts).
 */
export async function closeMeeting(live: Live, input: { actor: Actor; meeting: Meeting }): Promise<Meeting> {
  return step(live, input.meeting, "closed", async (tx, row) => {
    if (row.state === "closed") throw new MeetingError("meetings.error.closed");
    await endSpeech(tx, row.id);
    await tx`UPDATE meeting_speakers SET state = 'withdrawn', ended_at = now() WHERE meeting_id = ${row.id} AND state = 'waiting'`;
    await tx`UPDATE meetings SET state = 'closed', closed_at = now() WHERE id = ${row.id}`;
    await tx`INSERT INTO meeting_steps (meeting_id, kind, clause_id) VALUES (${row.id}, 'closed', ${row.clause_id})`;
    await audit(tx, input.actor, "meeting.closed", row, {});
  });
}

/**
 * Records that `user` followed the meeting (their page of the draft was connected while it was
 * open or suspended); idempotent. Their delegation as it is now is kept with it. Whether they were
 * new to it: the pages of the meeting then hear of it.
 */
export async function recordAttendance(meetingId: string, user: Actor): Promise<boolean> {
  const rows = await sql()`
    INSERT INTO meeting_attendance (meeting_id, user_id, delegation_code)
    SELECT id, ${user.id}, ${user.delegationCode} FROM meetings WHERE id = ${meetingId} AND state <> 'closed'
    ON CONFLICT (meeting_id, user_id) DO NOTHING
    RETURNING user_id`;
  return rows.length > 0;
}

/** Who was seen following a meeting: account, delegation and when first seen. */
export async function listAttendance(meetingId: string): Promise<{ userId: string; displayName: string; role: string; delegationCode: string | null; firstSeenAt: Date }[]> {
  const rows = await sql()<{ user_id: string; display_name: string; role: string; delegation_code: string | null; first_seen_at: Date }[]>`
    SELECT a.user_id, u.display_name, u.role, a.delegation_code, a.first_seen_at
    FROM meeting_attendance a JOIN users u ON u.id = a.user_id
    WHERE a.meeting_id = ${meetingId} ORDER BY a.first_seen_at, u.display_name`;
  return rows.map((row) => ({ userId: row.user_id, displayName: row.display_name, role: row.role, delegationCode: row.delegation_code, firstSeenAt: row.first_seen_at }));
}

/** The steps of a meeting in order: opened, clauses taken up, suspensions, resumptions, closed. */
export async function listSteps(meetingId: string): Promise<{ kind: "opened" | "clause" | "suspended" | "resumed" | "closed"; clauseId: string | null; at: Date }[]> {
  const rows = await sql()<{ kind: "opened" | "clause" | "suspended" | "resumed" | "closed"; clause_id: string | null; at: Date }[]>`
    SELECT kind, clause_id, at FROM meeting_steps WHERE meeting_id = ${meetingId} ORDER BY id`;
  return rows.map((row) => ({ kind: row.kind, clauseId: row.clause_id, at: row.at }));
}

/** Tells every open page of the draft, on every instance, that the meeting changed. */
export function announce(live: Live, meeting: Pick<Meeting, "draftId" | "number">, change: MeetingChange): void {
  live.drafts.publish({ type: "meeting", draftId: meeting.draftId, number: meeting.number, change });
}

function checkLimit(seconds: number | null): void {
  if (seconds === null) return;
  if (!Number.isInteger(seconds) || seconds < MIN_SPEAKING_LIMIT_S || seconds > MAX_SPEAKING_LIMIT_S) throw new MeetingError("meetings.error.limit", 422);
}

// One step of a meeting, in one transaction with the meeting's row locked: steps of one meeting
// happen one at a time, each against the state the one before left. Announced after the commit.
async function step(live: Live, meeting: Meeting, change: MeetingChange, work: (tx: Queryable, row: MeetingRow) => Promise<void>): Promise<Meeting> {
  const next = await sql().begin(async (tx) => {
    const [row] = await tx<MeetingRow[]>`SELECT ${sql()(columnNames)} FROM meetings WHERE id = ${meeting.id} FOR UPDATE`;
    if (!row) throw new MeetingError("meetings.error.unknown", 404);
    await work(tx, row);
    const [after] = await tx<MeetingRow[]>`SELECT ${sql()(columnNames)} FROM meetings WHERE id = ${meeting.id}`;
    return toMeeting(after ?? row);
  });
  announce(live, next, change);
  return next;
}

interface LockedRequest {
  id: string;
  delegation_code: string;
  kind: "floor" | "reply";
  state: SpeakerRequest["state"];
  position: number;
}

async function lockRequest(tx: Queryable, meetingId: string, requestId: string): Promise<LockedRequest> {
  if (!/^\d{1,18}$/.test(requestId)) throw new MeetingError("meetings.error.unknownRequest", 404);
  const [request] = await tx<LockedRequest[]>`
    SELECT id::text, delegation_code, kind, state, position FROM meeting_speakers
    WHERE meeting_id = ${meetingId} AND id = ${requestId} FOR UPDATE`;
  if (!request) throw new MeetingError("meetings.error.unknownRequest", 404);
  return request;
}

// Ends the speech under way, if any: the delegation has spoken.
async function endSpeech(tx: Queryable, meetingId: string): Promise<{ id: string; delegation_code: string } | null> {
  const [ended] = await tx<{ id: string; delegation_code: string }[]>`
    UPDATE meeting_speakers SET state = 'spoken', ended_at = now()
    WHERE meeting_id = ${meetingId} AND state = 'speaking' RETURNING id::text, delegation_code`;
  return ended ?? null;
}

async function audit(tx: Queryable, actor: Actor, action: string, row: MeetingRow, details: Record<string, unknown>): Promise<void> {
  await recordAudit({ actor, action, target: { type: "meeting", id: row.id }, details: { draftId: row.draft_id, number: row.number, ...details } }, tx);
}

const columnNames = [
  "id",
  "draft_id",
  "number",
  "kind",
  "chair_id",
  "state",
  "clause_id",
  "speaking_limit_s",
  "opened_at",
  "closed_at",
  "record_draft_id",
  "record_state",
  "corrections_due",
  "record_version",
] as const;

interface MeetingRow {
  id: string;
  draft_id: string;
  number: number;
  kind: MeetingKind;
  chair_id: string;
  state: MeetingState;
  clause_id: string | null;
  speaking_limit_s: number | null;
  opened_at: Date;
  closed_at: Date | null;
  record_draft_id: string | null;
  record_state: RecordState | null;
  corrections_due: Date | null;
  record_version: number | null;
}

function toMeeting(row: MeetingRow): Meeting {
  return {
    id: row.id,
    draftId: row.draft_id,
    number: row.number,
    kind: row.kind,
    chairId: row.chair_id,
    state: row.state,
    clauseId: row.clause_id,
    speakingLimitS: row.speaking_limit_s,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    recordDraftId: row.record_draft_id,
    recordState: row.record_state,
    correctionsDue: row.corrections_due,
    recordVersion: row.record_version,
  };
}

interface SpeakerRow {
  id: string;
  delegation_code: string;
  requested_by: string;
  kind: "floor" | "reply";
  state: SpeakerRequest["state"];
  clause_id: string | null;
  requested_at: Date;
  given_at: Date | null;
  ended_at: Date | null;
}

function toSpeaker(row: SpeakerRow): SpeakerRequest {
  return {
    id: row.id,
    delegationCode: row.delegation_code,
    requestedBy: row.requested_by,
    kind: row.kind,
    state: row.state,
    clauseId: row.clause_id,
    requestedAt: row.requested_at,
    givenAt: row.given_at,
    endedAt: row.ended_at,
  };
}
