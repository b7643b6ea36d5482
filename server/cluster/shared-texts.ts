import type { Message } from "../domain/messages";
import { randomUUID } from "node:crypto";
import type { DocumentEdit, LiveTexts } from "../domain/live-texts";
import type { ClusterMessage } from "./messages";

/** How long a change of phase waits for the other instances to close writing on its draft. */
export const CLOSE_WRITING_WAIT_MS = 5_000;

/** What the shared texts need of the cluster: to publish, and to count who heard. */
export interface TextsChannel {
  readonly instanceId: string;
  publish(message: ClusterMessage): void;
  /** Publishes; resolves with how many instances (this one included) heard it. */
  publishCounted(message: ClusterMessage): Promise<number>;
}

/**
 * The live-texts port of an instance among several: edits and repairs are this instance's (the log
 * orders them with every other's), but closing writing before a change of phase must reach every
 * instance that may accept a writer on the draft. Each closes writing on its own copy (loading it
 * if need be, as a connection being authorised there would join it) and answers once what it
 * accepted before is stored; the change of phase waits for every answer, so that the phase's
 * version holds exactly what was accepted anywhere before it.
 */
export class SharedTexts implements LiveTexts {
  private readonly waiting = new Map<string, Awaited>();

  constructor(
    private readonly local: LiveTexts,
    private readonly channel: TextsChannel,
    private readonly waitMs: number = CLOSE_WRITING_WAIT_MS,
  ) {}

  editDocument(edit: DocumentEdit): Promise<{ alreadyMade: boolean }> {
    return this.local.editDocument(edit);
  }

  repair(draftId: string): Promise<boolean> {
    return this.local.repair(draftId);
  }

  /**
   * Closes writing here and on every other instance, and resolves once each has answered that what
   * it accepted before is stored. Rejects when one could not (the change of phase is then not
   * made); an instance that does not answer within `waitMs` is taken for gone (a stopped instance
   * accepts nothing), and said so in the log.
   */
  async closeWriting(draftId: string, reason: Message): Promise<void> {
    await this.local.closeWriting(draftId, reason);
    const request = randomUUID();
    const entry = new Awaited();
    this.waiting.set(request, entry);
    let timer: NodeJS.Timeout | undefined;
    try {
      const heard = await this.channel.publishCounted({ kind: "close-writing", from: this.channel.instanceId, request, draftId, reason });
      entry.expect(heard - 1);
      const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), this.waitMs)));
      if ((await Promise.race([entry.done, timedOut])) === "timeout") {
        console.warn(`${entry.missing} instance(s) did not say within ${this.waitMs} ms that writing on draft ${draftId} is closed; taken for gone.`);
      }
    } catch (error) {
      throw new Error(`Writing on draft ${draftId} could not be closed on the other instances: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
      this.waiting.delete(request);
    }
    if (entry.failed) throw new Error(`Another instance could not close writing on draft ${draftId}.`);
  }

  async reopenWriting(draftId: string): Promise<void> {
    await this.local.reopenWriting(draftId);
    this.channel.publish({ kind: "reopen-writing", from: this.channel.instanceId, draftId });
  }

  /** Takes a message of another instance about writing; false when it is not one. */
  receive(message: ClusterMessage): boolean {
    if (message.kind === "close-writing") {
      const answer = (ok: boolean) => this.channel.publish({ kind: "writing-closed", from: this.channel.instanceId, request: message.request, ok });
      this.local.closeWriting(message.draftId, message.reason).then(
        () => answer(true),
        (error: unknown) => {
          console.warn(`Writing on draft ${message.draftId} could not be closed for instance ${message.from}:`, error instanceof Error ? error.message : error);
          answer(false);
        },
      );
      return true;
    }
    if (message.kind === "writing-closed") {
      this.waiting.get(message.request)?.answer(message.ok);
      return true;
    }
    if (message.kind === "reopen-writing") {
      void this.local.reopenWriting(message.draftId);
      return true;
    }
    return false;
  }
}

// The answers to one request: they may arrive before Redis has said how many to expect.
class Awaited {
  failed = false;
  readonly done: Promise<void>;
  private answers = 0;
  private expected: number | null = null;
  private settle = () => undefined as void;

  constructor() {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  expect(count: number): void {
    this.expected = count;
    this.check();
  }

  answer(ok: boolean): void {
    this.answers += 1;
    if (!ok) this.failed = true;
    this.check();
  }

  get missing(): number {
    return Math.max(0, (this.expected ?? 0) - this.answers);
  }

  private check(): void {
    if (this.expected !== null && this.answers >= this.expected) this.settle();
  }
}
