import type { WebSocket } from "ws";
import type { Language } from "../../i18n/languages";
import { t } from "../../i18n/translate";
import { message, type Message } from "../domain/messages";
import { DEFAULT_BUDGETS, TokenBucket, type CollabBudgets } from "./budgets";
import type { DraftDocument, Peer } from "./draft-document";
import { awarenessEntryCount, restampPresence, samePresence, type PresenceUser } from "./presence";
import {
  CLOSE,
  decodeClientMessage,
  noticeMessage,
  permissionDeniedMessage,
  permissionGrantedMessage,
  type CloseReason,
} from "./protocol";
import { UpdateRefusedError } from "./checked-apply";

/** Messages a connection may send in a burst, and per second after it. */
export const RATE_BURST = DEFAULT_BUDGETS.messageBurst;
export const RATE_PER_SECOND = DEFAULT_BUDGETS.messagesPerSecond;

/** What the server knows of the person behind a connection. */
export interface ConnectionIdentity {
  userId: string;
  sessionId: string;
  delegationCode: string | null;
  presence: PresenceUser;
  canWrite: boolean;
  /** Why the connection may only read, when it may not write. */
  readOnlyReason?: Message;
  /** The language the person reads Accord in: what the server tells this client is in it. */
  language: Language;
}

/** The reason shown to someone who may only read. */
export const READ_ONLY_REASON: Message = message("editor.readOnly");

// A close frame's reason is at most 123 bytes of UTF-8: cut at a character, never inside one.
function closeFrameReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > 123) reason = Array.from(reason).slice(0, -1).join("");
  return reason;
}

/**
 * One WebSocket to one draft. Every message is untrusted: it is decoded whole before use, writes
 * from a connection that may not write are dropped, and a bad message closes this connection only.
 * Each connection has budgets (budgets.ts): messages, bytes of updates and of cursors, full-state
 * answers, bytes waiting to be read, and a heartbeat.
 */
export class CollabConnection implements Peer {
  readonly clientIds = new Set<number>();
  readonly userId: string;
  readonly sessionId: string;
  delegationCode: string | null;
  presence: PresenceUser;
  /** How many of this connection's updates were refused for not fitting the schema. */
  refusedUpdates = 0;
  // Updates in a row whose dependencies the server lacked (see CollabBudgets.updatesWithGapsInARow).
  private gapsInARow = 0;
  /** How many updates this connection made durable, for the audit trail. */
  updates = 0;
  /** Listeners to call when the connection has closed. */
  readonly onClose: (() => void)[] = [];
  // What the policy allows, and why not; the draft's storage budget can also stop writes.
  private mayWrite: boolean;
  private readOnlyReason: Message;
  private readonly language: Language;
  // What the client was last told, so that it hears only of changes.
  private told: { canWrite: boolean; notice: string };
  private readonly messages: TokenBucket;
  private readonly updateBytes: TokenBucket;
  private readonly syncAnswers: TokenBucket;
  private readonly awarenessBytes: TokenBucket;
  private answeredPing = true;
  private closed = false;
  private readonly stopWatchingStorage: () => void;

  constructor(
    private readonly socket: WebSocket,
    readonly document: DraftDocument,
    identity: ConnectionIdentity,
    private readonly budgets: CollabBudgets = DEFAULT_BUDGETS,
  ) {
    this.userId = identity.userId;
    this.sessionId = identity.sessionId;
    this.delegationCode = identity.delegationCode;
    this.presence = identity.presence;
    this.mayWrite = identity.canWrite;
    this.readOnlyReason = identity.readOnlyReason ?? READ_ONLY_REASON;
    this.language = identity.language;
    this.messages = new TokenBucket(budgets.messageBurst, budgets.messagesPerSecond);
    this.updateBytes = new TokenBucket(budgets.updateBurstBytes, budgets.updateBytesPerSecond);
    this.syncAnswers = new TokenBucket(budgets.syncAnswerBurst, 1000 / budgets.syncAnswerIntervalMs);
    this.awarenessBytes = new TokenBucket(budgets.awarenessBurstBytes, budgets.awarenessBytesPerSecond);
    socket.binaryType = "nodebuffer";
    socket.on("message", (data, isBinary) => this.receive(data, isBinary));
    socket.on("pong", () => (this.answeredPing = true));
    socket.on("close", () => this.closed || this.handleClose());
    socket.on("error", () => this.close(CLOSE.invalidData, "collab.close.connectionError"));
    // A client assumes it may write until told otherwise.
    this.told = { canWrite: true, notice: "" };
    this.tell();
    this.stopWatchingStorage = document.storage.subscribe(() => this.tell());
    document.join(this);
  }

  /** Whether this connection's writes are applied: the policy allows them and the draft is not full. */
  get canWrite(): boolean {
    return this.mayWrite && this.document.storage.level !== "full";
  }

