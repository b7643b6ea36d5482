import type { Language } from "../../i18n/languages";
import { t } from "../../i18n/translate";
import type { Actor } from "../auth/policy";
import { sql } from "../db/registry";
import { inLanguage } from "../language";
import type { Live } from "../live";
import { recordAudit } from "./audit";
import { AGREED_STATUSES, listClauseStatuses, listDraftClauses, type ClauseStatusValue } from "./clause-status";
import { listDelegations } from "./delegations";
import { createDraft, findDraftById } from "./drafts";
import type { ClauseTakenUp, MeetingDecision, MeetingFacts, MeetingSpeech } from "./meeting-facts";
import { recordDocument } from "./meeting-record";
import { announce, listAttendance, listSpeakers, listSteps, MeetingError, type Meeting } from "./meetings";
import { advanceRound, createRound, currentRound, RoundInputError } from "./rounds";
import { saveVersion } from "./versions";

/** The shortest time delegations are given to send corrections to a summary record. */
export const MIN_CORRECTION_PERIOD_MS = 60 * 60 * 1000;

// The decisions a record tells of, as the audit trail holds them (never a private row).
const DECISIONS = ["clause.status-changed", "bracket.resolved", "amendment.adopted", "motion.put", "motion.closed"] as const;

/**
 * What a closed meeting's summary record says, in `language`: attendance from who was connected,
 * the clauses in the order the chair took them up with the speakers on each and the decisions taken
 * while the room was on them, and what the text leaves open at the close. Read from the meeting's
 * own tables and the draft's shared audit trail; private notes are never read.
 */
export async function gatherFacts(meeting: Meeting, language: Language): Promise<MeetingFacts> {
  if (!meeting.closedAt) throw new MeetingError("meetings.error.notClosed");
  const closedAt = meeting.closedAt;
  return inLanguage(language, async () => {
    const [draft, delegations, attendance, steps, speakers, outline, statuses, chair, audit] = await Promise.all([
      findDraftById(meeting.draftId),
      listDelegations(),
      listAttendance(meeting.id),
      listSteps(meeting.id),
      listSpeakers(meeting.id),
      listDraftClauses(meeting.draftId),
      listClauseStatuses(meeting.draftId),
      sql()<{ display_name: string }[]>`SELECT display_name FROM users WHERE id = ${meeting.chairId}`,
      sql()<{ action: (typeof DECISIONS)[number]; details: Record<string, unknown>; created_at: Date }[]>`
        SELECT action, details, created_at FROM audit_events
        WHERE private_to_delegation IS NULL AND action IN ${sql()(DECISIONS)}
          AND created_at >= ${meeting.openedAt} AND created_at <= ${closedAt}
          AND (target_id = ${meeting.draftId} OR details->>'draftId' = ${meeting.draftId})
        ORDER BY id`,
    ]);
    const delegationName = new Map(delegations.map((delegation) => [delegation.code, delegation.name]));
    const clauseNumber = new Map(outline.map((clause) => [clause.id, clause.number]));
    const excerpt = new Map(outline.map((clause) => [clause.id, clause.excerpt]));

    // The clauses in the order taken up, each with when the room came to it.
    const taken: (ClauseTakenUp & { at: Date })[] = steps
      .filter((step) => step.kind === "clause" && step.clauseId)
      .map((step) => ({
        clauseId: step.clauseId ?? "",
        number: clauseNumber.get(step.clauseId ?? "") ?? "",
        excerpt: excerpt.get(step.clauseId ?? "") ?? "",
        speakers: [],
        decisions: [],
        at: step.at,
      }));
    const onAt = (at: Date) => [...taken].reverse().find((entry) => entry.at <= at) ?? null;

    const generalSpeakers: MeetingSpeech[] = [];
    const spoken = speakers.filter((request) => request.givenAt !== null).sort((a, b) => (a.givenAt?.getTime() ?? 0) - (b.givenAt?.getTime() ?? 0));
    for (const request of spoken) {
      const speech: MeetingSpeech = { delegation: delegationName.get(request.delegationCode) ?? request.delegationCode, kind: request.kind };
      (onAt(request.givenAt ?? closedAt)?.speakers ?? generalSpeakers).push(speech);
    }

    const otherDecisions: MeetingDecision[] = [];
    for (const event of audit) {
      const decision = toDecision(event.action, event.details, clauseNumber, delegationName);
      if (!decision) continue;
      const entry = onAt(event.created_at);
      const clauseId = typeof event.details.clauseId === "string" ? event.details.clauseId : null;
      // A decision on a clause belongs under that clause; others under the clause the room was on.
      const home = clauseId && entry?.clauseId !== clauseId ? ([...taken].reverse().find((item) => item.clauseId === clauseId && item.at <= event.created_at) ?? null) : entry;
      (home?.decisions ?? otherDecisions).push(decision);
    }

    const statusOf = new Map(statuses.map((status) => [status.clauseId, status.status]));
    const openItems = outline
      .map((clause) => ({ number: clause.number, status: statusOf.get(clause.id) ?? ("pending" as ClauseStatusValue), openBrackets: clause.openBrackets }))
      .filter((item) => !AGREED_STATUSES.includes(item.status) || item.openBrackets > 0);

    const people = new Map<string, string[]>();
    const others: string[] = [];
    for (const person of attendance) {
      if (person.delegationCode && person.role !== "observer" && person.role !== "secretariat") people.set(person.delegationCode, [...(people.get(person.delegationCode) ?? []), person.displayName]);
      else others.push(person.displayName);
    }
    return {
      draftTitle: draft?.title ?? "",
      number: meeting.number,
      kind: meeting.kind,
      openedAt: meeting.openedAt,
      closedAt,
      chair: chair[0]?.display_name ?? "",
      present: delegations.filter((delegation) => people.has(delegation.code)).map((delegation) => ({ delegation: delegation.name, people: people.get(delegation.code) ?? [] })),
      absent: delegations.filter((delegation) => !people.has(delegation.code)).map((delegation) => delegation.name),
      others,
      clauses: taken.map(({ at: _at, ...entry }) => entry),
      generalSpeakers,
      otherDecisions,
      openItems,
    };
  });
}

