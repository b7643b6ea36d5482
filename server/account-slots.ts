/** One of an account's places (an open socket), held until released. */
export interface AccountSlot {
  release(): void;
}

/**
 * An account's places, at most `limit` at once: on one instance, a count of its own; in a
 * deployment of several, one count for all of them (server/cluster/account-slots.ts).
 */
export interface AccountSlots {
  /** Takes one of `userId`'s places, or null when all `limit` are taken. */
  take(userId: string, limit: number): Promise<AccountSlot | null>;
}

/** The places this process gives out, counted here. */
export class LocalAccountSlots implements AccountSlots {
  private readonly counts = new Map<string, number>();

  take(userId: string, limit: number): Promise<AccountSlot | null> {
    return Promise.resolve(this.takeNow(userId, limit));
  }

  /** `take`, at once. */
  takeNow(userId: string, limit: number): AccountSlot | null {
    const count = this.counts.get(userId) ?? 0;
    if (count >= limit) return null;
    this.counts.set(userId, count + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.counts.get(userId) ?? 1) - 1;
        if (left > 0) this.counts.set(userId, left);
        else this.counts.delete(userId);
      },
    };
  }
}
