import type { MessageKey, MessageParams } from "../../i18n/translate";
import { editingClosedReason, OPEN_STAGE, type Phase, type Stage } from "../auth/phases";
import type { Actor } from "../auth/policy";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { recordAudit } from "./audit";
import { setDraftStage } from "./drafts";
import { DomainError, failureMessage, isMessage, message, type Message } from "./messages";
import { announceNotifications, notifyPhaseChange } from "./notifications";
import { claimStep, failStep, findStep, finishStep, recordStep } from "./pending-steps";
import { isPublishedVersion } from "./publications";
import { isUuid } from "./users";
import { saveVersion } from "./versions";

/** The longest name and instructions a round may have. */
export const MAX_ROUND_NAME = 200;
export const MAX_INSTRUCTIONS = 5000;

/**
 * A time-boxed phase of a draft. Times are stored in UTC. A round is scheduled until its start
 * comes (then it is opened: the draft's current round), and ends at its end (or by hand).
 */
export interface Round {
  id: string;
  draftId: string;
  name: string;
  phase: Phase;
  startsAt: Date;
  endsAt: Date | null;
  instructions: string;
  observersComment: boolean;
  /** The published version open to public feedback (consultation rounds only). */
  versionId: string | null;
  createdAt: Date;
  openedAt: Date | null;
  endedAt: Date | null;
}

/** Where a round stands. */
export type RoundState = "scheduled" | "current" | "ended";

export function roundState(round: Pick<Round, "openedAt" | "endedAt">): RoundState {
  return round.endedAt ? "ended" : round.openedAt ? "current" : "scheduled";
}

/** Input the domain refuses, with the field it concerns. */
export class RoundInputError extends DomainError {
  constructor(
    readonly field: "name" | "phase" | "startsAt" | "endsAt" | "instructions" | "versionId" | "round",
    key: MessageKey,
    params?: MessageParams,
  ) {
    super(key, params);
  }
}

/** A new round's fields. */
export interface RoundInput {
  name: string;
  phase: Phase;
  startsAt: Date;
  endsAt: Date | null;
  instructions: string;
  observersComment: boolean;
  /** The published version a consultation round opens to feedback; null for other phases. */
  versionId?: string | null;
}

/**
 * Schedules a round on a draft (the caller has authorised it). It may not overlap another round of
 * the draft. A consultation round names a published version of the draft, which it opens to public
 * feedback. A round whose start has come opens at once.
 */
