import type { Actor } from "../auth/policy";
import { sql } from "../db/registry";
import { guarded } from "../failures";

/** How many event streams one account may hold open at once (in this process). */
export const MAX_STREAMS_PER_ACCOUNT = 8;

/**
 * How often every open stream is checked against its session and account, together, in one query
 * (and sent a comment that keeps proxies from closing it): a stream whose session ended, or whose
 * person was disabled or changed role or delegation, ends within this bound.
 */
export const STREAM_CHECK_MS = 5_000;

/** An open event stream, as the registry needs to know it. */
export interface OpenStream {
  sessionId: string;
  /** The person as the stream was authorised: a change of role or delegation ends it. */
  viewer: Actor;
  /** Sends a keep-alive comment. */
  ping(): void;
  /** Ends the stream (the browser reconnects and is authorised afresh). */
  end(): void;
}

// The streams of this process. Only the events route registers them; one timer serves them all
// and runs only while some are open, so an idle server does no work for them.
const open = new Set<OpenStream>();
let timer: ReturnType<typeof setInterval> | null = null;
let checking = false;

/**
 * Registers an open stream, to be checked with the others; returns the function that removes it,
 * or null when its account already holds MAX_STREAMS_PER_ACCOUNT streams (the caller answers 429).
 */
export function registerStream(stream: OpenStream): (() => void) | null {
  let held = 0;
  for (const other of open) if (other.viewer.id === stream.viewer.id) held += 1;
  if (held >= MAX_STREAMS_PER_ACCOUNT) return null;
  open.add(stream);
  timer ??= startTimer();
  return () => {
    open.delete(stream);
    if (open.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** How many streams are open, for one account or in all (for tests and the operator). */
export function openStreamCount(accountId?: string): number {
  if (accountId === undefined) return open.size;
  return [...open].filter((stream) => stream.viewer.id === accountId).length;
}

function startTimer(): ReturnType<typeof setInterval> {
  // A throw in the check (no database open, at shutdown) is logged, never the end of the process.
  const interval = setInterval(
    guarded("event stream check", () => {
      if (checking || open.size === 0) return;
      checking = true;
      checkAll()
        .catch((error: unknown) => console.warn("The check of open event streams failed:", error instanceof Error ? error.message : error))
        .finally(() => (checking = false));
    }),
    STREAM_CHECK_MS,
  );
  interval.unref();
  return interval;
}

async function checkAll(): Promise<void> {
  const streams = [...open];
  const sessionIds = [...new Set(streams.map((stream) => stream.sessionId))];
  const rows = await sql()<{ id: string; user_id: string; role: string; delegation_code: string | null }[]>`
    SELECT s.id, u.id AS user_id, u.role, u.delegation_code FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = ANY(${sessionIds}) AND s.expires_at > now() AND NOT u.disabled`;
  const live = new Map(rows.map((row) => [row.id, row]));
  for (const stream of streams) {
    const row = live.get(stream.sessionId);
    const current = row !== undefined && row.user_id === stream.viewer.id && row.role === stream.viewer.role && row.delegation_code === stream.viewer.delegationCode;
    if (current) stream.ping();
    else stream.end();
  }
}
