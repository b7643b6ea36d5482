// One way to report an unexpected error that was caught and confined (to a request, a socket, a
// timer tick): one line saying where and what, the context needed to reproduce it, and the stack.
// A client that can cause such an error can cause it in a loop, so the log has a budget: past it,
// failures are only counted and the count is logged when the window ends.

/** Detailed reports per window; the rest are counted. */
export const FAILURE_LOG_BURST = 20;
/** The window of the budget (ms). */
export const FAILURE_LOG_WINDOW_MS = 10_000;

let windowStart = 0;
let reported = 0;
let suppressed = 0;

/**
 * Logs an unexpected error that was caught where it happened: `where` names the listener,
 * `context` says what it was handling (never secrets: see `describeRequest`).
 */
export function reportFailure(where: string, error: unknown, context?: string, log: (line: string) => void = console.error): void {
  const now = Date.now();
  if (now - windowStart >= FAILURE_LOG_WINDOW_MS) {
    if (suppressed > 0) log(`[failure] ${suppressed} more unexpected errors in the last ${FAILURE_LOG_WINDOW_MS / 1000} s were not logged`);
    windowStart = now;
    reported = 0;
    suppressed = 0;
  }
  if (reported >= FAILURE_LOG_BURST) {
    suppressed += 1;
    return;
  }
  reported += 1;
  log(`[failure] ${where}${context ? ` (${context})` : ""}: ${describeError(error)}`);
}

/** An error's stack (or its text), on one entry of the log. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Wraps a callback run by a timer or an emitter, so that neither a throw nor a rejected promise
 * escapes it: both are reported under `where`, and the next tick runs as usual.
 */
export function guarded<Args extends unknown[]>(where: string, callback: (...args: Args) => unknown): (...args: Args) => void {
  return (...args: Args) => {
    try {
      const result = callback(...args);
      if (result instanceof Promise) result.catch((error: unknown) => reportFailure(where, error));
    } catch (error) {
      reportFailure(where, error);
    }
  };
}
