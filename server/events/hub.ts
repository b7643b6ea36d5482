/**
 * Something live that other instances of a deployment share (see server/cluster): what is
 * published here is also handed to `relay`, and what another instance published arrives through
 * `receive`, which tells this instance's listeners alone.
 */
export interface SharedLive<M> {
  relayTo(relay: ((message: M) => void) | null): void;
  receive(message: M): void;
}

/**
 * Listeners of one kind of event: each event goes to every listener, after the change it tells of
 * is committed; a failing listener never stops the others or the write that published. Created
 * once at start-up (see server/live.ts) and passed to what publishes or listens; with several
 * instances, events are relayed to and from the others.
 */
export class EventHub<E> implements SharedLive<E> {
  private readonly listeners = new Set<(event: E) => void>();
  private relay: ((event: E) => void) | null = null;

  constructor(private readonly name: string) {}

  /** Tells every listener of `event`, here and in the other instances. */
  publish(event: E): void {
    this.receive(event);
    this.relay?.(event);
  }

  relayTo(relay: ((event: E) => void) | null): void {
    this.relay = relay;
  }

  /** Tells this instance's listeners of an event (one another instance published). */
  receive(event: E): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.warn(`A ${this.name} event could not be delivered:`, error instanceof Error ? error.message : error);
      }
    }
  }

  /** Listens until the returned function is called. */
  subscribe(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many are listening (for tests and the operator). */
  get size(): number {
    return this.listeners.size;
  }
}
