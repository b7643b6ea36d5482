import type { Stage } from "../auth/phases";
import type { Actor } from "../auth/policy";
import type { MotionResource } from "../auth/rules/motions";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import type { Live } from "../live";
import type { MessageKey, MessageParams } from "../../i18n/translate";
import { recordAudit } from "./audit";
import { bracketsIn } from "../../schema/brackets";
import { loadDraftText } from "../text-store/current-text";
import { listDraftClauses } from "./clause-status";
import { applyMotionResult, notifyMotion } from "./motion-effects";
import { DomainError, failureMessage, storedMessage, type Message } from "./messages";
import { claimStep, failStep, findMotionStep, finishStep, recordStep } from "./pending-steps";
import { tally, type BallotChoice, type ClosedBy, type Outcome, type OutcomeReason, type Tally, type VotingRule } from "./tally";

export const VOTING_RULES = ["consensus", "majority", "two-thirds"] as const satisfies readonly VotingRule[];
export const BALLOT_CHOICES = ["yes", "no", "abstain"] as const satisfies readonly BallotChoice[];
export const MOTION_SUBJECTS = ["amendment", "clause", "version", "bracket"] as const;
export type MotionSubjectKind = (typeof MOTION_SUBJECTS)[number];
/** The longest explanation of vote. */
export const MAX_EXPLANATION_LENGTH = 2000;
/** How long before its deadline a motion reminds the delegations that have not voted. */
export const REMINDER_BEFORE_MS = 24 * 60 * 60 * 1000;

/** What applying a closed motion's result did. */
export type MotionApplication = "applied" | "nothing" | "needs-confirmation" | "failed";

/** A question put to the delegations, and once closed its stored result. */
export interface Motion {
  id: string;
  draftId: string;
  number: number;
  subject: MotionSubjectKind;
  amendmentId: string | null;
  /** The amendment's number, for a motion on an amendment. */
  amendmentNumber: number | null;
  clauseId: string | null;
  versionId: string | null;
  /** The version's number, for a motion on a version. */
  versionNumber: number | null;
  /** For a motion on a bracket: the bracket, as it stood when the motion was put. */
  bracket: MotionBracket | null;
  rule: VotingRule;
  quorum: number;
  deadline: Date;
  status: "open" | "closed";
  putBy: string;
  putByName: string;
  createdAt: Date;
  remindedAt: Date | null;
  tally: StoredTally | null;
  outcome: Outcome | null;
  reason: OutcomeReason | null;
  closedAt: Date | null;
  closedBy: ClosedBy | null;
  application: MotionApplication | null;
  /** What applying the result ran into, when it says something (a failure, a confirmation awaited). */
  applicationNote: Message | null;
}

/** What a motion on a bracket asks: keep one alternative (its words then), or drop the passage (`keep` null). */
export interface MotionBracket {
  id: string;
  keep: number | null;
  text: string | null;
  /** The bracket's clause; null in the preamble. */
  clauseId: string | null;
}

/** The tally as stored with the result: the arithmetic, and each delegation's ballot then. */
export interface StoredTally extends Tally {
  ballots: Record<string, BallotChoice>;
}

/** A delegation's ballot on a motion. */
export interface Ballot {
  delegationCode: string;
  choice: BallotChoice;
  explanation: string;
  castBy: string;
  castByName: string;
  castAt: Date;
  updatedAt: Date;
}

/** "M-3": how a motion is named. */
export function motionLabel(motion: Pick<Motion, "number">): string {
  return `M-${motion.number}`;
}

/** The policy's view of a motion, in its draft's stage, at `now`. */
export function motionResource(motion: Pick<Motion, "draftId" | "status" | "deadline">, stage: Stage, now = new Date()): MotionResource {
  return { type: "motion", draftId: motion.draftId, stage, status: motion.status, beforeDeadline: motion.deadline > now };
}

/** Input the domain refuses; `field` says which, for the answer's field errors. */
export class MotionInputError extends DomainError {
  constructor(
    readonly field: "subject" | "amendment" | "clause" | "version" | "bracket" | "rule" | "quorum" | "deadline" | "explanation" | "choice",
    key: MessageKey,
    params?: MessageParams,
  ) {
    super(key, params);
  }
}

/** The motion no longer takes ballots, or is already closed. */
export class MotionClosedError extends DomainError {
  constructor() {
    super("motions.closed");
  }
}

