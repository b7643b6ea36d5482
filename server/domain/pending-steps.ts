import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";

/** After this many failed attempts a step is shown on the desk as failing. */
export const FAILING_AFTER_ATTEMPTS = 3;
/** How long one attempt may hold a step before another process may take it over. */
const CLAIM_SECONDS = 120;
/** Back-off between attempts: 5 s, 10 s, 20 s … at most 10 minutes. */
const BACKOFF_BASE_SECONDS = 5;
const BACKOFF_MAX_SECONDS = 600;
/**
 * A new step is left to the attempt its closer makes at once; the scheduler takes it only if that
 * attempt never ran (the process stopped), so the two do not race and the closer sees the result.
 */
const FIRST_ATTEMPT_GRACE_SECONDS = 30;

/** A step that keeps failing, as the desk shows it. */
export interface FailingStep {
  motionId: string;
  motionNumber: number;
  attempts: number;
  lastError: string;
  nextAttemptAt: Date;
}

/**
 * Records, inside the transaction that closes a motion, that its result is still to be applied and
 * announced: if the process stops before that is done, the scheduler does it at its next pass.
 */
export async function recordMotionResultStep(tx: Queryable, input: { motionId: string; draftId: string }): Promise<void> {
  await tx`
    INSERT INTO pending_steps (kind, motion_id, draft_id, next_attempt_at)
    VALUES ('motion-result', ${input.motionId}, ${input.draftId}, now() + make_interval(secs => ${FIRST_ATTEMPT_GRACE_SECONDS}))
    ON CONFLICT (kind, motion_id) DO NOTHING`;
}

/**
 * Takes a motion's pending step for one attempt, or null when it is done or another attempt holds
 * it. The claim is committed before any work, so that an attempt that dies is still counted and a
 * second process does not run the step at the same time.
 */
export async function claimMotionResultStep(motionId: string): Promise<{ attempts: number } | null> {
  const [row] = await sql()<{ attempts: number }[]>`
    UPDATE pending_steps SET attempts = attempts + 1, claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS})
    WHERE kind = 'motion-result' AND motion_id = ${motionId} AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
    RETURNING attempts`;
  return row ?? null;
}

/**
 * Marks the step done inside the caller's transaction (the one that records what it did); false
 * when it was already done, in which case the caller must record nothing.
 */
export async function finishMotionResultStep(tx: Queryable, motionId: string): Promise<boolean> {
  const rows = await tx`
    UPDATE pending_steps SET done_at = now(), claimed_until = NULL, last_error = ''
    WHERE kind = 'motion-result' AND motion_id = ${motionId} AND done_at IS NULL RETURNING id`;
  return rows.length > 0;
}

/** Releases a failed attempt: the step stays pending with its reason and waits longer each time. */
export async function failMotionResultStep(tx: Queryable, input: { motionId: string; attempts: number; reason: string }): Promise<void> {
  const wait = Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, input.attempts - 1));
  await tx`
    UPDATE pending_steps SET claimed_until = NULL, last_error = ${input.reason.slice(0, 2000)}, next_attempt_at = now() + make_interval(secs => ${wait})
    WHERE kind = 'motion-result' AND motion_id = ${input.motionId} AND done_at IS NULL`;
}

/** The motions whose pending step is due for an attempt now. */
export async function dueMotionResultSteps(): Promise<string[]> {
  const rows = await sql()<{ motion_id: string }[]>`
    SELECT motion_id FROM pending_steps
    WHERE kind = 'motion-result' AND done_at IS NULL AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
    ORDER BY created_at LIMIT 100`;
  return rows.map((row) => row.motion_id);
}

/** When the next pending step is due, or null. */
export async function nextStepDueAt(): Promise<Date | null> {
  const [row] = await sql()<{ at: Date | null }[]>`
    SELECT min(greatest(next_attempt_at, coalesce(claimed_until, next_attempt_at))) AS at FROM pending_steps WHERE done_at IS NULL`;
  return row?.at ?? null;
}

/** The steps of a draft that have failed at least `FAILING_AFTER_ATTEMPTS` times and are not done. */
export async function listFailingSteps(draftId: string): Promise<FailingStep[]> {
  const rows = await sql()<{ motion_id: string; number: number; attempts: number; last_error: string; next_attempt_at: Date }[]>`
    SELECT s.motion_id, m.number, s.attempts, s.last_error, s.next_attempt_at
    FROM pending_steps s JOIN motions m ON m.id = s.motion_id
    WHERE s.draft_id = ${draftId} AND s.done_at IS NULL AND s.attempts >= ${FAILING_AFTER_ATTEMPTS}
    ORDER BY m.number`;
  return rows.map((row) => ({ motionId: row.motion_id, motionNumber: row.number, attempts: row.attempts, lastError: row.last_error, nextAttemptAt: row.next_attempt_at }));
}

/** Makes a draft's pending step for a motion due now (a retry asked for on the desk); false when none. */
export async function makeStepDueNow(input: { draftId: string; motionId: string }): Promise<boolean> {
  const rows = await sql()`
    UPDATE pending_steps SET next_attempt_at = now()
    WHERE draft_id = ${input.draftId} AND motion_id = ${input.motionId} AND done_at IS NULL RETURNING id`;
  return rows.length > 0;
}
