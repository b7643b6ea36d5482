import type { AmendmentChange, AmendmentView } from "../domain/amendments";
import type { Stage } from "../auth/phases";
import type { MotionChange } from "../domain/motions";
import type { ThreadChange, ThreadView } from "../domain/annotations";
import type { ClauseStatusValue } from "../domain/clause-status";

/** Something that happened that open browsers should show without a reload. */
export type DraftEvent =
  | { type: "thread"; draftId: string; change: ThreadChange; thread: ThreadView }
  | { type: "notification"; recipientId: string }
  | { type: "clause-status"; draftId: string; clauseId: string; status: ClauseStatusValue }
  | { type: "amendment"; draftId: string; change: AmendmentChange; amendment: AmendmentView }
  | { type: "stage"; draftId: string; stage: Stage; roundId: string | null }
  | { type: "motion"; draftId: string; number: number; change: MotionChange };

/** A listener, and how to end its stream (the server is stopping). */
interface Subscriber {
  deliver(event: DraftEvent): void;
  close(): void;
}

// The server entry and the Remix bundle each load their own copy of this module; a key on
// globalThis gives the process one hub, so an event published by one copy reaches the other's streams.
const KEY = Symbol.for("accord.draft-events");
type Holder = { [KEY]?: Set<Subscriber> };

function subscribers(): Set<Subscriber> {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= new Set());
}

/**
 * Sends an event to every subscriber, after the change is committed. Subscribers decide what each
 * viewer may receive; a failing subscriber never stops the others or the write that published.
 */
export function publishDraftEvent(event: DraftEvent): void {
  for (const subscriber of [...subscribers()]) {
    try {
      subscriber.deliver(event);
    } catch (error) {
      console.warn("A draft event could not be delivered:", error instanceof Error ? error.message : error);
    }
  }
}

/** Listens to every event until the returned function is called. */
export function subscribeDraftEvents(subscriber: Subscriber): () => void {
  subscribers().add(subscriber);
  return () => subscribers().delete(subscriber);
}

/** Ends every open event stream (graceful shutdown), so that no request holds the server open. */
export function closeDraftEventStreams(): void {
  for (const subscriber of [...subscribers()]) subscriber.close();
  subscribers().clear();
}

/** How many streams are listening (for tests). */
export function draftEventSubscriberCount(): number {
  return subscribers().size;
}