/** What a motion asks: adopt an amendment (by number), agree a clause (by id), adopt a version (by number). */
export type MotionSubject =
  | { kind: "amendment"; number: number }
  | { kind: "clause"; clauseId: string }
  | { kind: "version"; number: number }
  | { kind: "bracket"; bracketId: string; keep: number | null };

/**
 * Puts a motion to the delegations (the caller has authorised it): its subject must exist and be
 * open to a decision (an open amendment, a clause of the current text, a version of the draft) and
 * not already before an open motion; the quorum is between 0 and 8 and the deadline in the future.
 * Numbered next in its draft, audited, and announced to every delegation's members.
 */
export async function putMotion(live: Live, input: {
  actor: Actor;
  draftId: string;
  subject: MotionSubject;
  rule: VotingRule;
  quorum: number;
  deadline: Date;
  now?: Date;
}): Promise<Motion> {
  const now = input.now ?? new Date();
  if (!(VOTING_RULES as readonly string[]).includes(input.rule)) throw new MotionInputError("rule", "error.motion.rule");
  if (!Number.isInteger(input.quorum) || input.quorum < 0 || input.quorum > 8) throw new MotionInputError("quorum", "error.motion.quorum", { max: 8 });
  if (Number.isNaN(input.deadline.getTime())) throw new MotionInputError("deadline", "error.motion.deadlineInvalid");
  if (input.deadline <= now) throw new MotionInputError("deadline", "error.motion.deadlinePast");
  const clauseId = input.subject.kind === "clause" ? await checkClause(input.draftId, input.subject.clauseId) : null;
  const bracket = input.subject.kind === "bracket" ? await checkBracket(input.draftId, input.subject.bracketId, input.subject.keep) : null;
  const { id, recipients } = await sql().begin(async (tx) => {
    // The draft row numbers the motions of a draft one at a time.
    await tx`SELECT id FROM drafts WHERE id = ${input.draftId} FOR UPDATE`;
    const amendmentId = input.subject.kind === "amendment" ? await openAmendment(tx, input.draftId, input.subject.number) : null;
    const versionId = input.subject.kind === "version" ? await versionOf(tx, input.draftId, input.subject.number) : null;
    const [pending] = await tx`
      SELECT 1 FROM motions WHERE draft_id = ${input.draftId} AND status = 'open'
        AND (amendment_id = ${amendmentId} OR clause_id = ${clauseId} OR version_id = ${versionId} OR bracket_id = ${bracket?.id ?? null})`;
    if (pending) throw new MotionInputError(input.subject.kind, "error.motion.alreadyOpen");
    const [row] = await tx<{ id: string; number: number }[]>`
      INSERT INTO motions (draft_id, number, subject, amendment_id, clause_id, version_id, bracket_id, bracket_keep, bracket_text, bracket_clause_id,
                           rule, quorum, deadline, put_by)
      SELECT ${input.draftId}, coalesce(max(number), 0) + 1, ${input.subject.kind}, ${amendmentId}, ${clauseId}, ${versionId},
             ${bracket?.id ?? null}, ${bracket?.keep ?? null}, ${bracket?.text ?? null}, ${bracket?.clauseId ?? null},
             ${input.rule}, ${input.quorum}, ${input.deadline}, ${input.actor.id}
      FROM motions WHERE draft_id = ${input.draftId}
      RETURNING id, number`;
    if (!row) throw new Error("The motion was not stored.");
    await recordAudit(
      {
        actor: input.actor,
        action: "motion.put",
        target: { type: "motion", id: row.id },
        details: { draftId: input.draftId, number: row.number, subject: input.subject, rule: input.rule, quorum: input.quorum, deadline: input.deadline.toISOString() },
      },
      tx,
    );
    const recipients = await notifyMotion(tx, { motionId: row.id, kind: "motion-opened", actorId: input.actor.id });
    return { id: row.id, recipients };
  });
  const motion = await requireMotion(id);
  announce(live, motion, "opened", recipients);
  // The scheduler sleeps until the next thing due: this motion's deadline may be sooner.
  live.scheduler.wake();
  return motion;
}

/**
 * Records that the secretariat has now adopted an amendment that motions adopted by vote left
 * waiting for its confirmation (its words had changed since tabling): those motions are applied.
 */
