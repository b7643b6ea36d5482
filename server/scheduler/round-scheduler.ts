import { closeDueMotions, nextMotionDueAt, sendMotionReminders } from "../domain/motions";
import { nextStepDueAt } from "../domain/pending-steps";
import { retryDueSteps } from "../domain/step-runner";
import { guarded } from "../failures";
import { applyDueTransitions, nextTransitionAt } from "../domain/rounds";
import type { Live } from "../live";

/** The longest the scheduler sleeps before looking again (rounds can also change in another process). */
export const MAX_SLEEP_MS = 30_000;

/** A running scheduler of round transitions. */
export interface RoundScheduler {
  /** Resolves once the transitions missed while the server was down have been made. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Changes drafts' phases on time: at start-up it makes every change missed while the server was
 * down, then sleeps until the next round starts or ends or a motion's deadline or reminder is due
 * or a pending step's retry (at most `MAX_SLEEP_MS`), wakes, applies it, and so on; motions missed
 * while down close at start-up, and steps a crash left pending are finished then.
 * Rounds changed by hand and new motions wake it early. Transitions lock their draft and motions
 * their row, so running it in several processes makes each change once.
 */
export function startRoundScheduler(live: Live, options: { now?: () => Date; onError?: (error: unknown) => void } = {}): RoundScheduler {
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? ((error: unknown) => console.warn("Round transitions failed:", error instanceof Error ? error.message : error));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> | null = null;
  let again = false;

  // One pass at a time; a wake-up during a pass makes one more pass after it.
  const run = (): Promise<void> => {
    if (stopped) return current ?? Promise.resolve();
    if (current) {
      again = true;
      return current;
    }
    current = pass().finally(() => {
      current = null;
      if (again && !stopped) {
        again = false;
        void run();
      }
    });
    return current;
  };

  async function pass(): Promise<void> {
    clearTimeout(timer);
    try {
      await applyDueTransitions(live, { now: now() });
    } catch (error) {
      onError(error);
    }
    // Motions whose deadline has come close (at start-up, those missed while down), and motions a
    // day from their deadline remind the delegations that have not voted.
    try {
      await closeDueMotions(live, now());
      await sendMotionReminders(live, now());
    } catch (error) {
      onError(error);
    }
    // Steps recorded but not finished (a crash, a failed edit) are tried again, with back-off.
    try {
      await retryDueSteps(live);
    } catch (error) {
      onError(error);
    }
    if (stopped) return;
    let wait = MAX_SLEEP_MS;
    try {
      const times = (await Promise.all([nextTransitionAt(), nextMotionDueAt(), nextStepDueAt()])).filter((at): at is Date => at !== null);
      const next = times.length ? new Date(Math.min(...times.map((at) => at.getTime()))) : null;
      if (next) wait = Math.min(MAX_SLEEP_MS, Math.max(0, next.getTime() - now().getTime()));
    } catch (error) {
      onError(error);
    }
    if (stopped) return;
    // A few milliseconds late rather than early, so the change is due when the timer fires.
    timer = setTimeout(wake, wait + 5);
    timer.unref();
  }

  // A failure in a wake-up (a throwing `onError`) is logged; the next wake-up runs as usual.
  const wake = guarded("round scheduler", run);
  live.scheduler.attach(wake);
  const ready = run();
  return {
    ready,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      live.scheduler.attach(undefined);
      await current;
    },
  };
}
