import type { MessageParams } from "../../i18n/translate";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import { storedMessage, type Message } from "./messages";

/** After this many failed attempts a step is shown on the desk as failing. */
export const FAILING_AFTER_ATTEMPTS = 3;
/** How long one attempt may hold a step before another process may take it over. */
const CLAIM_SECONDS = 120;
/** Back-off between attempts: 5 s, 10 s, 20 s … at most 10 minutes. */
const BACKOFF_BASE_SECONDS = 5;
const BACKOFF_MAX_SECONDS = 600;
/**
 * A new step is left to the attempt its first step's caller makes at once; the scheduler takes it
 * only if that attempt never ran (the process stopped), so the two do not race and the caller sees
 * the result.
 */
const FIRST_ATTEMPT_GRACE_SECONDS = 30;

/**
 * The kinds of work that must finish once begun: a closed motion's result applied and announced;
 * an amendment's adoption (claimed, text edited, recorded); the version a change of phase keeps.
 */
export type StepKind = "motion-result" | "amendment-adoption" | "phase-version";

/** A step still to do (or done), with what it is about. */
export interface PendingStep {
  id: string;
  kind: StepKind;
  draftId: string;
  motionId: string | null;
  amendmentId: string | null;
  /** What the step needs beyond its subject, as its kind wrote it. */
  details: Record<string, unknown>;
  attempts: number;
  /** Why the last attempt failed; null when none has. */
  lastError: Message | null;
  nextAttemptAt: Date;
  done: boolean;
}

/** A step that keeps failing, as the desk shows it: with its subject's number or name. */
export interface FailingStep extends PendingStep {
  motionNumber: number | null;
  amendmentNumber: number | null;
}

/** The subject of a step being recorded. */
export type StepSubject =
  | { kind: "motion-result"; draftId: string; motionId: string }
  | { kind: "amendment-adoption"; draftId: string; amendmentId: string; details: Record<string, unknown> }
  | { kind: "phase-version"; draftId: string; details: Record<string, unknown> };

/**
 * Records, inside the transaction of a workflow's first step, the step still to do: if the process
 * stops before it is done, the scheduler does it at its next pass. A motion has one result step
 * however often this is called; returns the step's id.
 */