export async function createRound(live: Live, input: { actor: Actor; draftId: string; round: RoundInput; now?: Date }): Promise<Round> {
  const round = checkRound(input.round, input.now ?? new Date());
  if (round.phase === "consultation" && !(round.versionId && (await isPublishedVersion(input.draftId, round.versionId)))) {
    throw new RoundInputError("versionId", "error.round.versionRequired");
  }
  const id = await sql().begin(async (tx) => {
    await lockDraft(tx, input.draftId);
    const others = await roundsOf(tx, input.draftId);
    const clash = others.find((other) => overlaps(round, other));
    if (clash) throw new RoundInputError("startsAt", "error.round.overlaps", { name: clash.name });
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO rounds (draft_id, name, phase, starts_at, ends_at, instructions, observers_comment, version_id, created_by)
      VALUES (${input.draftId}, ${round.name}, ${round.phase}, ${round.startsAt}, ${round.endsAt}, ${round.instructions},
              ${round.observersComment}, ${round.versionId}, ${input.actor.id})
      RETURNING id`;
    if (!row) throw new Error("The round was not stored.");
    await recordAudit(
      {
        actor: input.actor,
        action: "round.created",
        target: { type: "round", id: row.id },
        details: {
          draftId: input.draftId,
          name: round.name,
          phase: round.phase,
          startsAt: round.startsAt,
          endsAt: round.endsAt,
          versionId: round.versionId,
        },
      },
      tx,
    );
    return row.id;
  });
  live.publicContent.changed();
  await applyDueTransitions(live, { now: input.now, draftId: input.draftId });
  live.scheduler.wake();
  return requireRound(input.draftId, id);
}

/** Removes a round that has not opened yet. */
export async function cancelRound(live: Live, input: { actor: Actor; round: Round }): Promise<void> {
  await sql().begin(async (tx) => {
    await lockDraft(tx, input.round.draftId);
    const deleted = await tx`DELETE FROM rounds WHERE id = ${input.round.id} AND opened_at IS NULL RETURNING id`;
    if (deleted.length === 0) throw new RoundInputError("round", "error.round.notCancellable");
    await recordAudit(
      { actor: input.actor, action: "round.cancelled", target: { type: "round", id: input.round.id }, details: { draftId: input.round.draftId, name: input.round.name } },
      tx,
    );
  });
  live.publicContent.changed();
  live.scheduler.wake();
}

/**
 * Moves the draft on to its next phase now: the current round ends, and the next scheduled round
 * (if any) opens at once. With no next round the draft is closed.
 */
export async function advanceRound(live: Live, input: { actor: Actor; draftId: string; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  await sql().begin(async (tx) => {
    await lockDraft(tx, input.draftId);
    const rounds = await roundsOf(tx, input.draftId);
    const current = rounds.find((round) => roundState(round) === "current");
    const next = rounds.find((round) => roundState(round) === "scheduled");
    if (!current && !next) throw new RoundInputError("round", "error.round.nothingNext");
    if (current) await tx`UPDATE rounds SET ends_at = ${now} WHERE id = ${current.id}`;
    // The next round starts now, keeping its end (or ending when it would have, if later than now).
    if (next) await tx`UPDATE rounds SET starts_at = ${now}, ends_at = CASE WHEN ends_at > ${now} THEN ends_at END WHERE id = ${next.id}`;
    await recordAudit(
      {
        actor: input.actor,
        action: "round.advanced",
        target: { type: "draft", id: input.draftId },
        details: { ended: current?.id ?? null, opened: next?.id ?? null },
      },
      tx,
    );
  });
  live.publicContent.changed();
  await applyDueTransitions(live, { now, draftId: input.draftId });
  live.scheduler.wake();
}

/** The rounds of a draft, in time order. */
export async function listRounds(draftId: string): Promise<Round[]> {
  return roundsOf(sql(), draftId);
}

/** One round of a draft, or null. */
export async function findRound(draftId: string, roundId: string): Promise<Round | null> {
  if (!isUuid(roundId)) return null;
  const [row] = await sql()<RoundRow[]>`SELECT ${columns()} FROM rounds WHERE id = ${roundId} AND draft_id = ${draftId}`;
  return row ? toRound(row) : null;
}

/** The draft's current round, or null. */
export async function currentRound(draftId: string): Promise<Round | null> {
  const [row] = await sql()<RoundRow[]>`
    SELECT ${columns()} FROM rounds WHERE draft_id = ${draftId} AND opened_at IS NOT NULL AND ended_at IS NULL`;
  return row ? toRound(row) : null;
}

/** One change of a draft's phase made by `applyDueTransitions`. */
export interface Transition {
  draftId: string;
  roundId: string;
  change: "opened" | "ended";
  phase: Phase;
  /** When it was due: the round's start or end. */
  dueAt: Date;
}

/**
 * Makes every change of phase that is due by `now` happen, in time order, each audited: rounds
 * whose start has come open, current rounds whose end has come end. A change missed while the
 * server was down happens here, at start-up (recorded with when it was due). Drafts are locked one
 * at a time, so a transition happens once however many processes or timers run this.
 */
export async function applyDueTransitions(live: Live, options: { now?: Date; draftId?: string } = {}): Promise<Transition[]> {
  const now = options.now ?? new Date();
  const due = await sql()<{ draft_id: string }[]>`
    SELECT DISTINCT draft_id FROM rounds
    WHERE ended_at IS NULL
      AND ((opened_at IS NULL AND starts_at <= ${now}) OR (opened_at IS NOT NULL AND ends_at <= ${now}))
      AND ${options.draftId ? sql()`draft_id = ${options.draftId}` : sql()`true`}`;
  const transitions: Transition[] = [];
  for (const { draft_id: draftId } of due) {
    const { made, stage, roundId, notified, versionStep } = await transitionExactly(live, draftId, now);
    if (made.length === 0) continue;
    transitions.push(...made);
    // Whether the public may send feedback, and until when, is on the public pages.
    live.publicContent.changed();
    live.drafts.publish({ type: "stage", draftId, stage, roundId });
    announceNotifications(live, notified);
    if (versionStep) await completePhaseVersion(live, versionStep);
  }
  return transitions;
}

// A transition planned without the lock turned out different under it: planned again.
class PlanChanged extends Error {}

// One draft's due changes of phase, committed. When they close writing, writing is closed first
// (no update accepted from then on, every one accepted before durable) and only then is the change
// committed, so that the version taken after it holds exactly what was accepted before it. Writers
// are stopped before the transaction, not inside it: making their updates durable needs the
// database, which the embedded Postgres's one connection would be holding for the transaction. So
// the plan is read without the lock and checked again under it.
async function transitionExactly(live: Live, draftId: string, now: Date): Promise<TransitionResult & { notified: string[]; versionStep: string | null }> {
  for (let attempt = 1; ; attempt += 1) {
    const planned = planTransitions(draftId, await roundsOf(sql(), draftId), now);
    const closing = planned.made.length ? editingClosedReason(planned.stage) : null;
    let result: TransitionResult & { notified: string[]; versionStep: string | null };
    try {
      if (closing) await live.texts.closeWriting(draftId, closing);
      result = await sql().begin(async (tx) => {
        await lockDraft(tx, draftId);
        const result = await transitionDraft(tx, draftId, now);
        if (result.made.length && closing === null && editingClosedReason(result.stage) !== null) throw new PlanChanged();
        // Everyone hears of the draft's new phase, once, however many rounds it passed through.
        const notified = result.made.length ? await notifyPhaseChange(tx, { draftId, phase: result.stage.phase ?? "drafting" }) : [];
        // The version the change keeps is a step of its own, recorded with it: saved even if the
        // process stops before it is.
        const versionStep = result.made.length
          ? await recordStep(tx, { kind: "phase-version", draftId, details: { name: await phaseVersionName(tx, result) } })
          : null;
        return { ...result, notified, versionStep };
      });
    } catch (error) {
      if (closing) await live.texts.reopenWriting(draftId);
      if (error instanceof PlanChanged && attempt < 3) continue;
      throw error;
    }
    // Writing stays closed while the committed phase forbids it (the permission check agrees from
    // now on); otherwise the policy decides again who may write.
    if ((closing || result.made.length) && editingClosedReason(result.stage) === null) await live.texts.reopenWriting(draftId);
    return result;
  }
}

// The name of the version a change of phase keeps: the round it opened, or the phase it left.
async function phaseVersionName(tx: Queryable, result: TransitionResult): Promise<Message> {
  const opened = [...result.made].reverse().find((transition) => transition.change === "opened" && transition.phase === result.stage.phase);
  const [round] = opened ? await tx<{ name: string; phase: Phase }[]>`SELECT name, phase FROM rounds WHERE id = ${opened.roundId}` : [];
  if (round) return message("versionName.phaseStarted", { phase: round.phase, round: round.name });
  if (result.stage.phase === "closed") return message("versionName.roundsEnded");
  return message("versionName.phaseChanged", { phase: result.stage.phase ?? "drafting" });
}

/**
 * Saves the version a change of phase keeps (the text the new phase began with), once: its step
 * names it, and a retry after a stop finds the version already saved. A failure is recorded on the
 * step, which the scheduler tries again; the change itself is made and stays made.
 */
export async function completePhaseVersion(live: Live, stepId: string): Promise<void> {
  const claim = await claimStep(stepId);
  const step = claim ? await findStep(stepId) : null;
  if (!claim || !step) return;
  try {
    const recorded = step.details.name;
    const name = isMessage(recorded) ? recorded : typeof recorded === "string" && recorded.trim() ? recorded : message("versionName.phaseChange");
    await saveVersion(live, { actor: null, draftId: step.draftId, name, kind: "phase", origin: `step:${stepId}` });
    await sql().begin((tx) => finishStep(tx, stepId));
  } catch (error) {
    const reason = failureMessage(error);
    console.warn(`The version at the phase change of draft ${step.draftId} was not saved (tried again later):`, error instanceof Error ? error.message : error);
    await failStep(sql(), { id: stepId, attempts: claim.attempts, reason });
  }
}

/** When the next change of phase is due on any draft, or null when none is scheduled. */
export async function nextTransitionAt(): Promise<Date | null> {
  const [row] = await sql()<{ at: Date | null }[]>`
    SELECT min(at) AS at FROM (
      SELECT starts_at AS at FROM rounds WHERE opened_at IS NULL AND ended_at IS NULL
      UNION ALL
      SELECT ends_at FROM rounds WHERE opened_at IS NOT NULL AND ended_at IS NULL AND ends_at IS NOT NULL
    ) due`;
  return row?.at ?? null;
}

interface TransitionResult {
  made: Transition[];
  stage: Stage;
  roundId: string | null;
}

// The transitions of one draft, locked by the caller, and the draft's resulting stage.
async function transitionDraft(tx: Queryable, draftId: string, now: Date): Promise<TransitionResult> {
  const rounds = await roundsOf(tx, draftId);
  const result = planTransitions(draftId, rounds, now);
  for (const transition of result.made) {
    if (transition.change === "ended") await tx`UPDATE rounds SET ended_at = ${now} WHERE id = ${transition.roundId}`;
    else await tx`UPDATE rounds SET opened_at = ${now} WHERE id = ${transition.roundId}`;
    await auditTransition(tx, transition, now);
  }
  if (result.made.length) await setDraftStage(tx, draftId, { roundId: result.roundId, stage: result.stage });
  return result;
}

// What is due by `now` on a draft's rounds, in order, and the stage it leaves the draft in.
function planTransitions(draftId: string, rounds: Round[], now: Date): TransitionResult {
  const made: Transition[] = [];
  let current = rounds.find((round) => roundState(round) === "current") ?? null;
  const scheduled = rounds.filter((round) => roundState(round) === "scheduled" && round.startsAt <= now);
  for (;;) {
    const currentEnd = current?.endsAt && current.endsAt <= now ? current.endsAt : null;
    const next = scheduled[0] ?? null;
    if (current && (currentEnd || next)) {
      // The current round ends at its end, or when the next round's start comes first.
      const dueAt = currentEnd && (!next || currentEnd <= next.startsAt) ? currentEnd : (next?.startsAt ?? now);
      made.push({ draftId, roundId: current.id, change: "ended", phase: current.phase, dueAt });
      current = null;
      continue;
    }
    if (!current && next) {
      scheduled.shift();
      made.push({ draftId, roundId: next.id, change: "opened", phase: next.phase, dueAt: next.startsAt });
      current = { ...next, openedAt: now };
      continue;
    }
    break;
  }
  const everOpened = rounds.some((round) => round.openedAt) || made.length > 0;
  const stage: Stage = current
    ? { phase: current.phase, observersComment: current.observersComment }
    : everOpened
      ? { phase: "closed", observersComment: false }
      : OPEN_STAGE;
  return { made, stage, roundId: current?.id ?? null };
}

async function auditTransition(tx: Queryable, transition: Transition, now: Date): Promise<void> {
  await recordAudit(
    {
      actor: null,
      action: transition.change === "opened" ? "round.opened" : "round.ended",
      target: { type: "round", id: transition.roundId },
      details: {
        draftId: transition.draftId,
        phase: transition.phase,
        dueAt: transition.dueAt.toISOString(),
        // Applied late: the server was not running when it was due.
        late: now.getTime() - transition.dueAt.getTime() > 5_000,
      },
    },
    tx,
  );
}

function checkRound(input: RoundInput, now: Date): RoundInput & { versionId: string | null } {
  const name = input.name.trim();
  if (name === "") throw new RoundInputError("name", "error.round.nameRequired");
  if (name.length > MAX_ROUND_NAME) throw new RoundInputError("name", "error.round.nameTooLong", { max: MAX_ROUND_NAME });
  if (Number.isNaN(input.startsAt.getTime())) throw new RoundInputError("startsAt", "error.round.startInvalid");
  if (input.endsAt && Number.isNaN(input.endsAt.getTime())) throw new RoundInputError("endsAt", "error.round.endInvalid");
  if (input.endsAt && input.endsAt <= input.startsAt) throw new RoundInputError("endsAt", "error.round.endBeforeStart");
  if (input.endsAt && input.endsAt <= now) throw new RoundInputError("endsAt", "error.round.endPast");
  const instructions = input.instructions.trim();
  if (instructions.length > MAX_INSTRUCTIONS) throw new RoundInputError("instructions", "error.round.instructionsTooLong", { max: MAX_INSTRUCTIONS });
  // Only a consultation round opens a version to the public.
  return { ...input, name, instructions, versionId: input.phase === "consultation" ? (input.versionId ?? null) : null };
}

// Whether a new round's time overlaps an existing round's (an ended round by when it really ran).
// A round without an end lasts until the next round starts, so it overlaps nothing after it.
function overlaps(round: RoundInput, other: Round): boolean {
  const start = other.openedAt ?? other.startsAt;
  const end = other.endedAt ?? other.endsAt;
  if (round.startsAt.getTime() === start.getTime()) return true;
  if (round.startsAt < start) return round.endsAt !== null && round.endsAt > start;
  return end !== null && end > round.startsAt;
}

async function lockDraft(tx: Queryable, draftId: string): Promise<void> {
  await tx`SELECT id FROM drafts WHERE id = ${draftId} FOR UPDATE`;
}

async function requireRound(draftId: string, id: string): Promise<Round> {
  const round = await findRound(draftId, id);
  if (!round) throw new Error("The round was not found.");
  return round;
}

async function roundsOf(db: Queryable, draftId: string): Promise<Round[]> {
  const rows = await db<RoundRow[]>`SELECT ${columns()} FROM rounds WHERE draft_id = ${draftId} ORDER BY starts_at, created_at`;
  return rows.map(toRound);
}

function columns() {
  return sql()`id, draft_id, name, phase, starts_at, ends_at, instructions, observers_comment, version_id, created_at, opened_at, ended_at`;
}

interface RoundRow {
  id: string;
  draft_id: string;
  name: string;
  phase: Phase;
  starts_at: Date;
  ends_at: Date | null;
  instructions: string;
  observers_comment: boolean;
  version_id: string | null;
  created_at: Date;
  opened_at: Date | null;
  ended_at: Date | null;
}

function toRound(row: RoundRow): Round {
  return {
    id: row.id,
    draftId: row.draft_id,
    name: row.name,
    phase: row.phase,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    instructions: row.instructions,
    observersComment: row.observers_comment,
    versionId: row.version_id,
    createdAt: row.created_at,
    openedAt: row.opened_at,
    endedAt: row.ended_at,
  };
}