export async function confirmMotionsOnAmendment(input: { actor: Actor; amendmentId: string }): Promise<void> {
  await sql().begin(async (tx) => {
    const confirmed = await tx<{ id: string; draft_id: string; number: number }[]>`
      UPDATE motions SET application = 'applied', application_note_key = NULL, application_note_params = NULL
      WHERE amendment_id = ${input.amendmentId} AND application = 'needs-confirmation'
      RETURNING id, draft_id, number`;
    for (const motion of confirmed) {
      await recordAudit(
        { actor: input.actor, action: "motion.applied", target: { type: "motion", id: motion.id }, details: { draftId: motion.draft_id, number: motion.number, application: "applied", confirmed: true } },
        tx,
      );
    }
  });
}

/** The motions of a draft, by number. */
export async function listMotions(draftId: string): Promise<Motion[]> {
  const rows = await sql()<MotionRow[]>`${selectMotions()} WHERE m.draft_id = ${draftId} ORDER BY m.number`;
  return rows.map(toMotion);
}

/** One motion of a draft by its number, or null. */
export async function findMotion(input: { draftId: string; number: number }): Promise<Motion | null> {
  if (!Number.isSafeInteger(input.number) || input.number < 1) return null;
  const [row] = await sql()<MotionRow[]>`${selectMotions()} WHERE m.draft_id = ${input.draftId} AND m.number = ${input.number}`;
  return row ? toMotion(row) : null;
}

/** The motions that adopted a version (its adoption is recorded on the motion: versions never change). */
export async function listVersionAdoptions(versionId: string): Promise<{ number: number; closedAt: Date }[]> {
  const rows = await sql()<{ number: number; closed_at: Date }[]>`
    SELECT number, closed_at FROM motions WHERE version_id = ${versionId} AND status = 'closed' AND outcome = 'adopted' ORDER BY number`;
  return rows.map((row) => ({ number: row.number, closedAt: row.closed_at }));
}

/** The ballots cast on a motion, by delegation. */
export async function listBallots(motionId: string): Promise<Ballot[]> {
  const rows = await sql()<BallotRow[]>`
    SELECT b.delegation_code, b.choice, b.explanation, b.cast_by, u.display_name AS cast_by_name, b.cast_at, b.updated_at
    FROM ballots b JOIN users u ON u.id = b.cast_by JOIN delegations d ON d.code = b.delegation_code
    WHERE b.motion_id = ${motionId} ORDER BY d.position`;
  return rows.map((row) => ({
    delegationCode: row.delegation_code,
    choice: row.choice,
    explanation: row.explanation,
    castBy: row.cast_by,
    castByName: row.cast_by_name,
    castAt: row.cast_at,
    updatedAt: row.updated_at,
  }));
}

/**
 * Casts or replaces the actor's delegation's ballot (the caller has authorised it). One ballot per
 * delegation however many heads vote at once: the row is upserted, and the motion row is locked in
 * share mode so that no ballot slips in after the motion closed.
 */
export async function castBallot(live: Live, input: { actor: Actor; motion: Motion; choice: BallotChoice; explanation: string; now?: Date }): Promise<Ballot> {
  const delegationCode = input.actor.delegationCode;
  if (!delegationCode) throw new Error("Only a delegation votes.");
  if (!(BALLOT_CHOICES as readonly string[]).includes(input.choice)) throw new MotionInputError("choice", "error.motion.choice");
  const explanation = input.explanation.trim();
  if (explanation.length > MAX_EXPLANATION_LENGTH) throw new MotionInputError("explanation", "error.motion.explanationTooLong", { max: MAX_EXPLANATION_LENGTH });
  await sql().begin(async (tx) => {
    await lockOpen(tx, input.motion.id, input.now ?? new Date());
    const [row] = await tx<{ inserted: boolean }[]>`
      INSERT INTO ballots (motion_id, delegation_code, choice, explanation, cast_by)
      VALUES (${input.motion.id}, ${delegationCode}, ${input.choice}, ${explanation}, ${input.actor.id})
      ON CONFLICT (motion_id, delegation_code) DO UPDATE
        SET choice = EXCLUDED.choice, explanation = EXCLUDED.explanation, cast_by = EXCLUDED.cast_by, updated_at = now()
      RETURNING (xmax = 0) AS inserted`;
    await recordAudit(
      {
        actor: input.actor,
        action: row?.inserted ? "ballot.cast" : "ballot.changed",
        target: { type: "motion", id: input.motion.id },
        details: { draftId: input.motion.draftId, number: input.motion.number, choice: input.choice },
      },
      tx,
    );
  });
  announce(live, input.motion, "ballot", []);
  const ballot = (await listBallots(input.motion.id)).find((candidate) => candidate.delegationCode === delegationCode);
  if (!ballot) throw new Error("The ballot was not stored.");
  return ballot;
}

