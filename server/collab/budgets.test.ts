import * as decoding from "lib0/decoding";
import WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { appendText, bodyText, type CollabClient, connectClient, eventually, storedText, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { t } from "../../i18n/translate";
import { createSession } from "../auth/session";
import { findDelegation } from "../domain/delegations";
import { createDraft, type Draft } from "../domain/drafts";
import { changeUserRole, type User } from "../domain/users";
import type { CollabBudgets } from "./budgets";
import { loadDraftState, storedDraftBytes } from "../text-store/persistence";
import { encodeAwarenessUpdate } from "./presence";
import { AUTH_NOTICE, awarenessMessage, encodeStateVectorMessage, updateMessage } from "./protocol";

// Small budgets, so that each can be reached in a test; the heartbeat and the draft budget differ
// between the two servers below (a paused socket also stops answering pings).
const PER_PEER: Partial<CollabBudgets> = {
  updateBurstBytes: 64 * 1024,
  updateBytesPerSecond: 8 * 1024,
  syncAnswerBurst: 3,
  syncAnswerIntervalMs: 60_000,
  awarenessBurstBytes: 8 * 1024,
  awarenessBytesPerSecond: 2 * 1024,
  sendBufferBytes: 256 * 1024,
  socketsPerAccount: 3,
};
const PER_DRAFT: Partial<CollabBudgets> = { draftStoredBytes: 40_000, draftWarnRatio: 0.8, heartbeatMs: 500 };

let server: TestServer;
let secretariat: User;
const clients: CollabClient[] = [];
const sockets: WebSocket[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.terminate();
});

async function open(user: User, draftId: string): Promise<CollabClient> {
  const client = connectClient({ baseUrl: server.url, draftId, cookie: (await createSession(user.id)).token });
  clients.push(client);
  return client;
}

/** A raw socket, as a hostile client would hold it: every message it receives, and how it closed. */
interface RawPeer {
  socket: WebSocket;
  received: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
}

