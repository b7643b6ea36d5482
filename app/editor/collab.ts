import * as decoding from "lib0/decoding";
import * as authProtocol from "y-protocols/auth";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { YJS_FRAGMENT } from "../../schema/prosemirror";
import { t } from "../../i18n/translate";

// The auth sub-types by which the server gives back the right to write, and sends a notice such
// as a draft near its storage budget (server/collab/protocol.ts).
const AUTH_PERMISSION_GRANTED = 1;
const AUTH_NOTICE = 2;

/** How the connection to the server stands, as the indicator shows it. */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

/** Someone in the draft now, as the server names them. */
export interface Person {
  clientId: number;
  name: string;
  delegationName: string | null;
  color: string;
  self: boolean;
}

/** Everything the editor page shows about the collaboration. */
export interface CollabStatus {
  connection: ConnectionState;
  /** Local changes the server has not yet confirmed as stored. */
  unconfirmed: number;
  /** Whether the text has arrived from the server (it stays true through disconnections). */
  synced: boolean;
  /** Set when the server said this person may not write. */
  readOnlyReason: string | null;
  /** Set when the server closed the connection for good (signed out, access lost). */
  closedReason: string | null;
  /** A notice from the server for the writer, such as a draft near its storage budget. */
  notice: string | null;
  people: Person[];
}

const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
const SYNC_STEP_1 = 0;

/**
 * Connects a Yjs document to /collab/<draftId> with the stock y-websocket provider, and keeps a
 * status for the page: connection state, unconfirmed changes, read-only, and who is here.
 * A change counts as confirmed when the server's state vector (which it sends once the change is
 * durable) includes it.
 */
export class CollabSession {
  readonly doc = new Y.Doc();
  readonly fragment: Y.XmlFragment = this.doc.getXmlFragment(YJS_FRAGMENT);
  readonly provider: WebsocketProvider;
  private status: CollabStatus = {
    connection: "connecting",
    unconfirmed: 0,
    synced: false,
    readOnlyReason: null,
    closedReason: null,
    notice: null,
    people: [],
  };
  private listeners = new Set<(status: CollabStatus) => void>();
  private localClocks: number[] = [];
  private confirmedClock = 0;
  private everConnected = false;
  private readonly onOffline = () => {
    this.provider.disconnect();
    this.update({ connection: "offline" });
  };
  private readonly onOnline = () => {
    this.provider.connect();
    this.update({ connection: "reconnecting" });
  };

  constructor(draftId: string, options: { serverUrl?: string; readOnlyReason?: string | null } = {}) {
    const serverUrl = options.serverUrl ?? `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/collab`;
    this.status.readOnlyReason = options.readOnlyReason ?? null;
    this.provider = new WebsocketProvider(serverUrl, draftId, this.doc, { disableBc: true, maxBackoffTime: 2000 });
    this.watchConfirmations();
    this.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      // Accord's server also says when the right to write comes back (a round reopened editing).
      const subType = decoding.peekVarUint(decoder);
      if (subType === AUTH_PERMISSION_GRANTED) this.update({ readOnlyReason: null });
      else if (subType === AUTH_NOTICE) {
        decoding.readVarUint(decoder);
        this.update({ notice: decoding.readVarString(decoder) || null });
      } else authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) => this.update({ readOnlyReason: reason }));
    };
    this.provider.on("status", ({ status }) => {
      if (status === "connected") this.everConnected = true;
      this.update({ connection: this.connectionState(status) });
    });
    // Once the text has arrived it stays editable through disconnections: the provider reports
    // "not synced" while offline, but local changes are kept and merged on reconnect.
    this.provider.on("sync", (synced: boolean) => {
      if (synced && !this.status.synced) this.update({ synced: true });
    });
    this.provider.on("closed", (event: { code: number; reason: string }) =>
      this.update({ closedReason: event.reason || t("editor.closedByServer"), connection: "offline" }),
    );
    this.provider.awareness.on("change", () => this.update({ people: this.people() }));
    this.doc.on("update", (_update: Uint8Array, origin: unknown) => {
      if (origin === this.provider) return;
      this.localClocks.push(Y.getState(this.doc.store, this.doc.clientID));
      this.update({ unconfirmed: this.countUnconfirmed() });
    });
    window.addEventListener("offline", this.onOffline);
    window.addEventListener("online", this.onOnline);
  }

  /** The current status. */
  get current(): CollabStatus {
    return this.status;
  }

  /** Calls `listener` on every change of status; returns the unsubscribe function. */
  subscribe(listener: (status: CollabStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  /** Disconnects and frees everything. */
  destroy(): void {
    window.removeEventListener("offline", this.onOffline);
    window.removeEventListener("online", this.onOnline);
    this.listeners.clear();
    this.provider.destroy();
    this.doc.destroy();
  }

  // Peeks at each sync step 1 from the server (its durable state vector) before the stock
  // handler answers it, to learn which local changes are stored.
  private watchConfirmations(): void {
    const original = this.provider.messageHandlers[MESSAGE_SYNC];
    if (!original) return;
    this.provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, provider, emitSynced, messageType) => {
      const peek = decoding.clone(decoder);
      if (decoding.readVarUint(peek) === SYNC_STEP_1) {
        const stateVector = Y.decodeStateVector(decoding.readVarUint8Array(peek));
        this.confirmedClock = Math.max(this.confirmedClock, stateVector.get(this.doc.clientID) ?? 0);
        this.localClocks = this.localClocks.filter((clock) => clock > this.confirmedClock);
        this.update({ unconfirmed: this.countUnconfirmed() });
      }
      original(encoder, decoder, provider, emitSynced, messageType);
    };
  }

  private countUnconfirmed(): number {
    return this.localClocks.filter((clock) => clock > this.confirmedClock).length;
  }

  private connectionState(status: "connected" | "connecting" | "disconnected"): ConnectionState {
    if (typeof navigator !== "undefined" && !navigator.onLine) return "offline";
    if (status === "connected") return "connected";
    if (!this.everConnected) return "connecting";
    return this.provider.wsUnsuccessfulReconnects >= 3 ? "offline" : "reconnecting";
  }

  private people(): Person[] {
    const people: Person[] = [];
    this.provider.awareness.getStates().forEach((state, clientId) => {
      const user = state.user as { name?: unknown; delegationName?: unknown; color?: unknown } | undefined;
      if (!user || typeof user.name !== "string") return;
      people.push({
        clientId,
        name: user.name,
        delegationName: typeof user.delegationName === "string" ? user.delegationName : null,
        color: typeof user.color === "string" && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : "#4a5368",
        self: clientId === this.doc.clientID,
      });
    });
    return people.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
  }

  /**
   * Says why the person may only read now (null: they may write), when the page learns it before
   * the server's message does, such as a change of phase. The server's word on writes still holds.
   */
  setReadOnlyReason(reason: string | null): void {
    if (reason !== this.status.readOnlyReason) this.update({ readOnlyReason: reason });
  }

  private update(change: Partial<CollabStatus>): void {
    this.status = { ...this.status, ...change };
    for (const listener of this.listeners) listener(this.status);
  }
}
