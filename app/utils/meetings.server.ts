import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { authorize, notFound } from "~/utils/session.server";
import { can } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";
import { listClauseStatuses, listDraftClauses } from "../../server/domain/clause-status";
import { listDelegations } from "../../server/domain/delegations";
import { findDraftById, type Draft } from "../../server/domain/drafts";
import { DomainError } from "../../server/domain/messages";
import { circulateRecord, draftSummaryRecord, finaliseRecord } from "../../server/domain/meeting-summary";
import {
  closeMeeting,
  endIntervention,
  findMeeting,
  findRequest,
  giveFloor,
  listAttendance,
  listMeetings,
  listSpeakers,
  liveMeeting,
  MEETING_KINDS,
  meetingOfRecord,
  MeetingError,
  moveRequest,
  openMeeting,
  requestFloor,
  resumeMeeting,
  setSpeakingLimit,
  suspendMeeting,
  takeUpClause,
  withdrawRequest,
  type Meeting,
} from "../../server/domain/meetings";
import type { Live } from "../../server/live";
import { findUser } from "../../server/domain/users";
import { isTimeZone, wallTimeToUtc } from "./time-zones";
import { FormRejection, fields, parseForm } from "./forms.server";

/**
 * A live meeting as every page of its draft shows it, for one reader: the pointer, who speaks and
 * since when (with the server's clock, so that every timer agrees), the speakers' list in the chair's
 * order, the delegations present, and what this reader may do. Null when no meeting is live.
 */
export async function loadMeetingView(user: SessionUser, draft: Draft, meeting?: Meeting | null) {
  if (!can(user, "meeting.follow", { type: "draft", id: draft.id })) return null;
  const live = meeting === undefined ? await liveMeeting(draft.id) : meeting;
  if (!live || live.state === "closed") return null;
  const canChair = can(user, "meeting.chair", { type: "draft", id: draft.id });
  const [speakers, attendance, delegations, clauses, statuses, chair] = await Promise.all([
    listSpeakers(live.id),
    listAttendance(live.id),
    listDelegations(),
    listDraftClauses(draft.id),
    listClauseStatuses(draft.id),
    chairName(live.chairId),
  ]);
  const named = new Map(delegations.map((delegation) => [delegation.code, delegation]));
  const entry = (request: (typeof speakers)[number]) => ({
    id: request.id,
    delegationCode: request.delegationCode,
    delegation: named.get(request.delegationCode)?.shortName ?? request.delegationCode,
    colour: named.get(request.delegationCode)?.colour ?? "#4a5368",
    kind: request.kind,
    givenAt: request.givenAt?.toISOString() ?? null,
    mine: user.delegationCode === request.delegationCode,
  });
  const speaking = speakers.find((request) => request.state === "speaking");
  const waiting = speakers.filter((request) => request.state === "waiting");
  const pointer = live.clauseId ? (clauses.find((clause) => clause.id === live.clauseId) ?? null) : null;
  const statusOf = new Map(statuses.map((status) => [status.clauseId, status.status]));
  const present = new Set(attendance.map((person) => person.delegationCode).filter((code): code is string => code !== null));
  const canRequest = can(user, "meeting.request-floor", { type: "draft", id: draft.id });
  const mine = (kind: "floor" | "reply") => waiting.find((request) => request.delegationCode === user.delegationCode && request.kind === kind)?.id ?? null;
  return {
    number: live.number,
    kind: live.kind,
    state: live.state,
    chair,
    serverNow: new Date().toISOString(),
    speakingLimitS: live.speakingLimitS,
    pointer: live.clauseId
      ? { clauseId: live.clauseId, number: pointer?.number ?? null, excerpt: pointer?.excerpt ?? "", openBrackets: pointer?.openBrackets ?? 0, status: statusOf.get(live.clauseId) ?? "pending" }
      : null,
    speaking: speaking ? entry(speaking) : null,
    waiting: waiting.map(entry),
    present: delegations.filter((delegation) => present.has(delegation.code)).map((delegation) => delegation.shortName),
    self: {
      canChair,
      canRequest,
      delegation: user.delegationCode ? (named.get(user.delegationCode)?.shortName ?? null) : null,
      waitingFloor: canRequest ? mine("floor") : null,
      waitingReply: canRequest ? mine("reply") : null,
    },
    clauses: canChair ? clauses.map((clause) => ({ id: clause.id, number: clause.number, excerpt: clause.excerpt })) : [],
  };
}

export type MeetingView = NonNullable<Awaited<ReturnType<typeof loadMeetingView>>>;

async function chairName(chairId: string): Promise<string> {
  return (await findUser(chairId))?.displayName ?? "";
}