  /**
   * Sends a message if the socket is open. A peer that lets more than the send-buffer budget wait
   * unread is cut off: it would never read a closing handshake either.
   */
  send(message: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.budgets.sendBufferBytes) return this.socket.terminate();
    this.socket.send(message);
  }

  /** Closes the socket with a code and reason; leaving the document follows. */
  close(code: number, reason: CloseReason): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, closeFrameReason(t(reason, {}, this.language)));
    }
    // A socket that does not finish its closing handshake is cut off.
    setTimeout(() => this.socket.terminate(), 2000).unref();
  }

  /** One beat of the heartbeat: a socket that did not answer the last ping is cut off; others are pinged. */
  heartbeat(): void {
    if (!this.answeredPing) return this.socket.terminate();
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.answeredPing = false;
    this.socket.ping();
  }

  /** Takes away (or gives back) the right to write as the policy decides, telling the client why. */
  setCanWrite(canWrite: boolean, reason: Message = READ_ONLY_REASON): void {
    this.mayWrite = canWrite;
    this.readOnlyReason = reason;
    this.tell();
  }

  /** Shows the person as the server now knows them (a new name, delegation or role) on every cursor they have. */
  setPresence(presence: PresenceUser, delegationCode: string | null): void {
    this.delegationCode = delegationCode;
    if (samePresence(presence, this.presence)) return;
    this.presence = presence;
    restampPresence(this.document.awareness, this.clientIds, presence, this);
  }

  // Tells the client what changed: whether it may write (and why not), and any notice about the
  // draft's storage budget.
  private tell(): void {
    const canWrite = this.canWrite;
    if (canWrite !== this.told.canWrite) {
      const reason = this.mayWrite ? t("collab.storage.full", {}, this.language) : t(this.readOnlyReason.key, this.readOnlyReason.params, this.language);
      this.send(canWrite ? permissionGrantedMessage() : permissionDeniedMessage(reason));
    }
    const notice = this.mayWrite && this.document.storage.level === "near" ? t("collab.storage.near", {}, this.language) : "";
    if (notice !== this.told.notice) this.send(noticeMessage(notice));
    this.told = { canWrite, notice };
  }

  private receive(data: unknown, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.messages.take()) return this.close(CLOSE.rateLimited, "collab.close.tooManyMessages");
    if (!isBinary || !Buffer.isBuffer(data)) return this.close(CLOSE.invalidData, "collab.close.notBinary");
    try {
      const message = decodeClientMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      switch (message.type) {
        case "sync-step-1":
          // Each answer may be the whole draft: beyond the budget, a request goes unanswered.
          if (!this.syncAnswers.take()) break;
          this.document.answerSyncStep1(this, message.stateVector).catch(() => this.close(CLOSE.invalidData, "collab.close.badSync"));
          break;
        case "sync-step-2":
        case "update":
          if (!this.updateBytes.take(message.update.byteLength)) {
            return this.close(CLOSE.rateLimited, "collab.close.tooFast");
          }
          // Never applied, stored or relayed for a connection that may only read.
          if (!this.canWrite) break;
          this.document.applyUpdate(this, message.update);
          this.updates += 1;
          this.gapsInARow = 0;
          break;
        case "awareness":
          if (!this.awarenessBytes.take(message.update.byteLength)) return this.close(CLOSE.rateLimited, "collab.close.cursorsTooFrequent");
          if (awarenessEntryCount(message.update) > this.budgets.awarenessStatesPerMessage) {
            return this.close(CLOSE.rateLimited, "collab.close.tooManyCursors");
          }
          this.document.applyAwareness(this, message.update);
          break;
        case "query-awareness":
          if (this.syncAnswers.take()) this.document.sendAwareness(this);
          break;
      }
    } catch (error) {
      if (!(error instanceof UpdateRefusedError)) return this.close(CLOSE.invalidData, "collab.close.unreadable");
      // A client that types while it reconnects sends its new update before those it builds on,
      // which follow in its answer to our state vector: nothing of it is kept, and the client is
      // asked again for everything the server lacks. Only a client that never fills the gap is refused.
      if (error.refusal.code === "missing-dependency" && this.gapsInARow < this.budgets.updatesWithGapsInARow) {
        this.gapsInARow += 1;
        return this.document.askForMissing(this);
      }
      console.warn(`Draft ${this.document.draftId}: an update from user ${this.userId} was refused: ${error.refusal.code} (${error.refusal.detail})`);
      this.refusedUpdates += 1;
      this.close(CLOSE.refusedUpdate, "collab.close.refused");
    }
  }

  private handleClose(): void {
    this.closed = true;
    this.stopWatchingStorage();
    this.document.leave(this);
    for (const listener of this.onClose) listener();
  }
}
