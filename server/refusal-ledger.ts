/**
 * Refused updates per account in a sliding window. An account at the limit is kept out until its
 * oldest refusal leaves the window: each refusal found after applying reloads the draft (and
 * reconnects everyone in it), so a writer must not be able to repeat it at will. On one instance,
 * a count of its own; in a deployment of several, one count for all (server/cluster/refusals.ts).
 */
export interface RefusalLedger {
  /** Records `count` refused updates of `userId`, now, each kept for `windowMs`. */
  record(userId: string, count: number, windowMs: number): Promise<void>;
  /** How many refusals of `userId` the last `windowMs` hold. */
  recent(userId: string, windowMs: number): Promise<number>;
}

/** The refusals this process saw, counted here. */
export class LocalRefusalLedger implements RefusalLedger {
  private readonly refusals = new Map<string, number[]>();

  record(userId: string, count: number, windowMs: number): Promise<void> {
    this.recordNow(userId, count, windowMs);
    return Promise.resolve();
  }

  recent(userId: string, windowMs: number): Promise<number> {
    return Promise.resolve(this.recentNow(userId, windowMs));
  }

  /** `record`, at once. */
  recordNow(userId: string, count: number, windowMs: number): void {
    if (count <= 0) return;
    const now = Date.now();
    this.refusals.set(userId, [...this.inWindow(userId, windowMs), ...Array.from({ length: count }, () => now)]);
  }

  /** `recent`, at once. */
  recentNow(userId: string, windowMs: number): number {
    return this.inWindow(userId, windowMs).length;
  }

  // The account's refusals still in the window; accounts with none are forgotten.
  private inWindow(userId: string, windowMs: number): number[] {
    const since = Date.now() - windowMs;
    const recent = (this.refusals.get(userId) ?? []).filter((at) => at > since);
    if (recent.length) this.refusals.set(userId, recent);
    else this.refusals.delete(userId);
    return recent;
  }
}