/** Withdraws the actor's delegation's ballot while the motion is open; false when there was none. */
export async function withdrawBallot(live: Live, input: { actor: Actor; motion: Motion; now?: Date }): Promise<boolean> {
  const withdrawn = await sql().begin(async (tx) => {
    await lockOpen(tx, input.motion.id, input.now ?? new Date());
    const deleted = await tx`DELETE FROM ballots WHERE motion_id = ${input.motion.id} AND delegation_code = ${input.actor.delegationCode} RETURNING choice`;
    if (deleted.length === 0) return false;
    await recordAudit(
      { actor: input.actor, action: "ballot.withdrawn", target: { type: "motion", id: input.motion.id }, details: { draftId: input.motion.draftId, number: input.motion.number } },
      tx,
    );
    return true;
  });
  if (withdrawn) announce(live, input.motion, "ballot", []);
  return withdrawn;
}

/**
 * Closes an open motion: at its deadline (`actor` null) or early by the secretariat. The result is
 * computed with `tally()` from the ballots as they stand, stored with the tally and audited, with a
 * pending step in the same transaction; the step (applying the result, then telling everyone) is
 * then run, and retried by the scheduler until done. Returns null when it was already closed.
 */
export async function closeMotion(live: Live, input: { motionId: string; closedBy: ClosedBy; actor: Actor | null; now?: Date }): Promise<Motion | null> {
  const now = input.now ?? new Date();
  const closed = await sql().begin(async (tx) => {
    const [motion] = await tx<{ id: string; draft_id: string; number: number; rule: VotingRule; quorum: number }[]>`
      SELECT id, draft_id, number, rule, quorum FROM motions WHERE id = ${input.motionId} AND status = 'open' FOR UPDATE`;
    if (!motion) return false;
    const delegations = await tx<{ code: string }[]>`SELECT code FROM delegations ORDER BY position`;
    const ballots = await tx<{ delegation_code: string; choice: BallotChoice }[]>`
      SELECT delegation_code, choice FROM ballots WHERE motion_id = ${motion.id}`;
    const cast = Object.fromEntries(ballots.map((ballot) => [ballot.delegation_code, ballot.choice]));
    const result = tally({ rule: motion.rule, quorum: motion.quorum, eligible: delegations.map((row) => row.code), ballots: cast, closedBy: input.closedBy });
    const stored: StoredTally = { ...result, ballots: cast };
    await tx`
      UPDATE motions SET status = 'closed', tally = ${tx.json(stored as never)}, outcome = ${result.outcome}, reason = ${result.reason},
        closed_at = ${now}, closed_by = ${input.closedBy}, closed_by_user = ${input.actor?.id ?? null}
      WHERE id = ${motion.id}`;
    await recordAudit(
      {
        actor: input.actor,
        action: "motion.closed",
        target: { type: "motion", id: motion.id },
        details: { draftId: motion.draft_id, number: motion.number, closedBy: input.closedBy, outcome: result.outcome, reason: result.reason, yes: result.yes, no: result.no, abstain: result.abstain },
      },
      tx,
    );
    await recordStep(tx, { kind: "motion-result", motionId: motion.id, draftId: motion.draft_id });
    return true;
  });
  if (!closed) return null;
  announce(live, await requireMotion(input.motionId), "closed", []);
  await completeMotionResult(live, input.motionId, input.actor?.id ?? null);
  return requireMotion(input.motionId);
}

/**
 * Runs a closed motion's pending step once, if it is due and nobody else holds it: applies the
 * result (see `applyMotionResult`), then records the application, audits it, tells everyone and
 * marks the step done, all in one transaction. A failure that may pass (the text could not be
 * stored, the collaboration server is not up, any unexpected error) is recorded on the motion and
 * the step, which stays pending with its reason; the scheduler tries again with back-off.
 */
