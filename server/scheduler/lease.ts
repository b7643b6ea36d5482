import type { Database, Sql } from "../db/connection";
import { guarded } from "../failures";
import type { Live } from "../live";
import { startRoundScheduler, type RoundScheduler } from "./round-scheduler";

/** The advisory lock that names the scheduler's leader (any constant shared by every instance). */
const SCHEDULER_LOCK = 7_401_338_001;
/** How often a standby instance asks for the lease, and the leader checks it still holds it. */
export const LEASE_CHECK_MS = 2_000;

/** The scheduler of one instance among several: it runs only while this instance holds the lease. */
export interface LeasedScheduler {
  /** Resolves once this instance knows whether it leads, and, if it does, the missed changes are made. */
  ready: Promise<void>;
  /** Whether this instance runs the scheduler now. */
  leading(): boolean;
  stop(): Promise<void>;
}

/**
 * Runs the scheduler in exactly one instance of a deployment at a time. With the Postgres server,
 * the lease is a session advisory lock held on a connection of its own: whoever holds it runs the
 * scheduler, the others ask again every `checkMs`, and when the leader dies its connection closes,
 * Postgres frees the lock and another instance takes over within that time. The leader asks as
 * often whether its session still holds the lock, and stops scheduling the moment it does not (or
 * cannot tell). Transitions and motions lock their rows as well, so a moment of overlap could not
 * make a change twice. The embedded database belongs to one process, which always leads.
 */
export function startLeasedScheduler(live: Live, database: Database, options: { checkMs?: number } = {}): LeasedScheduler {
  const session = database.openSession();
  if (!session) {
    const scheduler = startRoundScheduler(live);
    return { ready: scheduler.ready, leading: () => true, stop: () => scheduler.stop() };
  }
  const checkMs = options.checkMs ?? LEASE_CHECK_MS;
  let scheduler: RoundScheduler | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const stopScheduling = async (): Promise<void> => {
    const running = scheduler;
    scheduler = null;
    await running?.stop();
  };

  // One check: the leader makes sure its session still holds the lock; a standby asks for it.
  const check = async (): Promise<void> => {
    if (stopped) return;
    if (scheduler) {
      if (!(await holdsLock(session, checkMs * 5))) {
        console.warn("The scheduler's lease was lost; another instance takes over.");
        await stopScheduling();
      }
      return;
    }
    try {
      const [row] = await within(session<{ held: boolean }[]>`SELECT pg_try_advisory_lock(${SCHEDULER_LOCK}) AS held`, checkMs * 5);
      if (!row?.held || stopped) return;
      scheduler = startRoundScheduler(live);
      console.log("This instance holds the scheduler's lease and runs the scheduler.");
      await scheduler.ready;
    } catch (error) {
      console.warn("Asking for the scheduler's lease failed:", error instanceof Error ? error.message : error);
    }
  };

  let current = check();
  const schedule = () => {
    if (!stopped) timer = setTimeout(tick, checkMs).unref();
  };
  const tick = guarded("scheduler lease", () => {
    current = check().finally(schedule);
  });
  const ready = current.finally(schedule);
  return {
    ready,
    leading: () => scheduler !== null,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current.catch(() => undefined);
      await stopScheduling();
      // Ending the session gives the lock back.
      await session.end({ timeout: 5 }).catch(() => undefined);
    },
  };
}

// Whether this session holds the lease's lock now: a session the server ended is opened again by
// the client as a new one, which holds nothing.
async function holdsLock(session: Sql, timeoutMs: number): Promise<boolean> {
  try {
    const [row] = await within(
      session<{ held: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()) AS held`,
      timeoutMs,
    );
    return row?.held === true;
  } catch {
    return false;
  }
}

// A query that does not answer within `ms` counts as failed: the lease must not wait on a dead link.
function within<T>(query: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([query, timeout]).finally(() => clearTimeout(timer));
}