/** When the draft is a session's summary record: which session, on which draft, and where its record stands. */
export async function loadRecordOf(draft: Draft) {
  const meeting = await meetingOfRecord(draft.id);
  const source = meeting ? await findDraftById(meeting.draftId) : null;
  if (!meeting || !source) return null;
  return { number: meeting.number, slug: source.slug, title: source.title, state: meeting.recordState, correctionsDue: meeting.correctionsDue?.toISOString() ?? null };
}

/** The meetings page: every meeting of the draft, the latest first, and whether the reader may open one. */
export async function loadMeetingsList(user: SessionUser, draft: Draft) {
  authorize(user, "meeting.follow", { type: "draft", id: draft.id });
  const meetings = await listMeetings(draft.id);
  return {
    meetings: meetings.map((meeting) => ({
      number: meeting.number,
      kind: meeting.kind,
      state: meeting.state,
      openedAt: meeting.openedAt.toISOString(),
      recordState: meeting.recordState,
    })),
    canOpen: can(user, "meeting.chair", { type: "draft", id: draft.id }) && !meetings.some((meeting) => meeting.state !== "closed"),
    kinds: MEETING_KINDS,
  };
}

/** One meeting's page: its facts so far, the speeches in order, and where its summary record stands. */
export async function loadMeetingDetail(user: SessionUser, draft: Draft, number: number) {
  authorize(user, "meeting.follow", { type: "draft", id: draft.id });
  const meeting = await findMeeting(draft.id, number);
  if (!meeting) throw notFound();
  const [speakers, attendance, delegations, clauses, chair, record, live] = await Promise.all([
    listSpeakers(meeting.id),
    listAttendance(meeting.id),
    listDelegations(),
    listDraftClauses(draft.id),
    chairName(meeting.chairId),
    meeting.recordDraftId ? findDraftById(meeting.recordDraftId) : Promise.resolve(null),
    loadMeetingView(user, draft, meeting),
  ]);
  const named = new Map(delegations.map((delegation) => [delegation.code, delegation.shortName]));
  const numberOf = new Map(clauses.map((clause) => [clause.id, clause.number]));
  const present = new Set(attendance.map((person) => person.delegationCode));
  return {
    meeting: {
      number: meeting.number,
      kind: meeting.kind,
      state: meeting.state,
      chair,
      openedAt: meeting.openedAt.toISOString(),
      closedAt: meeting.closedAt?.toISOString() ?? null,
      recordState: meeting.recordState,
      correctionsDue: meeting.correctionsDue?.toISOString() ?? null,
      recordVersion: meeting.recordVersion,
    },
    attendance: delegations.filter((delegation) => present.has(delegation.code)).map((delegation) => delegation.shortName),
    speeches: speakers
      .filter((request) => request.givenAt !== null)
      .sort((a, b) => (a.givenAt?.getTime() ?? 0) - (b.givenAt?.getTime() ?? 0))
      .map((request) => ({
        id: request.id,
        delegation: named.get(request.delegationCode) ?? request.delegationCode,
        kind: request.kind,
        clause: request.clauseId ? (numberOf.get(request.clauseId) ?? "") : null,
      })),
    record: record ? { slug: record.slug, title: record.title } : null,
    canManageRecord: can(user, "meeting.manage-record", { type: "draft", id: draft.id }),
    live,
  };
}

const OpenForm = z.object({
  intent: z.literal("open"),
  kind: fields.choice(MEETING_KINDS),
  limit: z.string().trim().max(10).optional().default(""),
});

/** The secretariat opens a meeting from the meetings page, then goes to the draft's text. */
export async function openMeetingAction(live: Live, { request, user, draft }: { request: Request; user: SessionUser; draft: Draft }) {
  authorize(user, "meeting.chair", { type: "draft", id: draft.id });
  const form = await parseForm(request, OpenForm);
  const speakingLimitS = limitSeconds(form.limit, "limit");
  await withMeetingErrors("open", () => openMeeting(live, { actor: user, draftId: draft.id, kind: form.kind, speakingLimitS }));
  return redirect(`/drafts/${encodeURIComponent(draft.slug)}`);
}

// Minutes as typed ("3", "1.5", "2,5") to whole seconds; empty for no limit.
function limitSeconds(value: string, field: string): number | null {
  if (value === "") return null;
  const minutes = Number(value.replace(",", "."));
  if (!Number.isFinite(minutes)) throw new FormRejection({ [field]: t("meetings.error.limit") }, { [field]: value }, 422);
  return Math.round(minutes * 60);
}

const StepForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("take-up"), clauseId: fields.text(64) }),
  z.object({ intent: z.literal("limit"), limit: z.string().trim().max(10).default("") }),
  z.object({ intent: z.literal("request-floor") }),
  z.object({ intent: z.literal("request-reply") }),
  z.object({ intent: z.literal("withdraw"), requestId: fields.text(20) }),
  z.object({ intent: z.literal("give"), requestId: z.string().max(20).optional() }),
  z.object({ intent: z.literal("move"), requestId: fields.text(20), direction: fields.choice(["up", "down"] as const) }),
  z.object({ intent: z.literal("end") }),
  z.object({ intent: z.literal("suspend") }),
  z.object({ intent: z.literal("resume") }),
  z.object({ intent: z.literal("close") }),
  z.object({ intent: z.literal("draft-record") }),
  z.object({ intent: z.literal("circulate"), due: fields.text(40), timeZone: fields.text(64) }),
  z.object({ intent: z.literal("finalise") }),
]);

/**
 * Every step of a meeting, posted to its page (from the draft's panel or the page itself): the
 * chair's steps are the secretariat's; asking for the floor is a head's or delegate's; withdrawing,
 * the request's own delegation's or the chair's. 403 for anyone else, 404 for an unknown meeting or
 * request, 409 when the meeting's state does not allow the step, 422 for bad input.
 */
export async function meetingAction(live: Live, { request, user, draft, number }: { request: Request; user: SessionUser; draft: Draft; number: number }) {
  authorize(user, "meeting.follow", { type: "draft", id: draft.id });
  const meeting = await findMeeting(draft.id, number);
  if (!meeting) throw notFound();
  const form = await parseForm(request, StepForm);
  const resource = { type: "draft" as const, id: draft.id };
  const actor = user;
  const run = (work: () => Promise<unknown>) => withMeetingErrors(form.intent, work);
  switch (form.intent) {
    case "request-floor":
    case "request-reply":
      authorize(user, "meeting.request-floor", resource);
      await run(() => requestFloor(live, { actor, meeting, kind: form.intent === "request-reply" ? "reply" : "floor" }));
      break;
    case "withdraw": {
      const speaker = await findRequest(meeting.id, form.requestId);
      if (!speaker) throw new FormRejection({ withdraw: t("meetings.error.unknownRequest") }, {}, 404);
      authorize(user, "meeting.withdraw-request", { type: "speaker-request", delegationCode: speaker.delegationCode });
      await run(() => withdrawRequest(live, { actor, meeting, requestId: speaker.id }));
      break;
    }
    case "draft-record":
      authorize(user, "meeting.manage-record", resource);
      if (meeting.state !== "closed") throw new FormRejection({ "draft-record": t("meetings.error.notClosed") }, {}, 409);
      await run(() => draftSummaryRecord(live, { actor, meeting }));
      break;
    case "circulate": {
      authorize(user, "meeting.manage-record", resource);
      const due = isTimeZone(form.timeZone) ? wallTimeToUtc(form.due, form.timeZone) : null;
      if (!due) throw new FormRejection({ due: t("meetings.error.dueInvalid") }, { due: form.due }, 422);
      await run(() => circulateRecord(live, { actor, meeting, due }));
      break;
    }
    case "finalise":
      authorize(user, "meeting.manage-record", resource);
      await run(() => finaliseRecord(live, { actor, meeting }));
      break;
    default:
      authorize(user, "meeting.chair", resource);
      await run(() => chairStep(live, actor, meeting, form));
  }
  // Closing drafts the summary record at once; if that fails, the meeting stays closed and its page offers to draft it again.
  if (form.intent === "close") {
    const closed = await findMeeting(draft.id, number);
    if (closed) await draftSummaryRecord(live, { actor, meeting: closed }).catch((error: unknown) => console.warn("The summary record was not drafted:", error instanceof Error ? error.message : error));
  }
  return data({ done: form.intent });
}

type StepInput = z.infer<typeof StepForm>;

function chairStep(live: Live, actor: SessionUser, meeting: Meeting, form: StepInput): Promise<unknown> {
  switch (form.intent) {
    case "take-up":
      return takeUpClause(live, { actor, meeting, clauseId: form.clauseId });
    case "limit":
      return setSpeakingLimit(live, { actor, meeting, seconds: limitSeconds(form.limit, "limit") });
    case "give":
      return giveFloor(live, { actor, meeting, requestId: form.requestId || undefined });
    case "move":
      return moveRequest(live, { actor, meeting, requestId: form.requestId, direction: form.direction });
    case "end":
      return endIntervention(live, { actor, meeting });
    case "suspend":
      return suspendMeeting(live, { actor, meeting });
    case "resume":
      return resumeMeeting(live, { actor, meeting });
    case "close":
      return closeMeeting(live, { actor, meeting });
    default:
      throw new Error(`Not a chair's step: ${form.intent}`);
  }
}

// A refusal of the domain becomes the form's error under the step's name, with its status.
async function withMeetingErrors<T>(field: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MeetingError) throw new FormRejection({ [field]: t(error.key, error.params) }, {}, error.status);
    if (error instanceof DomainError) throw new FormRejection({ [field]: t(error.key, error.params) }, {}, 409);
    throw error;
  }
}