export async function recordStep(tx: Queryable, subject: StepSubject): Promise<string> {
  const motionId = subject.kind === "motion-result" ? subject.motionId : null;
  const amendmentId = subject.kind === "amendment-adoption" ? subject.amendmentId : null;
  const details = subject.kind === "motion-result" ? {} : subject.details;
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO pending_steps (kind, motion_id, amendment_id, draft_id, details, next_attempt_at)
    VALUES (${subject.kind}, ${motionId}, ${amendmentId}, ${subject.draftId}, ${tx.json(details as never)},
            now() + make_interval(secs => ${FIRST_ATTEMPT_GRACE_SECONDS}))
    ON CONFLICT (kind, motion_id) DO UPDATE SET kind = EXCLUDED.kind
    RETURNING id`;
  if (!row) throw new Error("The pending step was not recorded.");
  return row.id;
}

/** One step by id, or null. */
export async function findStep(id: string, db: Queryable = sql()): Promise<PendingStep | null> {
  const [row] = await db<StepRow[]>`SELECT ${columns()} FROM pending_steps s WHERE id = ${id}`;
  return row ? toStep(row) : null;
}

/** A motion's result step, or null (a motion closed before steps were recorded). */
export async function findMotionStep(motionId: string): Promise<PendingStep | null> {
  const [row] = await sql()<StepRow[]>`SELECT ${columns()} FROM pending_steps s WHERE kind = 'motion-result' AND motion_id = ${motionId}`;
  return row ? toStep(row) : null;
}

/** The adoption of an amendment that is under way (claimed, not recorded yet), or null. */
export async function findOpenAdoptionStep(amendmentId: string): Promise<PendingStep | null> {
  const [row] = await sql()<StepRow[]>`
    SELECT ${columns()} FROM pending_steps s WHERE kind = 'amendment-adoption' AND amendment_id = ${amendmentId} AND done_at IS NULL`;
  return row ? toStep(row) : null;
}

/**
 * Takes a step for one attempt, or null when it is done or another attempt holds it. The claim is
 * committed before any work, so that an attempt that dies is still counted and a second process
 * does not run the step at the same time.
 */
export async function claimStep(id: string): Promise<{ attempts: number } | null> {
  const [row] = await sql()<{ attempts: number }[]>`
    UPDATE pending_steps SET attempts = attempts + 1, claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS})
    WHERE id = ${id} AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
    RETURNING attempts`;
  return row ?? null;
}

/**
 * Marks the step done inside the caller's transaction (the one that records what it did); false
 * when it was already done, in which case the caller must record nothing.
 */
export async function finishStep(tx: Queryable, id: string): Promise<boolean> {
  const rows = await tx`
    UPDATE pending_steps SET done_at = now(), claimed_until = NULL, last_error_key = NULL, last_error_params = NULL
    WHERE id = ${id} AND done_at IS NULL RETURNING id`;
  return rows.length > 0;
}

/**
 * Removes a step whose first step was undone in the caller's transaction (an adoption whose edit
 * could not be made: the amendment is open again and nothing is left to do).
 */
export async function dropStep(tx: Queryable, id: string): Promise<void> {
  await tx`DELETE FROM pending_steps WHERE id = ${id} AND done_at IS NULL`;
}

/** Releases a failed attempt: the step stays pending with its reason and waits longer each time. */
export async function failStep(db: Queryable, input: { id: string; attempts: number; reason: Message }): Promise<void> {
  const wait = Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, input.attempts - 1));
  // An unexpected error's text can be long: its detail is kept to 2000 characters.
  const params = Object.fromEntries(Object.entries(input.reason.params).map(([name, value]) => [name, typeof value === "string" ? value.slice(0, 2000) : value]));
  await db`
    UPDATE pending_steps SET claimed_until = NULL, last_error_key = ${input.reason.key}, last_error_params = ${db.json(params)},
      next_attempt_at = now() + make_interval(secs => ${wait})
    WHERE id = ${input.id} AND done_at IS NULL`;
}

/** The steps due for an attempt now, oldest first. */
export async function dueSteps(): Promise<PendingStep[]> {
  const rows = await sql()<StepRow[]>`
    SELECT ${columns()} FROM pending_steps s
    WHERE done_at IS NULL AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
    ORDER BY created_at LIMIT 100`;
  return rows.map(toStep);
}

/** When the next pending step is due, or null. */
export async function nextStepDueAt(): Promise<Date | null> {
  const [row] = await sql()<{ at: Date | null }[]>`
    SELECT min(greatest(next_attempt_at, coalesce(claimed_until, next_attempt_at))) AS at FROM pending_steps WHERE done_at IS NULL`;
  return row?.at ?? null;
}

/** The steps of a draft that have failed at least `FAILING_AFTER_ATTEMPTS` times and are not done. */
export async function listFailingSteps(draftId: string): Promise<FailingStep[]> {
  const rows = await sql()<(StepRow & { motion_number: number | null; amendment_number: number | null })[]>`
    SELECT ${columns()}, m.number AS motion_number, a.number AS amendment_number
    FROM pending_steps s LEFT JOIN motions m ON m.id = s.motion_id LEFT JOIN amendments a ON a.id = s.amendment_id
    WHERE s.draft_id = ${draftId} AND s.done_at IS NULL AND s.attempts >= ${FAILING_AFTER_ATTEMPTS}
    ORDER BY s.created_at`;
  return rows.map((row) => ({ ...toStep(row), motionNumber: row.motion_number, amendmentNumber: row.amendment_number }));
}

/** Makes a draft's pending step due now (a retry asked for on the desk); false when it has none such. */
export async function makeStepDueNow(input: { draftId: string; stepId: string }): Promise<boolean> {
  const rows = await sql()`
    UPDATE pending_steps SET next_attempt_at = now()
    WHERE draft_id = ${input.draftId} AND id = ${input.stepId} AND done_at IS NULL RETURNING id`;
  return rows.length > 0;
}

interface StepRow {
  id: string;
  kind: StepKind;
  draft_id: string;
  motion_id: string | null;
  amendment_id: string | null;
  details: Record<string, unknown> | null;
  attempts: number;
  last_error_key: string | null;
  last_error_params: MessageParams | null;
  next_attempt_at: Date;
  done_at: Date | null;
}

// The columns of a step, of the table named `s`.
function columns() {
  return sql()`s.id, s.kind, s.draft_id, s.motion_id, s.amendment_id, s.details, s.attempts, s.last_error_key, s.last_error_params, s.next_attempt_at, s.done_at`;
}

function toStep(row: StepRow): PendingStep {
  return {
    id: row.id,
    kind: row.kind,
    draftId: row.draft_id,
    motionId: row.motion_id,
    amendmentId: row.amendment_id,
    details: row.details ?? {},
    attempts: row.attempts,
    lastError: storedMessage(row.last_error_key, row.last_error_params),
    nextAttemptAt: row.next_attempt_at,
    done: row.done_at !== null,
  };
}
