import type { SharedLive } from "./hub";

/**
 * What anonymous readers see on the public site (published versions, their consultation state,
 * disposition tables) changes rarely; every write that changes it calls `changed()` after it
 * commits, and caches of public answers compare generations to know they are stale.
 */
export class PublicContentSignal implements SharedLive<null> {
  private current = 0;
  private relay: ((message: null) => void) | null = null;

  /** Marks everything cached of the public site as stale, here and in the other instances. Call it after the change is committed. */
  changed(): void {
    this.current += 1;
    this.relay?.(null);
  }

  relayTo(relay: ((message: null) => void) | null): void {
    this.relay = relay;
  }

  /** Another instance changed what the public sees. */
  receive(): void {
    this.current += 1;
  }

  /** The current generation of the public content: it changes whenever the public site may have. */
  get generation(): number {
    return this.current;
  }
}
