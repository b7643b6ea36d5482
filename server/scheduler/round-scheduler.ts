import { applyDueTransitions, nextTransitionAt, onRoundsChanged } from "../domain/rounds";

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
 * down, then sleeps until the next round starts or ends (at most `MAX_SLEEP_MS`), wakes, applies
 * it, and so on. Rounds changed by hand wake it early. Transitions lock their draft, so running it
 * in several processes makes each change once.
 */
export function startRoundScheduler(options: { now?: () => Date; onError?: (error: unknown) => void } = {}): RoundScheduler {
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
      await applyDueTransitions({ now: now() });
    } catch (error) {
      onError(error);
    }
    if (stopped) return;
    let wait = MAX_SLEEP_MS;
    try {
      const next = await nextTransitionAt();
      if (next) wait = Math.min(MAX_SLEEP_MS, Math.max(0, next.getTime() - now().getTime()));
    } catch (error) {
      onError(error);
    }
    if (stopped) return;
    // A few milliseconds late rather than early, so the change is due when the timer fires.
    timer = setTimeout(() => void run(), wait + 5);
    timer.unref();
  }

  onRoundsChanged(() => void run());
  const ready = run();
  return {
    ready,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      onRoundsChanged(undefined);
      await current;
    },
  };
}
