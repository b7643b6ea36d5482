/**
 * What one peer may cost the collaboration server. Every budget is named here and can be replaced
 * through `createCollabServer({ budgets })` (tests inject small ones); the README's Limits table
 * says what a client sees when it reaches each.
 */
export interface CollabBudgets {
  /** Messages of any kind a connection may send in a burst, and per second after it. */
  messageBurst: number;
  messagesPerSecond: number;
  /** Bytes of updates (sync step 2 and update messages) a connection may send in a burst, and per second. */
  updateBurstBytes: number;
  updateBytesPerSecond: number;
  /** Full-state answers (sync step 1, awareness queries) a connection gets in a burst, then one per interval. */
  syncAnswerBurst: number;
  syncAnswerIntervalMs: number;
  /** Bytes of awareness (cursors) a connection may send in a burst, and per second. */
  awarenessBurstBytes: number;
  awarenessBytesPerSecond: number;
  /** Awareness states one message may carry. */
  awarenessStatesPerMessage: number;
  /** Bytes waiting to reach a peer beyond which the peer, which is not reading, is cut off. */
  sendBufferBytes: number;
  /** How often each socket is pinged; a socket that has not answered the last ping by the next is cut off. */
  heartbeatMs: number;
  /** Open sockets per account, across all drafts. */
  socketsPerAccount: number;
  /**
   * Updates refused for not fitting the schema, per account within a window, after which the
   * account's upgrades are refused until the window has passed (a refusal found after applying
   * reloads the draft for everyone in it).
   */
  refusedUpdatesPerAccount: number;
  refusalWindowMs: number;
  /**
   * Updates in a row a connection may send whose dependencies the server lacks. Each is dropped and
   * the client asked for everything the server lacks (an honest client typing while it reconnects
   * sends such an update before the ones it builds on); past this, the connection is refused.
   */
  updatesWithGapsInARow: number;
  /** A draft's stored bytes (checkpoint and log); at this, writes are refused. */
  draftStoredBytes: number;
  /** The share of `draftStoredBytes` at which writers and the secretariat are warned. */
  draftWarnRatio: number;
}

// A clause pasted whole is a few KB; a long real draft's whole text is tens of KB. Typing sends
// tens of bytes per keystroke, plus the sync step 2 a client sends in answer to each
// acknowledgement (its delete set: a few KB on a long-edited draft), at most five a second.
// The draft budget counts the log too, which keeps every keystroke (tens of bytes each) for the
// record: half a million keystrokes are about 15 MB.
export const DEFAULT_BUDGETS: CollabBudgets = {
  messageBurst: 400,
  messagesPerSecond: 150,
  updateBurstBytes: 2 * 1024 * 1024,
  updateBytesPerSecond: 256 * 1024,
  syncAnswerBurst: 4,
  syncAnswerIntervalMs: 10_000,
  awarenessBurstBytes: 64 * 1024,
  awarenessBytesPerSecond: 32 * 1024,
  awarenessStatesPerMessage: 8,
  sendBufferBytes: 8 * 1024 * 1024,
  heartbeatMs: 20_000,
  socketsPerAccount: 16,
  refusedUpdatesPerAccount: 3,
  refusalWindowMs: 10 * 60_000,
  updatesWithGapsInARow: 8,
  draftStoredBytes: 64 * 1024 * 1024,
  draftWarnRatio: 0.8,
};

/** A token bucket: `capacity` at once, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    this.tokens = capacity;
  }

  /** Takes `amount` tokens if there are that many; says whether it did. */
  take(amount = 1): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}
