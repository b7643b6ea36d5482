import type { WebSocket } from "ws";
import type { DraftDocument, Peer } from "./draft-document";
import { CLOSE, decodeClientMessage, permissionDeniedMessage, permissionGrantedMessage, REFUSED_UPDATE_REASON } from "./protocol";
import type { PresenceUser } from "./presence";
import { UpdateRefusedError } from "./update-check";

/** Messages a connection may send in a burst, and per second after it. */
export const RATE_BURST = 400;
export const RATE_PER_SECOND = 150;

/** What the server knows of the person behind a connection. */
export interface ConnectionIdentity {
  userId: string;
  sessionId: string;
  delegationCode: string | null;
  presence: PresenceUser;
  canWrite: boolean;
  /** Why the connection may only read, when it may not write. */
  readOnlyReason?: string;
}

/** The reason shown to someone who may only read. */
export const READ_ONLY_REASON = "You may read this draft but not edit it.";

/**
 * One WebSocket to one draft. Every message is untrusted: it is decoded whole before use, writes
 * from a connection that may not write are dropped, and a bad message closes this connection only.
 */
export class CollabConnection implements Peer {
  readonly clientIds = new Set<number>();
  readonly userId: string;
  readonly sessionId: string;
  readonly delegationCode: string | null;
  readonly presence: PresenceUser;
  canWrite: boolean;
  /** How many updates this connection made durable, for the audit trail. */
  updates = 0;
  private tokens = RATE_BURST;
  private lastRefill = Date.now();
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    readonly document: DraftDocument,
    identity: ConnectionIdentity,
  ) {
    this.userId = identity.userId;
    this.sessionId = identity.sessionId;
    this.delegationCode = identity.delegationCode;
    this.presence = identity.presence;
    this.canWrite = identity.canWrite;
    socket.binaryType = "nodebuffer";
    socket.on("message", (data, isBinary) => this.receive(data, isBinary));
    socket.on("close", () => this.closed || this.handleClose());
    socket.on("error", () => this.close(CLOSE.invalidData, "Connection error."));
    if (!this.canWrite) this.send(permissionDeniedMessage(identity.readOnlyReason ?? READ_ONLY_REASON));
    document.join(this);
  }

  /** Sends a message if the socket is open. */
  send(message: Uint8Array): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(message);
  }

  /** Closes the socket with a code and reason; leaving the document follows. */
  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
    // A socket that does not finish its closing handshake is cut off.
    setTimeout(() => this.socket.terminate(), 2000).unref();
  }

  /** Takes away (or gives back) the right to write, telling the client why. */
  setCanWrite(canWrite: boolean, reason: string = READ_ONLY_REASON): void {
    if (canWrite === this.canWrite) return;
    this.canWrite = canWrite;
    this.send(canWrite ? permissionGrantedMessage() : permissionDeniedMessage(reason));
  }

  /** Listeners to call when the connection has closed. */
  readonly onClose: (() => void)[] = [];

  private receive(data: unknown, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.takeToken()) return this.close(CLOSE.rateLimited, "Too many messages; slow down.");
    if (!isBinary || !Buffer.isBuffer(data)) return this.close(CLOSE.invalidData, "Messages must be binary.");
    try {
      const message = decodeClientMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      switch (message.type) {
        case "sync-step-1":
          this.document.answerSyncStep1(this, message.stateVector).catch(() => this.close(CLOSE.invalidData, "Bad sync message."));
          break;
        case "sync-step-2":
        case "update":
          // Never applied, stored or relayed for a connection that may only read.
          if (!this.canWrite) break;
          this.document.applyUpdate(this, message.update);
          this.updates += 1;
          break;
        case "awareness":
          this.document.applyAwareness(this, message.update);
          break;
        case "query-awareness":
          this.document.sendAwareness(this);
          break;
      }
    } catch (error) {
      if (!(error instanceof UpdateRefusedError)) return this.close(CLOSE.invalidData, "A message could not be read.");
      console.warn(`Draft ${this.document.draftId}: an update from user ${this.userId} was refused: ${error.refusal.code} (${error.refusal.detail})`);
      this.close(CLOSE.refusedUpdate, REFUSED_UPDATE_REASON);
    }
  }

  private takeToken(): boolean {
    const now = Date.now();
    this.tokens = Math.min(RATE_BURST, this.tokens + ((now - this.lastRefill) / 1000) * RATE_PER_SECOND);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private handleClose(): void {
    this.closed = true;
    this.document.leave(this);
    for (const listener of this.onClose) listener();
  }
}