export async function completeMotionResult(live: Live, motionId: string, actorId: string | null = null): Promise<void> {
  const step = await findMotionStep(motionId);
  const claim = step ? await claimStep(step.id) : null;
  if (!step || !claim) return;
  const motion = await requireMotion(motionId);
  let effect: Awaited<ReturnType<typeof applyMotionResult>>;
  try {
    effect = await applyMotionResult(live, motion);
  } catch (error) {
    effect = { application: "failed", note: failureMessage(error), retry: true };
  }
  if (effect.retry) {
    const reason = effect.note;
    await sql().begin(async (tx) => {
      await tx`
        UPDATE motions SET application = 'failed', application_note_key = ${reason.key}, application_note_params = ${tx.json(reason.params)}
        WHERE id = ${motionId} AND status = 'closed'`;
      await failStep(tx, { id: step.id, attempts: claim.attempts, reason });
    });
    announce(live, motion, "closed", []);
    return;
  }
  const recipients = await sql().begin(async (tx) => {
    // Done once: a second attempt that got here (its claim ran out) records nothing more.
    if (!(await finishStep(tx, step.id))) return [];
    await tx`
      UPDATE motions SET application = ${effect.application}, application_note_key = ${effect.note?.key ?? null},
        application_note_params = ${effect.note ? tx.json(effect.note.params) : null}
      WHERE id = ${motionId}`;
    await recordAudit(
      { actor: null, action: "motion.applied", target: { type: "motion", id: motionId }, details: { draftId: motion.draftId, number: motion.number, outcome: motion.outcome, application: effect.application, note: effect.note, attempts: claim.attempts } },
      tx,
    );
    return notifyMotion(tx, { motionId, kind: "motion-result", actorId });
  });
  announce(live, motion, "closed", recipients);
}

/** Closes every open motion whose deadline has come (missed ones at start-up, recorded as late). */
export async function closeDueMotions(live: Live, now = new Date()): Promise<Motion[]> {
  const due = await sql()<{ id: string }[]>`SELECT id FROM motions WHERE status = 'open' AND deadline <= ${now} ORDER BY deadline`;
  const closed: Motion[] = [];
  for (const { id } of due) {
    const motion = await closeMotion(live, { motionId: id, closedBy: "deadline", actor: null, now });
    if (motion) closed.push(motion);
  }
  return closed;
}

/**
 * Reminds the members of the delegations that have not voted, once per motion, when its deadline is
 * 24 hours away or less (not for a motion put less than 24 hours before its deadline: its opening
 * notice says as much). The motion row is claimed first, so each reminder goes once.
 */
export async function sendMotionReminders(live: Live, now = new Date()): Promise<number> {
  const due = await sql()<{ id: string }[]>`
    SELECT id FROM motions WHERE status = 'open' AND reminded_at IS NULL AND deadline > ${now}
      AND deadline - interval '24 hours' <= ${now} AND deadline - interval '24 hours' > created_at`;
  let sent = 0;
  for (const { id } of due) {
    const recipients = await sql().begin(async (tx) => {
      const [claimed] = await tx`UPDATE motions SET reminded_at = ${now} WHERE id = ${id} AND reminded_at IS NULL RETURNING id`;
      if (!claimed) return [];
      return notifyMotion(tx, { motionId: id, kind: "motion-closing", actorId: null });
    });
    if (recipients.length) announce(live, await requireMotion(id), "reminded", recipients);
    sent += recipients.length;
  }
  return sent;
}

/** When the scheduler next has a motion to close or a reminder to send, or null. */
export async function nextMotionDueAt(): Promise<Date | null> {
  const [row] = await sql()<{ at: Date | null }[]>`
    SELECT min(CASE WHEN reminded_at IS NULL AND deadline - interval '24 hours' > created_at THEN deadline - interval '24 hours' ELSE deadline END) AS at
    FROM motions WHERE status = 'open'`;
  return row?.at ?? null;
}

/** What happened to a motion, as the event stream announces it. */
export type MotionChange = "opened" | "ballot" | "closed" | "reminded";

function announce(live: Live, motion: Pick<Motion, "draftId" | "number">, change: MotionChange, recipients: string[]): void {
  live.drafts.publish({ type: "motion", draftId: motion.draftId, number: motion.number, change });
  for (const recipientId of recipients) live.drafts.publish({ type: "notification", recipientId });
}

async function lockOpen(tx: Queryable, motionId: string, now: Date): Promise<void> {
  const [row] = await tx<{ status: string; deadline: Date }[]>`SELECT status, deadline FROM motions WHERE id = ${motionId} FOR SHARE`;
  if (!row || row.status !== "open" || row.deadline <= now) throw new MotionClosedError();
}

async function checkClause(draftId: string, clauseId: string): Promise<string> {
  const clauses = await listDraftClauses(draftId);
  if (!clauses.some((clause) => clause.id === clauseId)) throw new MotionInputError("clause", "error.motion.clauseUnknown");
  return clauseId;
}

