import type { Message } from "../domain/messages";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { guarded } from "../failures";
import { YJS_FRAGMENT } from "../../schema/prosemirror";
import {
  appendUpdates,
  compactDraft,
  loadDraftState,
  readUpdatesAfter,
  writeCheckpoint,
  type AppendedRange,
  type UpdateRecord,
} from "../text-store/persistence";
import {
  awarenessMessage,
  awarenessStatesMessage,
  CLOSE,
  encodeStateVectorMessage,
  syncStep2,
  updateMessage,
  type CloseReason,
} from "./protocol";
import { ApplyFailedError, applyCheckedUpdate, UpdateRefusedError } from "./checked-apply";
import { decodeAwarenessUpdate, encodeAwarenessUpdate, samePresence, stampPresence, type PresenceUser } from "./presence";
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
  setCanWrite(canWrite: boolean, reason?: Message): void;
  send(message: Uint8Array): void;
  /** Closes the connection with `code`, telling the client `reason` in its own language. */
  close(code: number, reason: CloseReason): void;
}

/**
 * What a document tells the documents of the same draft in other instances (see server/cluster);
 * in a single process, nothing.
 */
export interface DraftFeed {
  /** Updates just made durable as `range` of the draft's log, merged into one. */
  stored(draftId: string, range: AppendedRange, update: Uint8Array): void;
  /** An awareness change of this instance's connections. */
  awareness(draftId: string, update: Uint8Array): void;
}

/** What the collaboration server does with what other instances tell of drafts (see server/cluster). */
export interface SharedDrafts {
  /** Another instance stored updates of a draft: a loaded copy applies them. */
  receiveStored(draftId: string, range: AppendedRange, update: Uint8Array): void;
  /** Another instance's connections moved their cursors, joined or left. */
  receiveAwareness(draftId: string, update: Uint8Array): void;
  /** Compares every loaded draft with its log and reads what it lacks. */
  catchUpAll(): Promise<void>;
}

/** The feed of a process that is the only instance. */
export const NO_FEED: DraftFeed = { stored: () => undefined, awareness: () => undefined };

/** The origin of what another instance stored (not stored again, not sent back). */
const REMOTE = Symbol("remote");

/** How long a hole in what other instances told may last before the log is read to fill it. */
const HOLE_GRACE_MS = 300;
/** Updates past a hole kept waiting for it; beyond, the document is reloaded from the log instead. */
const MAX_AHEAD = 10_000;
/** Updates in the log after the checkpoint that trigger a compaction. */
export const COMPACT_AFTER = 500;
// A writer is told what the server holds at most this often.
const ACK_INTERVAL_MS = 200;
// A connection may speak for a few awareness clients (tabs share none), not for others'.
const MAX_CLIENT_IDS_PER_PEER = 4;

interface Pending {
  /** The order in which this document applied it (not the log's sequence number). */
  localSeq: number;
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
 * then relayed to others (the connections here, and the same draft's documents in other
 * instances); a client's sync is answered only from durable state.
 *
 * One append is in flight at a time: updates that arrive meanwhile gather for the next (group
 * commit). The log gives each append its sequence numbers; what other instances appended is
 * applied here in the log's order (`logSeq` is how far), and read from the log when what they
 * told has a hole (a message lost, or not yet arrived).
 */
export class DraftDocument {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly peers = new Set<Peer>();
  /** Set when the document could not be kept consistent; the registry drops it. */
  failed = false;
  private nextLocal = 1;
  private durableLocal = 0;
  /** The log is applied here without a hole up to this sequence number. */
  private logSeq: number;
  /** Sequence numbers past `logSeq` already known: their update (to apply), or null (applied, our own). */
  private ahead = new Map<number, Uint8Array | null>();
  private holeTimer: NodeJS.Timeout | null = null;
  private catchingUp: Promise<void> | null = null;
  private tail: number;
  private pending: Pending[] = [];
  private flushScheduled: NodeJS.Immediate | null = null;
  private writing = false;
  private flushing: Promise<void> = Promise.resolve();
  private durableStateVector: Map<number, number>;
  private waiters: { seq: number; resolve: () => void; reject: (error: NotStoredError) => void }[] = [];
  /** Set once a failed document has heard the fate of every append it started: nothing more is stored. */
  private failure: NotStoredError | null = null;
  /** A batch failed: no later batch counts as durable, whatever its own append answered. */
  private broken = false;
  /** Why writing is closed (a phase change is being made, see `closeWriting`); null when open. */
  writingClosed: Message | null = null;
  private ackTimers = new Map<Peer, NodeJS.Timeout>();
  private compacting: Promise<unknown> | null = null;
  private captured: Uint8Array[] = [];

