/**
 * A change to who a signed-in person is, or whether they are signed in at all: what ends the live
 * connections authorised before it. Published by the domain after the change is committed.
 */
export type AccountEvent =
  /** The account was disabled or enabled, or changed role or delegation: every session of it is concerned. */
  | { type: "account-changed"; userId: string }
  /** One session ended (signed out, handed over, found expired). */
  | { type: "session-ended"; sessionId: string }
  /** Every session of an account ended, or every one but `exceptSessionId`. */
  | { type: "sessions-ended"; userId: string; exceptSessionId?: string };

type Listener = (event: AccountEvent) => void;

// The server entry and the Remix bundle each load their own copy of this module; a key on
// globalThis gives the process one hub, so a change made through one copy reaches the other's streams.
const KEY = Symbol.for("accord.account-events");
type Holder = { [KEY]?: Set<Listener> };

function listeners(): Set<Listener> {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= new Set());
}

/** Tells every listener of a committed change; a failing listener never stops the others or the write. */
export function publishAccountEvent(event: AccountEvent): void {
  for (const listener of [...listeners()]) {
    try {
      listener(event);
    } catch (error) {
      console.warn("An account event could not be delivered:", error instanceof Error ? error.message : error);
    }
  }
}

/** Listens to every account event until the returned function is called. */
export function subscribeAccountEvents(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}