function toDecision(action: (typeof DECISIONS)[number], details: Record<string, unknown>, clauseNumber: Map<string, string>, delegationName: Map<string, string>): MeetingDecision | null {
  const number = typeof details.number === "number" ? details.number : 0;
  const clause = typeof details.clauseId === "string" ? (clauseNumber.get(details.clauseId) ?? (typeof details.clause === "string" ? details.clause : "")) : null;
  switch (action) {
    case "clause.status-changed":
      return {
        kind: "clause-status",
        clause: clause ?? "",
        status: details.to as ClauseStatusValue,
        reservingDelegations: Array.isArray(details.reservingDelegations) ? details.reservingDelegations.map((code) => delegationName.get(String(code)) ?? String(code)) : [],
      };
    case "bracket.resolved":
      return { kind: "bracket-resolved", clause, kept: typeof details.kept === "string" ? details.kept : null };
    case "amendment.adopted":
      return { kind: "amendment-adopted", number };
    case "motion.put":
      return { kind: "motion-put", number, subject: motionSubject(details.subject, clauseNumber) };
    case "motion.closed":
      return {
        kind: "motion-closed",
        number,
        outcome: String(details.outcome ?? ""),
        yes: Number(details.yes ?? 0),
        no: Number(details.no ?? 0),
        abstain: Number(details.abstain ?? 0),
      };
  }
}

function motionSubject(subject: unknown, clauseNumber: Map<string, string>): string {
  const value = (subject ?? {}) as { kind?: unknown; number?: unknown; clauseId?: unknown; bracketId?: unknown; keep?: unknown };
  if (value.kind === "bracket") return t(value.keep === null ? "meetings.subject.bracketDrop" : "meetings.subject.bracketKeep");
  if (value.kind === "amendment") return t("meetings.subject.amendment", { number: Number(value.number) });
  if (value.kind === "version") return t("meetings.subject.version", { number: Number(value.number) });
  if (value.kind === "clause") return t("meetings.subject.clause", { number: clauseNumber.get(String(value.clauseId)) ?? "?" });
  return "";
}

/**
 * Drafts a closed meeting's summary record as a draft of its own, in the language of the draft the
 * meeting was on (the caller has authorised it); the secretariat then edits it as any draft. Once:
 * a second call returns the record already drafted.
 */
