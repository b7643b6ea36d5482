import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { guarded } from "../failures";
import { YJS_FRAGMENT } from "../../schema/prosemirror";
import { appendUpdates, compactDraft, loadDraftState, writeCheckpoint, type UpdateRecord } from "../text-store/persistence";
import {
  awarenessMessage,
  awarenessStatesMessage,
  CLOSE,
  encodeStateVectorMessage,
  REFUSED_UPDATE_REASON,
  syncStep2,
  updateMessage,
} from "./protocol";
import { ApplyFailedError, applyCheckedUpdate, UpdateRefusedError } from "./checked-apply";
import { decodeAwarenessUpdate, encodeAwarenessUpdate, stampPresence, type PresenceUser } from "./presence";
import { DraftStorage, type StorageLimits } from "./storage-budget";
import { DEFAULT_BUDGETS } from "./budgets";

/** What a document needs of a connection. */
export interface Peer {
  /** Null for the server itself (see server-edits.ts). */
  readonly userId: string | null;
  readonly delegationCode: string | null;
  readonly presence: PresenceUser;
  canWrite: boolean;
  /** Awareness client ids this connection speaks for. */
  readonly clientIds: Set<number>;
  /** Takes away (or gives back) the right to write, telling the client why. */
  setCanWrite(canWrite: boolean, reason?: string): void;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** How many of a draft's writes may be in flight at once, before new updates wait to be grouped. */
const MAX_WRITES_IN_FLIGHT = 4;
/** Updates in the log after the checkpoint that trigger a compaction. */
export const COMPACT_AFTER = 500;
// A writer is told what the server holds at most this often.
const ACK_INTERVAL_MS = 200;
// A connection may speak for a few awareness clients (tabs share none), not for others'.
const MAX_CLIENT_IDS_PER_PEER = 4;

interface Pending {
  record: UpdateRecord;
  origin: Peer;
}

/**
 * What a caller waited for was not stored: the document failed first (an append was refused, or a
 * change could not be applied) and is reloaded from the database without it.
 */
export class NotStoredError extends Error {
  readonly code = "not-stored";
  constructor(readonly reason: string) {
    super(`The change was not stored: ${reason}`);
  }
}

/**
 * One loaded draft: its Yjs document, its awareness, its connections, and the order in which
 * updates become durable and are relayed. An update is applied, appended to Postgres, and only
 * then relayed to others; a client's sync is answered only from durable state.
 */
export class DraftDocument {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly peers = new Set<Peer>();
  /** Set when the document could not be kept consistent; the registry drops it. */
  failed = false;
  private nextSeq: number;
  private tail: number;
  private pending: Pending[] = [];
  private flushScheduled: NodeJS.Immediate | null = null;
  private writesInFlight = 0;
  private flushing: Promise<void> = Promise.resolve();
  private durableSeq: number;
  private durableStateVector: Map<number, number>;
  private waiters: { seq: number; resolve: () => void; reject: (error: NotStoredError) => void }[] = [];
  /** Set once a failed document has heard the fate of every append it started: nothing more is stored. */
  private failure: NotStoredError | null = null;
  /** A batch failed: no later batch counts as durable, whatever its own append answered. */
  private broken = false;
  /** Why writing is closed (a phase change is being made, see `closeWriting`); null when open. */
  writingClosed: string | null = null;
  private ackTimers = new Map<Peer, NodeJS.Timeout>();
  private compacting: Promise<unknown> | null = null;
  private captured: Uint8Array[] = [];

