import { checkpointBytes, storedDraftBytes } from "../text-store/persistence";

/** Where a draft's stored size stands against its budget. */
export type StorageLevel = "ok" | "near" | "full";

/** The stored-size budget of a draft, as a document is given it. */
export interface StorageLimits {
  bytes: number;
  warnRatio: number;
  /** Tells the secretariat that a draft crossed a level upwards (the collaboration server passes the domain's notice). */
  tell?: (input: { draftId: string; level: "near" | "full" }) => Promise<void>;
}

const RANK: Record<StorageLevel, number> = { ok: 0, near: 1, full: 2 };

/**
 * A loaded draft's stored bytes (checkpoint and log) against its budget. Both are counted by the
 * database at load; then the log grows by the bytes of each batch stored (it is never shortened:
 * it is the record of who wrote what), and the checkpoint is counted again after each compaction
 * (one row, where summing the log would read all of it). Connections
 * listen to learn when writing must stop (or may resume); each crossing upwards is told to the
 * secretariat once. A level already reached when the draft loads was told when it was crossed.
 */
export class DraftStorage {
  private listeners = new Set<(level: StorageLevel) => void>();
  private counting: Promise<void> | null = null;

  constructor(
    private readonly draftId: string,
    private bytes: { checkpoint: number; log: number },
    private readonly limits: StorageLimits,
  ) {}

  /** Counts what the database holds for `draftId`. */
  static async load(draftId: string, limits: StorageLimits): Promise<DraftStorage> {
    return new DraftStorage(draftId, await storedDraftBytes(draftId), limits);
  }

  /** Bytes stored now, as far as this process knows. */
  get stored(): number {
    return this.bytes.checkpoint + this.bytes.log;
  }

  /** Where the stored size stands: below the warning, near the budget, or at it. */
  get level(): StorageLevel {
    if (this.stored >= this.limits.bytes) return "full";
    return this.stored >= this.limits.bytes * this.limits.warnRatio ? "near" : "ok";
  }

  /** Calls `listener` whenever the level changes; returns the unsubscribe function. */
  subscribe(listener: (level: StorageLevel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Counts bytes just stored. */
  added(bytes: number): void {
    this.change({ ...this.bytes, log: this.bytes.log + bytes });
  }

  /** Counts the checkpoint again (a compaction rewrote it). */
  recount(): Promise<void> {
    this.counting ??= checkpointBytes(this.draftId)
      .then((checkpoint) => this.change({ ...this.bytes, checkpoint }))
      .catch((error: unknown) => console.warn(`Counting the stored size of draft ${this.draftId} failed:`, error))
      .finally(() => (this.counting = null));
    return this.counting;
  }

  private change(bytes: { checkpoint: number; log: number }): void {
    const before = this.level;
    this.bytes = bytes;
    const after = this.level;
    if (after === before) return;
    for (const listener of this.listeners) listener(after);
    if (RANK[after] > RANK[before]) {
      (this.limits.tell?.({ draftId: this.draftId, level: after === "full" ? "full" : "near" }) ?? Promise.resolve()).catch((error: unknown) =>
        console.warn(`Telling the secretariat of draft ${this.draftId}'s stored size failed:`, error),
      );
    }
  }
}