  private constructor(
    readonly draftId: string,
    state: { update: Uint8Array; lastSeq: number; tail: number },
    private readonly onFail: (document: DraftDocument) => void,
    /** The draft's stored bytes against its budget. */
    readonly storage: DraftStorage,
    private readonly feed: DraftFeed,
  ) {
    // The text's root type is defined before anything is read into it, so checks see it as the schema's.
    this.doc.getXmlFragment(YJS_FRAGMENT);
    Y.applyUpdate(this.doc, state.update, "load");
    this.logSeq = state.lastSeq;
    this.tail = state.tail;
    this.durableStateVector = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    this.awareness.setLocalState(null);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== "load" && origin !== REMOTE) this.captured.push(update);
    });
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange) => {
      const changed = [...added, ...updated, ...removed];
      if (changed.length === 0) return;
      const message = awarenessStatesMessage(this.awareness, changed);
      for (const peer of this.peers) peer.send(message);
    });
    // Changes of this instance's connections (not those another told, nor the timeout of theirs).
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      if (origin === REMOTE || origin === "timeout") return;
      const changed = [...added, ...updated, ...removed];
      if (changed.length) this.feed.awareness(this.draftId, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    });
  }

  /** Loads a draft's stored state completely before anyone can sync with it. */
  static async load(
    draftId: string,
    onFail: (document: DraftDocument) => void,
    limits: StorageLimits = { bytes: DEFAULT_BUDGETS.draftStoredBytes, warnRatio: DEFAULT_BUDGETS.draftWarnRatio },
    feed: DraftFeed = NO_FEED,
  ): Promise<DraftDocument> {
    const [state, storage] = await Promise.all([loadDraftState(draftId), DraftStorage.load(draftId, limits)]);
    return new DraftDocument(draftId, state, onFail, storage, feed);
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
      peer.close(CLOSE.refusedUpdate, "collab.close.refused");
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
        localSeq: this.nextLocal++,
        record: { update: change, userId: origin.userId, delegationCode: origin.delegationCode },
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

  /**
   * Takes what another instance stored as `range` of the log: applied in the log's order (a part
   * past a hole waits for it, and the log is read when the hole stays), then relayed to every
   * connection here. What this document already holds is skipped.
   */
  receiveStored(range: AppendedRange, update: Uint8Array): void {
    if (this.failed || range.lastSeq <= this.logSeq) return;
    if (this.ahead.size + range.lastSeq - range.firstSeq + 1 > MAX_AHEAD) {
      this.fail(`more than ${MAX_AHEAD} updates of other instances wait for a hole in the log to fill`);
      return;
    }
    // A merged range is kept whole on its first number; the numbers after it are marked known.
    for (let seq = range.firstSeq + 1; seq <= range.lastSeq; seq += 1) if (!this.ahead.has(seq)) this.ahead.set(seq, null);
    if (range.firstSeq > this.logSeq && this.ahead.get(range.firstSeq) == null) this.ahead.set(range.firstSeq, update);
    this.advance();
  }

  /** How far the log is applied here without a hole. */
  get appliedSeq(): number {
    return this.logSeq;
  }

  /**
   * Takes an awareness change of another instance's connections; an entry for a client id that a
   * connection here speaks for is dropped (no connection elsewhere may move its cursor).
   */
  receiveAwareness(update: Uint8Array): void {
    if (this.failed) return;
    const entries = decodeAwarenessUpdate(update).filter((entry) => ![...this.peers].some((peer) => peer.clientIds.has(entry.clientId)));
    if (entries.length) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(entries), REMOTE);
  }

  /**
   * Reads from the log what other instances stored past what this document holds, and applies it:
   * called when what they told has a hole, when they may have told things this instance missed, and
   * before a server edit (which must see the whole text).
   */
  catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        for (;;) {
          const from = this.logSeq;
          const updates = await readUpdatesAfter(this.draftId, from);
          if (this.failed) return;
          for (const { seq, update } of updates) if (seq > this.logSeq && !this.ahead.has(seq)) this.ahead.set(seq, update);
          this.advance();
          if (updates.length === 0 || this.logSeq === from) return;
        }
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  // Applies the known updates that follow `logSeq` without a hole, relays them, and watches a hole.
  private advance(): void {
    const applied: Uint8Array[] = [];
    for (let next = this.ahead.get(this.logSeq + 1); next !== undefined; next = this.ahead.get(this.logSeq + 1)) {
      this.ahead.delete(this.logSeq + 1);
      this.logSeq += 1;
      if (next === null) continue;
      try {
        Y.applyUpdate(this.doc, next, REMOTE);
      } catch (error) {
        // What the log holds could not be applied here: nothing of this copy can be trusted now.
        this.fail(`an update stored by another instance could not be applied: ${describe(error)}`);
        return;
      }
      this.markDurable(next);
      this.storage.added(next.byteLength);
      applied.push(next);
    }
    if (applied.length) {
      const message = updateMessage(applied.length === 1 ? (applied[0] as Uint8Array) : Y.mergeUpdates(applied));
      for (const peer of this.peers) peer.send(message);
    }
    if (this.ahead.size === 0) {
      if (this.holeTimer) clearTimeout(this.holeTimer);
      this.holeTimer = null;
    } else {
      this.holeTimer ??= setTimeout(
        guarded(`filling a hole in draft ${this.draftId}`, () => {
          this.holeTimer = null;
          void this.catchUp().catch((error: unknown) => console.warn(`Draft ${this.draftId} could not read its log:`, describe(error)));
        }),
        HOLE_GRACE_MS,
      );
    }
  }

  // Counts an update as held durably: the state vector we tell clients grows with it.
  private markDurable(update: Uint8Array): void {
    // parseUpdateMeta's `to` is each client's clock after the update (encodeStateVectorFromUpdate
    // would only count updates that start at clock 0).
    for (const [client, clock] of Y.parseUpdateMeta(update).to) {
      if (clock > (this.durableStateVector.get(client) ?? 0)) this.durableStateVector.set(client, clock);
    }
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
    const target = this.nextLocal - 1;
    if (this.durableLocal >= target) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ seq: target, resolve, reject }));
  }

  /**
   * Stops accepting writes from every connection, now and for those that join later, telling each
   * one `reason`; resolves once everything accepted before is durable. Server edits still apply.
   */
  async closeWriting(reason: Message): Promise<void> {
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
  destroy(code: number = CLOSE.restart, reason: CloseReason = "collab.close.restarting"): void {
    for (const peer of [...this.peers]) peer.close(code, reason);
    for (const timer of this.ackTimers.values()) clearTimeout(timer);
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    if (this.holeTimer) clearTimeout(this.holeTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private claim(peer: Peer, clientId: number): boolean {
    if (peer.clientIds.has(clientId)) return true;
    for (const other of this.peers) if (other !== peer && other.clientIds.has(clientId)) return false;
    if (peer.clientIds.size >= MAX_CLIENT_IDS_PER_PEER) return false;
    // A client id a connection on another instance speaks for is not this one's to take, unless it
    // carries this connection's own label (the same person, reconnected here).
    const held = this.awareness.getStates().get(clientId) as { user?: PresenceUser } | undefined;
    if (held?.user && !samePresence(held.user, peer.presence)) return false;
    peer.clientIds.add(clientId);
    return true;
  }

  // Updates are written as soon as the event loop has read what arrived with them (one INSERT for
  // all of it); while that is in flight, the next ones gather for one INSERT after it (group
  // commit). Each batch is relayed once durable, so clients get updates in the order they were applied.
  private scheduleFlush(): void {
    if (this.writing) return;
    this.flushScheduled ??= setImmediate(guarded(`flushing draft ${this.draftId}`, () => this.flushNow()));
  }

  private flushNow(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = null;
    if (this.failed || this.pending.length === 0 || this.writing) return;
    const batch = this.pending;
    this.pending = [];
    this.writing = true;
    const stored = appendUpdates(this.draftId, batch.map((item) => item.record)).then(
      (range) => ({ range, error: null }),
      (error: unknown) => ({ range: null, error }),
    );
    void stored.then(() => {
      this.writing = false;
      if (this.pending.length) this.scheduleFlush();
    });
    this.flushing = this.flushing.then(async () => {
      const { range, error } = await stored;
      this.relayStored(batch, range, error);
    });
  }

  // Batches are settled here one after another in the order they were applied (the `flushing`
  // chain). A batch counts as durable only when every batch before it did; when one fails,
  // persistence refuses the later ones (they may build on it), and the document fails.
  private relayStored(batch: Pending[], range: AppendedRange | null, error: unknown): void {
    if (range === null) this.broken = true;
    if (this.failed) {
      this.settleAfterFailure(batch);
      return;
    }
    if (range === null) {
      this.fail(`updates could not be stored: ${describe(error)}`);
      return;
    }
    const origins = new Set<Peer>();
    for (const { record, origin } of batch) {
      this.markDurable(record.update);
      origins.add(origin);
    }
    const toOthers = this.relay(batch, origins);
    this.feed.stored(this.draftId, range, toOthers);
    // Our own numbers in the log: held already, skipped when the log is applied up to them (a
    // reading of the log may have applied them first).
    for (let seq = Math.max(range.firstSeq, this.logSeq + 1); seq <= range.lastSeq; seq += 1) this.ahead.set(seq, null);
    this.advance();
    const last = batch.at(-1);
    if (last) this.durableLocal = last.localSeq;
    this.tail += batch.length;
    this.storage.added(batch.reduce((bytes, { record }) => bytes + record.update.byteLength, 0));
    this.waiters = this.waiters.filter((waiter) => (waiter.seq <= this.durableLocal ? (waiter.resolve(), false) : true));
    for (const origin of origins) this.scheduleAck(origin);
    // When everything applied is durable and the log is applied without a hole, the document
    // holds exactly the log up to `logSeq`: its own state is the checkpoint, without reading the
    // log back (that is left to unloading). When typing never leaves such a moment, the log is
    // folded from the database instead.
    if (this.tail >= COMPACT_AFTER && !this.compacting) {
      if (this.durableLocal === this.nextLocal - 1 && this.ahead.size === 0) void this.checkpoint();
      else if (this.tail >= 4 * COMPACT_AFTER) void this.compact();
    }
  }

  // Sends each connection the batch's updates it did not write, merged into one message: one
  // write per connection per batch, however many updates a busy moment gathered. Returns the
  // whole batch merged (what other instances are told).
  private relay(batch: Pending[], origins: Set<Peer>): Uint8Array {
    if (batch.length === 1) {
      const [{ record, origin }] = batch as [Pending];
      const message = updateMessage(record.update);
      for (const peer of this.peers) if (peer !== origin) peer.send(message);
      return record.update;
    }
    const whole = Y.mergeUpdates(batch.map(({ record }) => record.update));
    const merged = (from: Pending[]) => (from.length ? updateMessage(Y.mergeUpdates(from.map(({ record }) => record.update))) : null);
    const toOthers = updateMessage(whole);
    const toOrigins = new Map<Peer, Uint8Array | null>();
    for (const origin of origins) toOrigins.set(origin, merged(batch.filter((item) => item.origin !== origin)));
    for (const peer of this.peers) {
      const message = toOrigins.has(peer) ? toOrigins.get(peer) : toOthers;
      if (message) peer.send(message);
    }
    return whole;
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
    return this.fold(writeCheckpoint(this.draftId, state, this.logSeq).then(() => folded));
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
    this.destroy(CLOSE.restart, "collab.close.reloading");
  }

  // A batch answered after the document failed (for a reason other than its own append): it is
  // durable when it and every batch before it were stored; nothing is relayed any more.
  private settleAfterFailure(batch: Pending[]): void {
    const last = batch.at(-1);
    if (this.broken || !last) return;
    this.durableLocal = last.localSeq;
    this.waiters = this.waiters.filter((waiter) => (waiter.seq <= this.durableLocal ? (waiter.resolve(), false) : true));
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
