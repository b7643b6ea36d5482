import type { AccountSlots } from "../account-slots";
import type { Actor } from "../auth/policy";
import { guarded } from "../failures";
import type { AccountEvent, AccountEventBus } from "./account-events";

/** How many event streams one account may hold open at once (in this process). */
export const MAX_STREAMS_PER_ACCOUNT = 8;

/** The `Retry-After` (seconds) of a refused stream: a place frees as soon as one of the account's tabs closes. */
export const STREAM_RETRY_AFTER_S = 30;

/** How often every open stream is sent a comment that keeps proxies from closing it as idle. */
export const KEEP_ALIVE_MS = 25_000;

// setTimeout holds at most 2^31 - 1 ms (24.8 days); a later expiry is waited for in steps.
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

/** An open event stream, as the registry needs to know it. */
export interface OpenStream {
  sessionId: string;
  /** When the session ends of itself: the stream ends then. */
  sessionExpiresAt: Date;
  /** The person as the stream was authorised: any change to their account ends it. */
  viewer: Actor;
  /** Sends a keep-alive comment. */
  ping(): void;
  /** Ends the stream (the browser reconnects and is authorised afresh). */
  end(): void;
}

/**
 * The open event streams of this process. Only the events route registers them. Nothing here reads
 * the database: a stream ends when the domain announces a change to its account or session (the
 * account events), or when its session expires; one keep-alive timer serves them all and runs only
 * while some are open, so an idle server does no work for them.
 */
export class StreamRegistry {
  private readonly open = new Map<OpenStream, { cancelExpiry(): void }>();
  private keepAlive: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: (() => void) | null = null;
  // In a deployment of several instances, an account's streams counted across them all.
  private places: AccountSlots | null = null;

  constructor(private readonly accounts: AccountEventBus) {}

  /** Counts each account's streams across the deployment's instances too (server/cluster/account-slots.ts). */
  shareCounts(places: AccountSlots): void {
    this.places = places;
  }

  /**
   * `register`, counting the stream against its account's MAX_STREAMS_PER_ACCOUNT across every
   * instance of the deployment as well when they share counts: null when either count is full.
   */
  async admit(stream: OpenStream): Promise<(() => void) | null> {
    const place = this.places ? await this.places.take(stream.viewer.id, MAX_STREAMS_PER_ACCOUNT) : null;
    if (this.places && !place) return null;
    const unregister = this.register(stream);
    if (!unregister) {
      place?.release();
      return null;
    }
    return () => {
      unregister();
      place?.release();
    };
  }

  /**
   * Registers an open stream, to be ended when its account or session changes or its session
   * expires; returns the function that removes it, or null when its account already holds
   * MAX_STREAMS_PER_ACCOUNT streams (the caller answers 429).
   */
  register(stream: OpenStream): (() => void) | null {
    if (this.count(stream.viewer.id) >= MAX_STREAMS_PER_ACCOUNT) return null;
    this.open.set(stream, { cancelExpiry: at(stream.sessionExpiresAt, () => stream.end()) });
    this.unsubscribe ??= this.accounts.subscribe((event) => this.endConcerned(event));
    this.keepAlive ??= this.startKeepAlive();
    return () => {
      this.open.get(stream)?.cancelExpiry();
      this.open.delete(stream);
      if (this.open.size > 0) return;
      this.unsubscribe?.();
      this.unsubscribe = null;
      if (this.keepAlive) clearInterval(this.keepAlive);
      this.keepAlive = null;
    };
  }

  /** How many streams are open, for one account or in all (for tests and the operator). */
  count(accountId?: string): number {
    if (accountId === undefined) return this.open.size;
    let count = 0;
    for (const stream of this.open.keys()) if (stream.viewer.id === accountId) count += 1;
    return count;
  }

  private endConcerned(event: AccountEvent): void {
    for (const stream of [...this.open.keys()]) if (concerns(event, stream)) stream.end();
  }

  private startKeepAlive(): ReturnType<typeof setInterval> {
    // A throw in a tick is logged, never the end of the process.
    const interval = setInterval(
      guarded("event stream keep-alive", () => {
        for (const stream of [...this.open.keys()]) stream.ping();
      }),
      KEEP_ALIVE_MS,
    );
    interval.unref();
    return interval;
  }
}

function concerns(event: AccountEvent, stream: OpenStream): boolean {
  switch (event.type) {
    case "account-changed":
      return stream.viewer.id === event.userId;
    case "session-ended":
      return stream.sessionId === event.sessionId;
    case "sessions-ended":
      return stream.viewer.id === event.userId && stream.sessionId !== event.exceptSessionId;
  }
}

/** Runs `run` at `when` (never synchronously, so a caller still registering is done first); returns the cancel. */
function at(when: Date, run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const arm = () => {
    const wait = Math.min(Math.max(when.getTime() - Date.now(), 0), LONGEST_TIMEOUT_MS);
    timer = setTimeout(() => (Date.now() >= when.getTime() ? run() : arm()), wait);
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