async function openRaw(user: User, draftId: string, options: { autoPong?: boolean } = {}): Promise<RawPeer> {
  const cookie = `accord_session=${(await createSession(user.id)).token}`;
  const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab/${draftId}`, {
    headers: { origin: server.url, cookie },
    autoPong: options.autoPong ?? true,
  });
  sockets.push(socket);
  const received: Uint8Array[] = [];
  socket.on("message", (data: Buffer) => received.push(new Uint8Array(data)));
  socket.on("error", () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("unexpected-response", (_request, response) => reject(new Error(`upgrade answered ${response.statusCode}`)));
  });
  return { socket, received, closed };
}

/** The HTTP status of an upgrade: 101 when it completes (the socket is kept open). */
function upgradeStatus(user: User, draftId: string): Promise<number> {
  return openRaw(user, draftId).then(
    () => 101,
    (error: Error) => Number(/answered (\d+)/.exec(error.message)?.[1] ?? 0),
  );
}

/** A sync step 1 with an empty state vector: "send me the whole draft". */
const WHOLE_DRAFT_PLEASE = encodeStateVectorMessage(new Map());

function isSyncStep2(message: Uint8Array): boolean {
  const decoder = decoding.createDecoder(message);
  return decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === 1;
}

/** A draft of about 2 MB in 15,000 separate pieces (expensive to encode, as the was), stored before anyone opens it. */
async function largeDraft(): Promise<Draft> {
  const draft = await createDraft({ actor: secretariat, title: "A large draft" });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await loadDraftState(draft.id)).update);
  const text = bodyText(doc);
  const piece = "x".repeat(130);
  doc.transact(() => {
    for (let i = 0; i < 15_000; i += 1) text.insert((i * 7919) % (text.length + 1), piece);
  });
  await server.database.sql`
    UPDATE draft_checkpoints SET state = ${Buffer.from(Y.encodeStateAsUpdate(doc))} WHERE draft_id = ${draft.id}`;
  return draft;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("budgets of each connection and each account", () => {
  let draft: Draft;
  beforeAll(async () => {
    server = await startTestServer({ collabBudgets: PER_PEER });
    secretariat = await buildUser({ role: "secretariat" });
    draft = await createDraft({ actor: secretariat, title: "Budgets" });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("closes a writer over its bytes-per-second budget (1008), and stores nothing beyond it", async () => {
    const own = await createDraft({ actor: secretariat, title: "Fast writer" });
    const writer = await openRaw(await buildUser(), own.id);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await loadDraftState(own.id)).update);
    const updates: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => updates.push(update));
    bodyText(doc).insert(0, "a".repeat(40_000));
    bodyText(doc).insert(40_000, "b".repeat(40_000));
    for (const update of updates) writer.socket.send(updateMessage(update));
    const closed = await writer.closed;
    expect(closed.code).toBe(1008);
    await eventually(async () => storedText((await loadDraftState(own.id)).update).length > 0, 3000, "the first update stored");
    await sleep(300);
    expect(storedText((await loadDraftState(own.id)).update)).toBe("a".repeat(40_000));
  });

  it("answers a reader's repeated sync step 1 only within its budget", async () => {
    const reader = await openRaw(await buildUser({ role: "observer" }), draft.id);
    for (let i = 0; i < 20; i += 1) reader.socket.send(WHOLE_DRAFT_PLEASE);
    await sleep(1000);
    expect(reader.received.filter(isSyncStep2)).toHaveLength(3);
    expect(reader.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("closes a socket that floods cursors (1008), by bytes per second and by states per message", async () => {
    const flooder = await openRaw(await buildUser(), draft.id);
    const state = { cursor: "y".repeat(1000) };
    for (let clock = 1; clock <= 12; clock += 1) {
      flooder.socket.send(awarenessMessage(encodeAwarenessUpdate([{ clientId: 4242, clock, state }])));
    }
    expect(await flooder.closed).toEqual({ code: 1008, reason: "Cursor updates are too frequent." });

    const crowd = await openRaw(await buildUser(), draft.id);
    const entries = Array.from({ length: 9 }, (_, i) => ({ clientId: 5000 + i, clock: 1, state: {} }));
    crowd.socket.send(awarenessMessage(encodeAwarenessUpdate(entries)));
    expect(await crowd.closed).toEqual({ code: 1008, reason: "Too many cursors in one message." });
  });

  it("cuts off a peer that does not read once its unread bytes pass the bound, while the others keep getting updates", async () => {
    const large = await largeDraft();
    const writer = await open(await buildUser(), large.id);
    const reader = await open(await buildUser({ delegation: "ca" }), large.id);
    await Promise.all([synced(writer), synced(reader)]);
    const lurker = await buildUser({ role: "observer" });
    const hostile = await openRaw(lurker, large.id);
    hostile.socket.pause();
    for (let i = 0; i < 3; i += 1) hostile.socket.send(WHOLE_DRAFT_PLEASE);
    const lurking = () => [...server.accord.collab.connections].some((connection) => connection.userId === lurker.id);
    for (let i = 0; i < 10 && lurking(); i += 1) {
      appendText(writer, ` line ${i}`);
      await sleep(100);
    }
    await eventually(() => !lurking(), 5000, "the peer that does not read to be cut off");
    appendText(writer, " after");
    await eventually(() => reader.text().endsWith(" after"), 5000, "the reader to get the writer's text");
  });

  it("refuses an account's socket beyond its budget with 429 before the handshake, while another account connects", async () => {
    const busy = await buildUser();
    const peers = [await openRaw(busy, draft.id), await openRaw(busy, draft.id), await openRaw(busy, draft.id)];
    expect(await upgradeStatus(busy, draft.id)).toBe(429);
    expect(await upgradeStatus(await buildUser(), draft.id)).toBe(101);
    peers[0]?.socket.close();
    await peers[0]?.closed;
    await eventually(async () => (await upgradeStatus(busy, draft.id)) === 101, 3000, "a freed socket to be counted");
  });

  it("keeps answering /healthz within a second while a reader floods sync step 1 on a 2 MB draft", async () => {
    const large = await largeDraft();
    const reader = await openRaw(await buildUser({ role: "observer" }), large.id);
    // 140 requests a second: under the message-rate budget. Two budgets stop it: the answers budget,
    // and the send-buffer bound, which cuts off a reader that lets answers pile up unread (here it
    // usually does first); without both, /healthz takes more than a second.
    const flood = setInterval(() => {
      for (let i = 0; i < 14; i += 1) reader.socket.send(WHOLE_DRAFT_PLEASE);
    }, 100);
    const latencies: number[] = [];
    try {
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        const started = performance.now();
        const response = await fetch(`${server.url}/healthz`);
        expect(response.status).toBe(200);
        latencies.push(performance.now() - started);
        await sleep(100);
      }
    } finally {
      clearInterval(flood);
    }
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(reader.received.filter(isSyncStep2).length).toBeLessThanOrEqual(3);
  });
});

describe("the budget of each draft, the heartbeat, and presence", () => {
  beforeAll(async () => {
    server = await startTestServer({ collabBudgets: PER_DRAFT });
    secretariat = await buildUser({ role: "secretariat" });
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Records the notices (Accord's auth sub-type) a client receives; other auth messages go to the usual handler. */
  function watchNotices(client: CollabClient): string[] {
    const notices: string[] = [];
    const usual = client.provider.messageHandlers[2];
    client.provider.messageHandlers[2] = (encoder, decoder, provider, emitSynced, messageType) => {
      const peek = decoding.clone(decoder);
      if (decoding.readVarUint(peek) === AUTH_NOTICE) notices.push(decoding.readVarString(peek));
      else usual?.(encoder, decoder, provider, emitSynced, messageType);
    };
    return notices;
  }

  async function storageNotifications(draftId: string): Promise<string[]> {
    const rows = await server.database.sql<{ kind: string }[]>`
      SELECT kind FROM notifications WHERE draft_id = ${draftId} AND recipient_id = ${secretariat.id} ORDER BY created_at`;
    return rows.map((row) => row.kind);
  }

  it("tells the writer and the secretariat (once) when a draft nears its budget, and refuses writes at it", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Nearly full" });
    const writer = await open(await buildUser(), draft.id);
    const notices = watchNotices(writer);
    await synced(writer);
    appendText(writer, "n".repeat(33_000));
    await eventually(() => notices.includes(t("collab.storage.near")), 5000, "the writer to be told");
    await eventually(async () => (await storageNotifications(draft.id)).length === 1, 3000, "the secretariat to be told");
    expect(await storageNotifications(draft.id)).toEqual(["storage-near"]);
    appendText(writer, "more");
    appendText(writer, " and more");
    await sleep(500);
    expect(await storageNotifications(draft.id)).toEqual(["storage-near"]);
    expect(writer.denied).toBeNull();

    appendText(writer, "f".repeat(8_000));
    await eventually(() => writer.denied === t("collab.storage.full"), 5000, "the writer to be refused");
    await eventually(async () => (await storageNotifications(draft.id)).length === 2, 3000, "the secretariat to be told again");
    expect(await storageNotifications(draft.id)).toEqual(["storage-near", "storage-full"]);
    const stored = await storedDraftBytes(draft.id);
    appendText(writer, "refused");
    await sleep(600);
    expect(storedText((await loadDraftState(draft.id)).update)).not.toContain("refused");
    expect(await storedDraftBytes(draft.id)).toEqual(stored);
  });

  it("cuts off a peer that does not answer pings within two heartbeats, and keeps live ones", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Heartbeat" });
    const live = await open(await buildUser(), draft.id);
    await synced(live);
    const started = Date.now();
    const silent = await openRaw(await buildUser(), draft.id, { autoPong: false });
    const closed = await silent.closed;
    expect(closed.code).toBe(1006);
    expect(Date.now() - started).toBeLessThan(2 * 500 + 500);
    await sleep(1000);
    expect(live.provider.wsconnected).toBe(true);
  });

  it("shows a delegate's new delegation on their cursor to others within a couple of seconds", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Presence" });
    const mover = await buildUser({ delegation: "fr" });
    const moving = await open(mover, draft.id);
    const watcher = await open(await buildUser({ role: "observer" }), draft.id);
    await Promise.all([synced(moving), synced(watcher)]);
    moving.provider.awareness.setLocalStateField("user", { name: "Whatever I claim" });
    const seen = () => watcher.provider.awareness.getStates().get(moving.doc.clientID)?.user as { delegation?: string; delegationName?: string; color?: string } | undefined;
    await eventually(() => seen()?.delegation === "fr", 3000, "the first label");
    await changeUserRole(server.live, { actor: secretariat, user: mover, role: "delegate", delegationCode: "ca" });
    const canada = await findDelegation("ca");
    await eventually(() => seen()?.delegation === "ca", 2000, "the new label");
    expect(seen()).toMatchObject({ delegationName: canada?.shortName, color: canada?.colour });
  });
});