  private constructor(
    readonly draftId: string,
    state: { update: Uint8Array; lastSeq: number; tail: number },
    private readonly onFail: (document: DraftDocument) => void,
    /** The draft's stored bytes against its budget. */
    readonly storage: DraftStorage,
  ) {
    // The text's root type is defined before anything is read into it, so checks see it as the schema's.
    this.doc.getXmlFragment(YJS_FRAGMENT);
    Y.applyUpdate(this.doc, state.update, "load");
    this.nextSeq = state.lastSeq + 1;
    this.durableSeq = state.lastSeq;
    this.tail = state.tail;
    this.durableStateVector = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    this.awareness.setLocalState(null);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== "load") this.captured.push(update);
    });
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange) => {
      const changed = [...added, ...updated, ...removed];
      if (changed.length === 0) return;
      const message = awarenessStatesMessage(this.awareness, changed);
      for (const peer of this.peers) peer.send(message);
    });
  }

  /** Loads a draft's stored state completely before anyone can sync with it. */
  static async load(
    draftId: string,
    onFail: (document: DraftDocument) => void,
    limits: StorageLimits = { bytes: DEFAULT_BUDGETS.draftStoredBytes, warnRatio: DEFAULT_BUDGETS.draftWarnRatio },
  ): Promise<DraftDocument> {
    const [state, storage] = await Promise.all([loadDraftState(draftId), DraftStorage.load(draftId, limits)]);
    return new DraftDocument(draftId, state, onFail, storage);
  }

  /** Adds a connection: it receives our durable state vector so that it sends what we lack. */
  join(peer: Peer): void {
    this.peers.add(peer);
    // A connection authorised against the phase before its change still joins read-only.
    if (this.writingClosed !== null) peer.setCanWrite(false, this.writingClosed);
    if (peer.canWrite) peer.send(encodeStateVectorMessage(this.durableStateVector));
    const states = [...this.awareness.getStates().keys()];
    if (states.length) peer.send(awarenessStatesMessage(this.awareness, states));
  }

  /** Removes a connection and its cursors. */
  leave(peer: Peer): void {
    this.peers.delete(peer);
    const timer = this.ackTimers.get(peer);
    if (timer) clearTimeout(timer);
    this.ackTimers.delete(peer);
    if (peer.clientIds.size) awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.clientIds], peer);
  }

  /** Answers a client's sync step 1 with what it lacks, from durable state only. */
  async answerSyncStep1(peer: Peer, stateVector: Uint8Array): Promise<void> {
    await this.durable();
    if (this.peers.has(peer)) peer.send(syncStep2(this.doc, stateVector));
  }

  /**
   * Applies a writer's update. Throws when the update is malformed, and UpdateRefusedError when it
   * does not fit the schema or builds on what the document lacks (nothing applied, nothing stored).
   * When applying fails half-way the document is failed and reloaded from Postgres.
   */
  applyUpdate(peer: Peer, update: Uint8Array): void {
    this.captured = [];
    let refusal;
    try {
      refusal = applyCheckedUpdate(this.doc, update, peer);
    } catch (error) {
      if (error instanceof ApplyFailedError) this.fail(`an update could not be applied: ${describe(error)}`);
      throw error;
    }
    if (refusal?.reload) {
      // The document holds what was refused, neither stored nor relayed: reload it without that.
      // Its writer is closed first, with a code that keeps it from reconnecting to send it again.
      peer.close(CLOSE.refusedUpdate, REFUSED_UPDATE_REASON);
      this.captured = [];
      this.fail(`an update did not fit the schema: ${refusal.detail}`);
    } else {
      this.queueCaptured(peer);
    }
    if (refusal) throw new UpdateRefusedError(refusal);
  }

  // Queues the changes the last transaction made, to be stored and then relayed.
  private queueCaptured(origin: Peer): void {
    const changes = this.captured;
    this.captured = [];
    for (const change of changes) {
      this.pending.push({
        origin,
        record: { seq: this.nextSeq++, update: change, userId: origin.userId, delegationCode: origin.delegationCode },
      });
    }
    if (changes.length) this.scheduleFlush();
  }

  /** Applies a change the server makes (see server-edits.ts) as one transaction attributed to `author`. */
  applyServerEdit(author: Peer, edit: (doc: Y.Doc) => void): void {
    this.captured = [];
    try {
      Y.transact(this.doc, () => edit(this.doc), author);
    } catch (error) {
      // A change made half-way must not live on in memory unstored: reload from the database.
      if (this.captured.length) this.fail(`a server edit failed half-way: ${describe(error)}`);
      this.captured = [];
      throw error;
    }
    this.queueCaptured(author);
  }

  /** Applies a client's awareness update, stamped with who the connection really is. */
  applyAwareness(peer: Peer, update: Uint8Array): void {
    const entries = decodeAwarenessUpdate(update).filter((entry) => this.claim(peer, entry.clientId));
    if (entries.length === 0) return;
    const stamped = entries.map((entry) => stampPresence(entry, peer.presence));
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(stamped), peer);
  }

  /** Asks a writer for every update the server lacks: our durable state vector, which its client answers. */
  askForMissing(peer: Peer): void {
    peer.send(encodeStateVectorMessage(this.durableStateVector));
  }

  /** Sends a connection every awareness state (the client asked). */
  sendAwareness(peer: Peer): void {
    peer.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
  }

  /**
   * Resolves when every update applied so far is durable; rejects with NotStoredError when the
   * document failed before they all were (what was stored stays; the reload reads exactly that).
   */
  durable(): Promise<void> {
    const target = this.nextSeq - 1;
    if (this.durableSeq >= target) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ seq: target, resolve, reject }));
  }

  /**
   * Stops accepting writes from every connection, now and for those that join later, telling each
   * one `reason`; resolves once everything accepted before is durable. Server edits still apply.
   */
  async closeWriting(reason: string): Promise<void> {
    this.writingClosed = reason;
    for (const peer of this.peers) peer.setCanWrite(false, reason);
    // Updates already applied but not yet written go now rather than after the next turn.
    this.flushNow();
    await this.durable();
  }

  /** Lets the permission check give writing back (the phase allows it again, or its change failed). */
  reopenWriting(): void {
    this.writingClosed = null;
  }

  /** Makes everything durable and folds the log into the checkpoint. */
  async flushAndCompact(): Promise<void> {
    this.flushNow();
    await this.flushing;
    // A failed document stores nothing more; its reload reads what it did store.
    const stored = await this.durable().then(
      () => true,
      () => false,
    );
    await this.compacting;
    if (stored && this.tail > 0 && !this.failed) await this.compact();
  }

  /** Closes every connection (with a code that makes clients reconnect) and frees the document. */
  destroy(code: number = CLOSE.restart, reason = "The server is restarting."): void {
    for (const peer of [...this.peers]) peer.close(code, reason);
    for (const timer of this.ackTimers.values()) clearTimeout(timer);
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private claim(peer: Peer, clientId: number): boolean {
    if (peer.clientIds.has(clientId)) return true;
    for (const other of this.peers) if (other !== peer && other.clientIds.has(clientId)) return false;
    if (peer.clientIds.size >= MAX_CLIENT_IDS_PER_PEER) return false;
    peer.clientIds.add(clientId);
    return true;
  }

  // Updates are written as soon as the event loop has read what arrived with them (one INSERT for
  // all of it), without waiting for the writes before them (a few may be in flight); beyond that,
  // the next ones gather for one INSERT after them (group commit). Each batch is relayed after the
  // ones before it are durable and relayed, so clients get updates in the order they were applied.
  private scheduleFlush(): void {
    if (this.writesInFlight >= MAX_WRITES_IN_FLIGHT) return;
    this.flushScheduled ??= setImmediate(guarded(`flushing draft ${this.draftId}`, () => this.flushNow()));
  }

  private flushNow(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = null;
    if (this.failed || this.pending.length === 0 || this.writesInFlight >= MAX_WRITES_IN_FLIGHT) return;
    const batch = this.pending;
    this.pending = [];
    this.writesInFlight += 1;
    const stored = appendUpdates(this.draftId, batch.map((item) => item.record)).then(
      () => null,
      (error: unknown) => error,
    );
    void stored.then(() => {
      this.writesInFlight -= 1;
      if (this.pending.length) this.scheduleFlush();
    });
    this.flushing = this.flushing.then(async () => this.relayStored(batch, await stored));
  }

  // Batches are settled here one after another in the order they were applied (the `flushing`
  // chain), whatever order their appends finished in. A batch counts as durable only when every
  // batch before it did: the log's prefix up to `durableSeq` is stored and gap-free. When one
  // batch fails, the later ones in flight are discarded by persistence (see appendUpdates), so
  // nothing past the gap survives, and the document fails.
  private relayStored(batch: Pending[], error: unknown): void {
    if (error !== null) this.broken = true;
    if (this.failed) {
      this.settleAfterFailure(batch);
      return;
    }
    if (error !== null) {
      this.fail(`updates could not be stored: ${describe(error)}`);
      return;
    }
    const origins = new Set<Peer>();
    for (const { record, origin } of batch) {
      // parseUpdateMeta's `to` is each client's clock after the update (encodeStateVectorFromUpdate
      // would only count updates that start at clock 0).
      for (const [client, clock] of Y.parseUpdateMeta(record.update).to) {
        if (clock > (this.durableStateVector.get(client) ?? 0)) this.durableStateVector.set(client, clock);
      }
      origins.add(origin);
    }
    this.relay(batch, origins);
    const last = batch.at(-1);
    if (last) this.durableSeq = last.record.seq;
    this.tail += batch.length;
    this.storage.added(batch.reduce((bytes, { record }) => bytes + record.update.byteLength, 0));
    this.waiters = this.waiters.filter((waiter) => (waiter.seq <= this.durableSeq ? (waiter.resolve(), false) : true));
    for (const origin of origins) this.scheduleAck(origin);
    // When everything applied is durable, the document holds exactly the durable updates: its own
    // state is the checkpoint, without reading the log back (that is left to unloading).
    // When typing never leaves such a moment, the log is folded from the database instead.
    if (this.tail >= COMPACT_AFTER && !this.compacting) {
      if (this.durableSeq === this.nextSeq - 1) void this.checkpoint();
      else if (this.tail >= 4 * COMPACT_AFTER) void this.compact();
    }
  }

  // Sends each connection the batch's updates it did not write, merged into one message: one
  // write per connection per batch, however many updates a busy moment gathered.
  private relay(batch: Pending[], origins: Set<Peer>): void {
    if (batch.length === 1) {
      const [{ record, origin }] = batch as [Pending];
      const message = updateMessage(record.update);
      for (const peer of this.peers) if (peer !== origin) peer.send(message);
      return;
    }
    const merged = (from: Pending[]) => (from.length ? updateMessage(Y.mergeUpdates(from.map(({ record }) => record.update))) : null);
    const toOthers = merged(batch);
    const toOrigins = new Map<Peer, Uint8Array | null>();
    for (const origin of origins) toOrigins.set(origin, merged(batch.filter((item) => item.origin !== origin)));
    for (const peer of this.peers) {
      const message = toOrigins.has(peer) ? toOrigins.get(peer) : toOthers;
      if (message) peer.send(message);
    }
  }

  // Tells a writer which of its changes the server holds durably (a sync step 1 with our state
  // vector): the stock client answers with anything missing, and the editor counts the rest.
  private scheduleAck(peer: Peer): void {
    if (this.ackTimers.has(peer) || !this.peers.has(peer)) return;
    this.ackTimers.set(
      peer,
      setTimeout(
        guarded(`acknowledging updates of draft ${this.draftId}`, () => {
          this.ackTimers.delete(peer);
          if (this.peers.has(peer)) peer.send(encodeStateVectorMessage(this.durableStateVector));
        }),
        ACK_INTERVAL_MS,
      ),
    );
  }

  // The loaded document's own state, written as the checkpoint (everything applied is durable).
  private checkpoint(): Promise<void> {
    const state = Y.encodeStateAsUpdate(this.doc);
    const folded = this.tail;
    return this.fold(writeCheckpoint(this.draftId, state, this.durableSeq).then(() => folded));
  }

  // The log folded into the checkpoint by the database's copy of it.
  private compact(): Promise<void> {
    return this.fold(compactDraft(this.draftId).then(({ folded }) => folded));
  }

  // Runs one compaction at a time; the updates it folded leave the tail.
  private async fold(folding: Promise<number>): Promise<void> {
    const run = folding.then(
      (folded) => {
        this.tail = Math.max(0, this.tail - folded);
        // Awaited, so that the count is done before a draft being unloaded lets the database close.
        return this.storage.recount();
      },
      (error: unknown) => console.warn(`Compaction of draft ${this.draftId} failed; it will be retried:`, describe(error)),
    );
    this.compacting = run;
    await run;
    this.compacting = null;
  }

  // Updates not yet sent are dropped; appends in flight are still heard (`settleAfterFailure`), and
  // only once the last of them has answered are the remaining waiters told that nothing more was
  // stored: a waiter never hears "not stored" for an update that is in the log after all.
  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.pending = [];
    console.warn(`Draft ${this.draftId} is reloaded from the database: ${reason}`);
    const failure = new NotStoredError(reason);
    const settle = () => {
      this.failure = failure;
      for (const waiter of this.waiters) waiter.reject(failure);
      this.waiters = [];
    };
    void this.flushing.then(settle, settle);
    this.onFail(this);
    this.destroy(CLOSE.restart, "The draft is being reloaded; reconnecting.");
  }

  // A batch answered after the document failed (for a reason other than its own append): it is
  // durable when it and every batch before it were stored; nothing is relayed any more.
  private settleAfterFailure(batch: Pending[]): void {
    const last = batch.at(-1);
    if (this.broken || !last) return;
    this.durableSeq = last.record.seq;
    this.waiters = this.waiters.filter((waiter) => (waiter.seq <= this.durableSeq ? (waiter.resolve(), false) : true));
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
