import { randomUUID } from "node:crypto";
import type { DraftFeed, SharedDrafts } from "../collab/draft-document";
import type { SharedLive } from "../events/hub";
import { guarded } from "../failures";
import type { LiveTexts } from "../domain/live-texts";
import type { Live } from "../live";
import { decodeMessage, encodeMessage, type ClusterMessage } from "./messages";
import { SharedAccountSlots } from "./account-slots";
import { SharedRefusalLedger } from "./refusals";
import { RedisLink } from "./redis-link";
import { SharedTexts, type TextsChannel } from "./shared-texts";

/** How often every loaded draft is compared with its log, for what no message told (a message lost). */
export const LOG_CHECK_MS = 2_000;

/**
 * This instance's membership of a deployment of several (with `REDIS_URL`): the truth stays in
 * Postgres, and Redis carries what instances tell each other at once — drafts' stored updates and
 * cursors, and what is published on the Live's shared parts (draft and account events, the public
 * content's changes, the scheduler's wake-up). Each instance applies what it is told in the log's
 * order, and reads the log when it may have missed something, so no copy of a draft diverges.
 */
export class Cluster {
  /** Names this instance in what it publishes, so that it ignores its own messages. */
  readonly instanceId = randomUUID();
  private drafts: SharedDrafts | null = null;
  private link: RedisLink | null = null;
  private readonly parts: Map<string, SharedLive<unknown>>;
  private readonly timer: NodeJS.Timeout;
  private checking = false;
  private texts: SharedTexts | null = null;
  private readonly slots: SharedAccountSlots[] = [];

  /** What loaded drafts tell the other instances. */
  readonly feed: DraftFeed = {
    stored: (draftId, range, update) => this.publish({ kind: "text", from: this.instanceId, draftId, ...range, update }),
    awareness: (draftId, update) => this.publish({ kind: "awareness", from: this.instanceId, draftId, update }),
  };

  private constructor(live: Live) {
    // What arrives is trusted as what its part publishes: only the deployment's instances reach its Redis.
    const share = <M>(part: SharedLive<M>) => part as SharedLive<unknown>;
    this.parts = new Map([
      ["drafts", share(live.drafts.shared)],
      ["accounts", share(live.accounts)],
      ["public-content", share(live.publicContent)],
      ["scheduler", share(live.scheduler)],
    ]);
    this.timer = setInterval(guarded("comparing loaded drafts with their logs", () => this.checkLogs()), LOG_CHECK_MS);
    this.timer.unref();
  }

  /** Joins the deployment whose instances share the Redis at `url` and the channel `channel`. */
  static async join(options: { url: string; channel: string; live: Live }): Promise<Cluster> {
    const cluster = new Cluster(options.live);
    try {
      cluster.link = await RedisLink.open(options.url, options.channel, (bytes) => cluster.receive(bytes));
    } catch (error) {
      clearInterval(cluster.timer);
      throw error;
    }
    for (const [name, part] of cluster.parts) {
      part.relayTo((value) => cluster.publish({ kind: "live", from: cluster.instanceId, part: name, value }));
    }
    cluster.link.onResumed(() => void cluster.checkLogs());
    return cluster;
  }

  /**
   * Where what other instances tell of drafts goes: the collaboration server's loaded drafts and its
   * live texts. Returns the live-texts port the domain uses (see SharedTexts).
   */
  attachDrafts(drafts: SharedDrafts, texts: LiveTexts): LiveTexts {
    this.drafts = drafts;
    const channel: TextsChannel = {
      instanceId: this.instanceId,
      publish: (message) => this.publish(message),
      publishCounted: async (message) => {
        if (!this.link) throw new Error("this instance has left the deployment");
        return this.link.publishCounted(encodeMessage(message));
      },
    };
    this.texts = new SharedTexts(texts, channel);
    return this.texts;
  }

  /**
   * An account's places of one kind (`sockets`) counted once for the whole deployment, in this
   * deployment's Redis keys.
   */
  accountSlots(kind: string): SharedAccountSlots {
    const link = this.link;
    if (!link) throw new Error("this instance has left the deployment");
    const slots = new SharedAccountSlots({ run: (script, key, args) => link.run(script, key, args) }, `${link.name}:${kind}`);
    this.slots.push(slots);
    return slots;
  }

  /** The accounts' refused updates counted once for the whole deployment, in its Redis keys. */
  refusalLedger(): SharedRefusalLedger {
    const link = this.link;
    if (!link) throw new Error("this instance has left the deployment");
    return new SharedRefusalLedger({ run: (script, key, args) => link.run(script, key, args) }, `${link.name}:refusals`);
  }

  /** Stops relaying and leaves Redis. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const slots of this.slots) slots.close();
    for (const part of this.parts.values()) part.relayTo(null);
    await this.link?.close();
    this.link = null;
  }

  private publish(message: ClusterMessage): void {
    this.link?.publish(encodeMessage(message));
  }

  private receive(bytes: Uint8Array): void {
    let message: ClusterMessage;
    try {
      message = decodeMessage(bytes);
    } catch (error) {
      console.warn(`A message on the deployment's channel could not be read: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (message.from === this.instanceId) return;
    try {
      if (message.kind === "text") this.drafts?.receiveStored(message.draftId, { firstSeq: message.firstSeq, lastSeq: message.lastSeq }, message.update);
      else if (message.kind === "awareness") this.drafts?.receiveAwareness(message.draftId, message.update);
      else if (message.kind === "live") this.parts.get(message.part)?.receive(message.value);
      else this.texts?.receive(message);
    } catch (error) {
      console.warn(`A message from instance ${message.from} could not be taken: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async checkLogs(): Promise<void> {
    if (this.checking || !this.drafts) return;
    this.checking = true;
    try {
      await this.drafts.catchUpAll();
    } finally {
      this.checking = false;
    }
  }
}
