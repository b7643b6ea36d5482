import { guarded } from "../failures";
import { DraftDocument, NO_FEED, type DraftFeed } from "./draft-document";
import type { StorageLimits } from "./storage-budget";

/** How long a draft with no connections stays loaded. */
export const DEFAULT_IDLE_MS = 30_000;

/**
 * The loaded drafts: each is loaded once (concurrent joins wait for the same load), and a draft
 * with no connections is flushed, compacted and unloaded after an idle time, so memory does not
 * grow with the number of drafts ever opened.
 */
export class DocumentRegistry {
  private documents = new Map<string, Promise<DraftDocument>>();
  private idleTimers = new Map<string, NodeJS.Timeout>();
  private unloading = new Map<string, Promise<void>>();
  private current = new Map<string, DraftDocument>();

  constructor(
    private readonly idleMs: number = DEFAULT_IDLE_MS,
    private readonly storageLimits?: StorageLimits,
    /** What loaded drafts tell other instances (nothing, in a single process). */
    private readonly feed: DraftFeed = NO_FEED,
  ) {}

  /** The loaded document of a draft, loading it first if need be. */
  async open(draftId: string): Promise<DraftDocument> {
    this.cancelIdle(draftId);
    await this.unloading.get(draftId);
    let loading = this.documents.get(draftId);
    if (!loading) {
      loading = this.load(draftId);
      this.documents.set(draftId, loading);
      loading.catch(() => this.documents.delete(draftId));
    }
    const document = await loading;
    if (!document.failed) return document;
    // A failed document is reloaded from the database.
    if (this.documents.get(draftId) === loading) this.documents.delete(draftId);
    return this.open(draftId);
  }

  /** Every document loaded now. */
  loadedNow(): DraftDocument[];
  /** The draft's document if it is loaded now (what other instances tell goes to it). */
  loadedNow(draftId: string): DraftDocument | undefined;
  loadedNow(draftId?: string): DraftDocument[] | DraftDocument | undefined {
    return draftId === undefined ? [...this.current.values()] : this.current.get(draftId);
  }

  // Loads a draft, then reads what other instances stored while it was loading (told to no one).
  private async load(draftId: string): Promise<DraftDocument> {
    const document = await DraftDocument.load(draftId, (failed) => this.forget(failed), this.storageLimits, this.feed);
    try {
      await document.catchUp();
    } catch (error) {
      document.destroy();
      throw error;
    }
    if (!document.failed) this.current.set(draftId, document);
    return document;
  }

  /** Call when a connection left: a document nobody is connected to is unloaded after the idle time. */
  released(document: DraftDocument): void {
    if (document.peers.size > 0 || document.failed) return;
    this.cancelIdle(document.draftId);
    // A failed flush leaves the draft's updates in the log (they were stored one by one); it is
    // reported, and the draft is unloaded all the same.
    const timer = setTimeout(
      guarded("unloading an idle draft", () => this.unload(document)),
      this.idleMs,
    );
    timer.unref();
    this.idleTimers.set(document.draftId, timer);
  }

  /** How many drafts are loaded now. */
  get size(): number {
    return this.documents.size;
  }

  /** Every loaded document. */
  async loaded(): Promise<DraftDocument[]> {
    return Promise.all(this.documents.values());
  }

  /** Flushes and unloads every draft (graceful shutdown); connections are closed to reconnect later. */
  async closeAll(): Promise<void> {
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    const documents = await Promise.allSettled([...this.documents.values()]);
    await Promise.all(
      documents.map((result) => (result.status === "fulfilled" ? this.unload(result.value, true) : undefined)),
    );
  }

  private async unload(document: DraftDocument, force = false): Promise<void> {
    this.idleTimers.delete(document.draftId);
    if (!force && document.peers.size > 0) return;
    const run = (async () => {
      try {
        await document.flushAndCompact();
      } finally {
        if ((await this.documents.get(document.draftId)) === document) this.documents.delete(document.draftId);
        if (this.current.get(document.draftId) === document) this.current.delete(document.draftId);
        document.destroy();
      }
    })();
    this.unloading.set(document.draftId, run);
    try {
      await run;
    } finally {
      this.unloading.delete(document.draftId);
    }
  }

  private forget(document: DraftDocument): void {
    this.cancelIdle(document.draftId);
    if (this.current.get(document.draftId) === document) this.current.delete(document.draftId);
    void this.documents.get(document.draftId)?.then((current) => {
      if (current === document) this.documents.delete(document.draftId);
    });
  }

  private cancelIdle(draftId: string): void {
    const timer = this.idleTimers.get(draftId);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(draftId);
  }
}