export async function draftSummaryRecord(live: Live, input: { actor: Actor; meeting: Meeting }): Promise<string> {
  if (input.meeting.recordDraftId) return input.meeting.recordDraftId;
  const draft = await findDraftById(input.meeting.draftId);
  if (!draft) throw new MeetingError("meetings.error.unknown", 404);
  const facts = await gatherFacts(input.meeting, draft.language);
  const content = recordDocument(facts, draft.language);
  const title = inLanguage(draft.language, () => t("meetingRecord.documentTitle", { number: input.meeting.number, draft: draft.title })).slice(0, 200);
  const record = await createDraft({
    actor: input.actor,
    title,
    summary: inLanguage(draft.language, () => t("meetings.recordDraftSummary", { number: input.meeting.number, title: draft.title })).slice(0, 2000),
    content,
    language: draft.language,
  });
  const claimed = await sql()`
    UPDATE meetings SET record_draft_id = ${record.id}, record_state = 'drafted'
    WHERE id = ${input.meeting.id} AND record_draft_id IS NULL RETURNING id`;
  if (claimed.length === 0) {
    // Another request drafted it first: this copy goes.
    await sql()`DELETE FROM drafts WHERE id = ${record.id}`;
    const [row] = await sql()<{ record_draft_id: string }[]>`SELECT record_draft_id FROM meetings WHERE id = ${input.meeting.id}`;
    return row?.record_draft_id ?? record.id;
  }
  await recordAudit({ actor: input.actor, action: "meeting.record-drafted", target: { type: "meeting", id: input.meeting.id }, details: { draftId: input.meeting.draftId, number: input.meeting.number, recordDraftId: record.id } });
  announce(live, input.meeting, "record");
  return record.id;
}

/**
 * Circulates a drafted record to the delegations for corrections until `due` (the caller has
 * authorised it): a review round on the record, so its text stands still while delegations comment
 * on it and table corrections as amendments.
 */
export async function circulateRecord(live: Live, input: { actor: Actor; meeting: Meeting; due: Date; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  if (input.meeting.recordState !== "drafted" || !input.meeting.recordDraftId) throw new MeetingError("meetings.error.notDrafted");
  if (Number.isNaN(input.due.getTime()) || input.due.getTime() - now.getTime() < MIN_CORRECTION_PERIOD_MS) throw new MeetingError("meetings.error.dueTooSoon", 422);
  const draft = await findDraftById(input.meeting.draftId);
  try {
    await createRound(live, {
      actor: input.actor,
      draftId: input.meeting.recordDraftId,
      now,
      round: {
        name: inLanguage(draft?.language ?? "en", () => t("meetings.correctionsRound")),
        phase: "review",
        startsAt: now,
        endsAt: input.due,
        instructions: inLanguage(draft?.language ?? "en", () => t("meetings.correctionsInstructions")),
        observersComment: false,
      },
    });
  } catch (error) {
    if (error instanceof RoundInputError) throw new MeetingError("meetings.error.recordRounds");
    throw error;
  }
  await sql()`UPDATE meetings SET record_state = 'circulated', corrections_due = ${input.due} WHERE id = ${input.meeting.id}`;
  await recordAudit({ actor: input.actor, action: "meeting.record-circulated", target: { type: "meeting", id: input.meeting.id }, details: { draftId: input.meeting.draftId, number: input.meeting.number, due: input.due.toISOString() } });
  announce(live, input.meeting, "record");
}

/**
 * Finalises a circulated record (the caller has authorised it): the corrections round ends if it has
 * not, the record's text is closed, and its final text is saved as a version, which downloads as
 * PDF and DOCX.
 */
export async function finaliseRecord(live: Live, input: { actor: Actor; meeting: Meeting }): Promise<number> {
  const recordDraftId = input.meeting.recordDraftId;
  if (input.meeting.recordState !== "circulated" || !recordDraftId) throw new MeetingError("meetings.error.notCirculated");
  if (await currentRound(recordDraftId)) await advanceRound(live, { actor: input.actor, draftId: recordDraftId });
  const record = await findDraftById(recordDraftId);
  const version = await saveVersion(live, {
    actor: input.actor,
    draftId: recordDraftId,
    // Named in the record's own language, as its text is.
    name: inLanguage(record?.language ?? "en", () => t("meetings.finalVersionName", { number: input.meeting.number })),
    kind: "manual",
    origin: `meeting-record:${input.meeting.id}`,
  });
  await sql()`UPDATE meetings SET record_state = 'final', record_version = ${version.number} WHERE id = ${input.meeting.id}`;
  await recordAudit({ actor: input.actor, action: "meeting.record-finalised", target: { type: "meeting", id: input.meeting.id }, details: { draftId: input.meeting.draftId, number: input.meeting.number, version: version.number } });
  announce(live, input.meeting, "record");
  return version.number;
}
