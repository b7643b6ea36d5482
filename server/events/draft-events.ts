import type { AmendmentChange, AmendmentView } from "../domain/amendments";
import type { Stage } from "../auth/phases";
import type { MotionChange } from "../domain/motions";
import type { MeetingChange } from "../domain/meetings";
import type { ThreadChange, ThreadView } from "../domain/annotations";
import type { ClauseStatusValue } from "../domain/clause-status";
import { EventHub, type SharedLive } from "./hub";

/** Something that happened that open browsers should show without a reload. */
export type DraftEvent =
  | { type: "thread"; draftId: string; change: ThreadChange; thread: ThreadView }
  | { type: "notification"; recipientId: string }
  | { type: "clause-status"; draftId: string; clauseId: string; status: ClauseStatusValue }
  | { type: "amendment"; draftId: string; change: AmendmentChange; amendment: AmendmentView }
  | { type: "stage"; draftId: string; stage: Stage; roundId: string | null }
  | { type: "motion"; draftId: string; number: number; change: MotionChange }
  | { type: "meeting"; draftId: string; number: number; change: MeetingChange };

/** A listener, and how to end its stream (the server is stopping). */
export interface DraftEventSubscriber {
  deliver(event: DraftEvent): void;
  close(): void;
}

/**
 * The draft events of this process: the domain publishes after each change is committed, and every
 * open event stream receives them and decides what its viewer may see.
 */
export class DraftEventBus {
  private readonly hub = new EventHub<DraftEvent>("draft");
  private readonly subscribers = new Set<DraftEventSubscriber>();
  private closed = false;

  /** Sends an event to every subscriber, after the change is committed. */
  publish(event: DraftEvent): void {
    this.hub.publish(event);
  }

  /** The events as other instances share them. */
  get shared(): SharedLive<DraftEvent> {
    return this.hub;
  }

  /** Listens to every event until the returned function is called. */
  subscribe(subscriber: DraftEventSubscriber): () => void {
    // The server is stopping: a stream that starts now ends at once, and its browser reconnects elsewhere.
    if (this.closed) {
      queueMicrotask(() => subscriber.close());
      return () => undefined;
    }
    const unsubscribe = this.hub.subscribe((event) => subscriber.deliver(event));
    this.subscribers.add(subscriber);
    return () => {
      unsubscribe();
      this.subscribers.delete(subscriber);
    };
  }

  /** Ends every open event stream now (their browsers reconnect); streams that start later are kept. */
  closeAll(): void {
    for (const subscriber of [...this.subscribers]) subscriber.close();
  }

  /** Ends every open event stream, and every one that starts from now on (the server is stopping). */
  shutDown(): void {
    this.closed = true;
    this.closeAll();
  }

  /** How many streams are listening (for tests). */
  get subscriberCount(): number {
    return this.subscribers.size;
  }
}
