import { Redis } from "ioredis";

/** A message another instance published, as bytes. */
export type LinkListener = (message: Buffer) => void;

/**
 * Two connections to Redis: one publishes, one listens on the deployment's channel. Redis relays
 * and keeps nothing: what an instance misses while Redis or the network is down is read from
 * Postgres (see `onResumed`). ioredis reconnects on its own and listens again.
 */
export class RedisLink {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly resumed = new Set<() => void>();
  private connectedOnce = false;

  private constructor(
    url: string,
    private readonly channel: string,
    listener: LinkListener,
  ) {
    const options = { lazyConnect: true, maxRetriesPerRequest: 3, retryStrategy: (times: number) => Math.min(100 * times, 2000) };
    this.publisher = new Redis(url, { ...options, connectionName: "accord-publish" });
    this.subscriber = new Redis(url, { ...options, connectionName: "accord-listen" });
    for (const client of [this.publisher, this.subscriber]) {
      // Reconnection is ioredis's; a dropped connection is worth a line, not a crash.
      client.on("error", (error: Error) => console.warn(`Redis: ${error.message}`));
    }
    this.subscriber.on("messageBuffer", (from: Buffer, message: Buffer) => {
      if (from.toString() === this.channel) listener(message);
    });
    this.subscriber.on("ready", () => {
      if (!this.connectedOnce) return;
      console.log("Redis is back: reading what may have been missed from the database.");
      for (const resumed of [...this.resumed]) resumed();
    });
  }

  /** Connects both connections and listens on `channel`; throws when Redis cannot be reached. */
  static async open(url: string, channel: string, listener: LinkListener): Promise<RedisLink> {
    const link = new RedisLink(url, channel, listener);
    try {
      await Promise.all([link.publisher.connect(), link.subscriber.connect()]);
      await link.subscriber.subscribe(channel);
    } catch (error) {
      link.publisher.disconnect();
      link.subscriber.disconnect();
      throw new Error(`Cannot reach Redis at REDIS_URL: ${error instanceof Error ? error.message : String(error)}`);
    }
    link.connectedOnce = true;
    return link;
  }

  /** Publishes to every other instance; a message Redis cannot take now is dropped (and reported). */
  publish(message: Uint8Array): void {
    this.publisher.publish(this.channel, Buffer.from(message.buffer, message.byteOffset, message.byteLength)).catch((error: unknown) => {
      console.warn(`A message to the other instances was lost: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Publishes, and resolves with how many listeners Redis handed the message to (this instance's included). */
  async publishCounted(message: Uint8Array): Promise<number> {
    return this.publisher.publish(this.channel, Buffer.from(message.buffer, message.byteOffset, message.byteLength));
  }

  /** Runs a Lua script on one key (on the publishing connection, which is not subscribed). */
  run(script: string, key: string, args: (string | number)[]): Promise<unknown> {
    return this.publisher.eval(script, 1, key, ...args);
  }

  /** The deployment's channel, which also prefixes its keys. */
  get name(): string {
    return this.channel;
  }

  /** Calls `resumed` each time the listening connection is back after a break. */
  onResumed(resumed: () => void): () => void {
    this.resumed.add(resumed);
    return () => this.resumed.delete(resumed);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }
}
