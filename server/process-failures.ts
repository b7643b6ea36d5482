import { describeError, reportFailure } from "./failures";

/** The exit code after an uncaught exception (EX_SOFTWARE): not a start-up failure (1), not a stop (0). */
export const CRASH_EXIT_CODE = 70;
/** How long the stop after an uncaught exception may take before the process exits anyway. */
export const CRASH_STOP_TIMEOUT_MS = 10_000;

/** What the process-level handlers need: how to stop, and (for tests) where they listen and how they exit. */
export interface ProcessFailureOptions {
  /** Stops serving and flushes every loaded draft; undefined while Accord is still starting. */
  stop: () => Promise<void> | undefined;
  stopTimeoutMs?: number;
  emitter?: NodeJS.EventEmitter;
  exit?: (code: number) => void;
  log?: (line: string) => void;
}

/**
 * The policy for errors nothing else caught (every listener of the server is guarded, so these are
 * bugs):
 *
 * - An uncaught exception interrupted a synchronous listener halfway: whatever it was changing (a
 *   registry's maps, a loaded document) may be half-changed, and nothing says what else is. The
 *   process stops accepting, flushes every loaded draft (bounded by a timeout), and exits with
 *   `CRASH_EXIT_CODE` for its supervisor to start a clean one. A second one during that stop
 *   exits at once.
 * - An unhandled rejection is an asynchronous failure that has already unwound: it is confined to
 *   the operation that made the promise (one request's, one socket's, one timer tick's work), and
 *   no synchronous code was cut off by it. Restarting for it would turn any forgotten `catch` that
 *   a client can reach into a way to stop Accord for everyone, so it is logged (with a running
 *   count, to be fixed) and the server keeps serving.
 */
export function installProcessFailureHandlers(options: ProcessFailureOptions): { unhandledRejections(): number } {
  const emitter = options.emitter ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((line: string) => console.error(line));
  const timeoutMs = options.stopTimeoutMs ?? CRASH_STOP_TIMEOUT_MS;
  let crashing = false;
  let rejections = 0;

  emitter.on("uncaughtException", (error: unknown, origin: unknown) => {
    log(`[fatal] uncaught exception (${String(origin)}): ${describeError(error)}`);
    if (crashing) {
      log("[fatal] a second uncaught exception while stopping: exiting now.");
      return exit(CRASH_EXIT_CODE);
    }
    crashing = true;
    // Should the stop leave nothing to wait for, the process still ends with this code.
    if (emitter === process) process.exitCode = CRASH_EXIT_CODE;
    log(`[fatal] stopping: no new connections, flushing loaded drafts (at most ${timeoutMs / 1000} s), then exiting with code ${CRASH_EXIT_CODE}.`);
    let stopping: Promise<void> | undefined;
    try {
      stopping = options.stop();
    } catch (stopError) {
      stopping = Promise.reject(stopError);
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    Promise.race([(stopping ?? Promise.resolve()).then(() => "stopped" as const), timedOut]).then(
      (outcome) => {
        clearTimeout(timer);
        log(outcome === "stopped" ? "[fatal] drafts flushed; exiting." : "[fatal] the stop took too long; exiting without it.");
        exit(CRASH_EXIT_CODE);
      },
      (stopError: unknown) => {
        clearTimeout(timer);
        log(`[fatal] the stop failed: ${describeError(stopError)}; exiting.`);
        exit(CRASH_EXIT_CODE);
      },
    );
  });

  emitter.on("unhandledRejection", (reason: unknown) => {
    rejections += 1;
    reportFailure(`unhandled promise rejection #${rejections} (the server keeps serving)`, reason, undefined, log);
  });

  return { unhandledRejections: () => rejections };
}
