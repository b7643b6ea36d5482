/**
 * Listeners of one kind of event in this process: each event goes to every listener, after the
 * change it tells of is committed; a failing listener never stops the others or the write that
 * published. Created once at start-up (see server/live.ts) and passed to what publishes or listens.
 */
export class EventHub<E> {
  private readonly listeners = new Set<(event: E) => void>();

  constructor(private readonly name: string) {}

  /** Tells every listener of `event`. */
  publish(event: E): void {
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