// The bracket must be open in the current text, and the alternative to keep one of its own.
async function checkBracket(draftId: string, bracketId: string, keep: number | null): Promise<MotionBracket> {
  const bracket = bracketsIn(await loadDraftText(draftId)).find((item) => item.id === bracketId);
  if (!bracket) throw new MotionInputError("bracket", "error.motion.bracketUnknown");
  const kept = keep === null ? null : bracket.options.find((option) => option.option === keep);
  if (kept === undefined) throw new MotionInputError("bracket", "error.motion.bracketUnknown");
  return { id: bracket.id, keep, text: kept ? kept.text.slice(0, 2000) : null, clauseId: bracket.clauseId };
}

async function openAmendment(tx: Queryable, draftId: string, number: number): Promise<string> {
  const [row] = await tx<{ id: string; status: string }[]>`SELECT id, status FROM amendments WHERE draft_id = ${draftId} AND number = ${number}`;
  if (!row) throw new MotionInputError("amendment", "error.motion.amendmentUnknown");
  if (row.status !== "open") throw new MotionInputError("amendment", "error.motion.amendmentNotOpen", { status: row.status });
  return row.id;
}

async function versionOf(tx: Queryable, draftId: string, number: number): Promise<string> {
  const [row] = await tx<{ id: string }[]>`SELECT id FROM versions WHERE draft_id = ${draftId} AND number = ${number}`;
  if (!row) throw new MotionInputError("version", "error.motion.versionUnknown");
  return row.id;
}

async function requireMotion(id: string): Promise<Motion> {
  const [row] = await sql()<MotionRow[]>`${selectMotions()} WHERE m.id = ${id}`;
  if (!row) throw new Error("The motion was not found.");
  return toMotion(row);
}

function selectMotions() {
  return sql()`
    SELECT m.id, m.draft_id, m.number, m.subject, m.amendment_id, a.number AS amendment_number, m.clause_id, m.version_id,
           m.bracket_id, m.bracket_keep, m.bracket_text, m.bracket_clause_id,
           v.number AS version_number, m.rule, m.quorum, m.deadline, m.status, m.put_by, u.display_name AS put_by_name,
           m.created_at, m.reminded_at, m.tally, m.outcome, m.reason, m.closed_at, m.closed_by, m.application,
           m.application_note_key, m.application_note_params
    FROM motions m JOIN users u ON u.id = m.put_by
      LEFT JOIN amendments a ON a.id = m.amendment_id LEFT JOIN versions v ON v.id = m.version_id`;
}

interface MotionRow {
  id: string;
  draft_id: string;
  number: number;
  subject: MotionSubjectKind;
  amendment_id: string | null;
  amendment_number: number | null;
  clause_id: string | null;
  version_id: string | null;
  version_number: number | null;
  bracket_id: string | null;
  bracket_keep: number | null;
  bracket_text: string | null;
  bracket_clause_id: string | null;
  rule: VotingRule;
  quorum: number;
  deadline: Date;
  status: "open" | "closed";
  put_by: string;
  put_by_name: string;
  created_at: Date;
  reminded_at: Date | null;
  tally: StoredTally | null;
  outcome: Outcome | null;
  reason: OutcomeReason | null;
  closed_at: Date | null;
  closed_by: ClosedBy | null;
  application: MotionApplication | null;
  application_note_key: string | null;
  application_note_params: MessageParams | null;
}

interface BallotRow {
  delegation_code: string;
  choice: BallotChoice;
  explanation: string;
  cast_by: string;
  cast_by_name: string;
  cast_at: Date;
  updated_at: Date;
}

function toMotion(row: MotionRow): Motion {
  return {
    id: row.id,
    draftId: row.draft_id,
    number: row.number,
    subject: row.subject,
    amendmentId: row.amendment_id,
    amendmentNumber: row.amendment_number,
    clauseId: row.clause_id,
    versionId: row.version_id,
    versionNumber: row.version_number,
    bracket: row.bracket_id ? { id: row.bracket_id, keep: row.bracket_keep, text: row.bracket_text, clauseId: row.bracket_clause_id } : null,
    rule: row.rule,
    quorum: row.quorum,
    deadline: row.deadline,
    status: row.status,
    putBy: row.put_by,
    putByName: row.put_by_name,
    createdAt: row.created_at,
    remindedAt: row.reminded_at,
    tally: row.tally,
    outcome: row.outcome,
    reason: row.reason,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    application: row.application,
    applicationNote: storedMessage(row.application_note_key, row.application_note_params),
  };
}
