import type { Live } from "../live";
import { resumeAdoption } from "./amendments";
import { completeMotionResult } from "./motions";
import { dueSteps, findStep, makeStepDueNow, type PendingStep } from "./pending-steps";
import { completePhaseVersion } from "./rounds";

/**
 * Runs one pending step by its kind. Each kind is safe to run twice and holds its step while it
 * runs, so a retry asked for on the desk and the scheduler's pass never do the work twice.
 */
export async function runStep(live: Live, step: PendingStep, actorId: string | null = null): Promise<void> {
  switch (step.kind) {
    case "motion-result":
      if (step.motionId) await completeMotionResult(live, step.motionId, actorId);
      return;
    case "amendment-adoption":
      await resumeAdoption(live, step.id);
      return;
    case "phase-version":
      await completePhaseVersion(live, step.id);
      return;
  }
}

/**
 * Runs every pending step that is due (at start-up, those a stop or crash left behind). One step
 * that throws (the database failing under it) does not hold up the others; the first error is
 * rethrown after them, and that step is tried again once its claim runs out.
 */
export async function retryDueSteps(live: Live): Promise<void> {
  let failure: unknown = null;
  for (const step of await dueSteps()) {
    try {
      await runStep(live, step);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== null) throw failure;
}

/** Runs a draft's pending step now (a retry asked for on the desk); false when the draft has no such step pending. */
export async function retryStepNow(live: Live, input: { draftId: string; stepId: string; actorId: string }): Promise<boolean> {
  if (!(await makeStepDueNow({ draftId: input.draftId, stepId: input.stepId }))) return false;
  const step = await findStep(input.stepId);
  if (step) await runStep(live, step, input.actorId);
  return true;
}
