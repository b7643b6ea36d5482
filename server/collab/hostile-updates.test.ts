import fc from "fast-check";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import { yDocToProsemirrorJSON } from "y-prosemirror";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { schema, YJS_FRAGMENT } from "../../schema/prosemirror";
import { bodyText, connectClient, eventually, synced, type CollabClient } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";
import { yjsOperation, type YjsOperation } from "../../test/yjs-operations";
import { createSession } from "../auth/session";
import { createDraft, type Draft } from "../domain/drafts";
import type { User } from "../domain/users";
import { loadDraftState } from "../text-store/persistence";
import { DEFAULT_BUDGETS } from "./budgets";
import { CLOSE, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, updateMessage } from "./protocol";

let server: TestServer;
let secretariat: User;
let secretariatClient: TestClient;
let writer: User;
let observer: User;
const clients: CollabClient[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 200 });
  secretariat = await buildUser({ role: "secretariat" });
  secretariatClient = server.client();
  await secretariatClient.signIn(secretariat.email);
  writer = await buildUser({ delegation: "fr" });
  observer = await buildUser({ role: "observer" });
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.terminate();
});

async function cookieOf(user: User): Promise<string> {
  return (await createSession(user.id)).token;
}

async function stockClient(user: User, draft: Draft): Promise<CollabClient> {
  const client = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: await cookieOf(user) });
  clients.push(client);
  await synced(client);
  return client;
}

/** A raw socket speaking the protocol byte by byte, as a hostile client would. */
interface RawSocket {
  socket: WebSocket;
  received: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
}

async function rawSocket(user: User, draft: Draft): Promise<RawSocket> {
  const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab/${draft.id}`, {
    headers: { origin: server.url, cookie: `accord_session=${await cookieOf(user)}` },
  });
  sockets.push(socket);
  const received: Uint8Array[] = [];
  socket.on("message", (data: Buffer) => received.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("unexpected-response", () => reject(new Error("upgrade refused")));
  });
  return { socket, received, closed };
}

// The status of an upgrade: 101 when it opens, else the HTTP status of its refusal.
async function upgradeStatus(user: User, draft: Draft): Promise<number> {
  const cookie = await cookieOf(user);
  return new Promise((resolve) => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab/${draft.id}`, { headers: { origin: server.url, cookie: `accord_session=${cookie}` } });
    socket.on("open", () => {
      socket.close();
      resolve(101);
    });
    socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    socket.on("error", () => undefined);
  });
}

// A client's copy of the draft as stored, to make updates from.
async function storedReplica(draft: Draft): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await loadDraftState(draft.id)).update);
  return doc;
}

function updateOf(replica: Y.Doc, edit: YjsOperation): Uint8Array {
  const before = Y.encodeStateVector(replica);
  replica.transact(() => edit(replica.getXmlFragment(YJS_FRAGMENT), replica));
  return Y.encodeStateAsUpdate(replica, before);
}

function syncMessage(kind: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, kind);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

// The stored text as ProseMirror reads it, checked against the schema (throws when invalid).
async function storedDocument(draft: Draft) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await loadDraftState(draft.id)).update);
  const node = schema.nodeFromJSON(yDocToProsemirrorJSON(doc, YJS_FRAGMENT));
  node.check();
  return node;
}

function hasElement(doc: Y.Doc, name: string): boolean {
  for (const node of doc.getXmlFragment(YJS_FRAGMENT).createTreeWalker(() => true)) {
    if (node instanceof Y.XmlElement && node.nodeName === name) return true;
  }
  return false;
}

describe("updates outside the schema", () => {
  it("keeps an account out for a while after a few refused updates, and lets others in", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Repeated refusals" });
    const repeat = await buildUser({ delegation: "no" });
    for (let i = 0; i < DEFAULT_BUDGETS.refusedUpdatesPerAccount; i += 1) {
      const hostile = await rawSocket(repeat, draft);
      hostile.socket.send(updateMessage(updateOf(await storedReplica(draft), (fragment) => fragment.insert(1, [new Y.XmlElement("title")]))));
      expect((await hostile.closed).code).toBe(CLOSE.refusedUpdate);
    }
    await eventually(async () => (await upgradeStatus(repeat, draft)) === 429, 3000, "the account to be kept out");
    expect(await upgradeStatus(await buildUser({ delegation: "no" }), draft)).toBe(101);
  });

  it("closes a writer who sends an element the schema does not define (4422): nothing stored, nothing relayed, others unaffected", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Unknown element" });
    const other = await stockClient(await buildUser({ delegation: "ca" }), draft);
    const hostile = await stockClient(writer, draft);
    const closed = new Promise<{ code: number }>((resolve) => hostile.provider.on("connection-close", (event: CloseEvent | null) => resolve({ code: event?.code ?? 0 })));
    hostile.doc.transact(() => {
      const section = hostile.doc.getXmlFragment(YJS_FRAGMENT).get(2) as Y.XmlElement;
      section.insert(1, [new Y.XmlElement("script")]);
    });
    expect((await closed).code).toBe(CLOSE.refusedUpdate);
    bodyText(other.doc).insert(0, "still writing");
    await eventually(async () => (await storedDocument(draft)).textContent.includes("still writing"), 5000, "the other writer's text to be stored");
    expect(hasElement(other.doc, "script")).toBe(false);
    expect(other.provider.wsconnected).toBe(true);
    // The stock client does not come back to send it again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hostile.provider.wsconnected).toBe(false);
  });

  it("reloads a draft without an update that breaks its structure once applied; the others reconnect and converge", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Second title" });
    const other = await stockClient(await buildUser({ delegation: "dk" }), draft);
    const hostile = await rawSocket(writer, draft);
    const replica = await storedReplica(draft);
    hostile.socket.send(updateMessage(updateOf(replica, (fragment) => fragment.insert(1, [new Y.XmlElement("title")]))));
    expect((await hostile.closed).code).toBe(CLOSE.refusedUpdate);
    bodyText(other.doc).insert(0, "after the reload ");
    await eventually(async () => (await storedDocument(draft)).textContent.includes("after the reload"), 5000, "the other writer to carry on");
    expect(other.doc.getXmlFragment(YJS_FRAGMENT).toArray().filter((node) => node instanceof Y.XmlElement && node.nodeName === "title")).toHaveLength(1);
  });

  it("keeps nothing of updates whose dependencies are missing: a new reader's first sync stays the draft's size", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Missing dependencies" });
    const hostileWriter = await buildUser({ delegation: "nl" });
    for (let i = 0; i < 20; i += 1) {
      const replica = await storedReplica(draft);
      // The first update is withheld; the second, 500 KB, builds on it.
      updateOf(replica, (fragment) => titleText(fragment).insert(0, "withheld"));
      const big = updateOf(replica, (fragment) => titleText(fragment).insert(0, "x".repeat(500_000)));
      const hostile = await rawSocket(hostileWriter, draft);
      const asked = hostile.received.length;
      hostile.socket.send(updateMessage(big));
      // Dropped, and the writer asked for what the server lacks (a sync step 1).
      await eventually(() => hostile.received.slice(asked).some(isSyncStep1), 5000, "the server to ask for what it lacks");
      hostile.socket.close();
      await hostile.closed;
    }
    const reader = await rawSocket(observer, draft);
    reader.socket.send(syncMessage(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(new Y.Doc())));
    await eventually(() => reader.received.some((message) => message[0] === MESSAGE_SYNC), 5000, "the first sync");
    const firstSync = reader.received.find((message) => message[0] === MESSAGE_SYNC);
    expect(firstSync?.length ?? 0).toBeLessThan(20_000);
    const loaded = (await server.accord.collab.registry.loaded()).find((document) => document.draftId === draft.id);
    expect(loaded?.doc.store.pendingStructs ?? null).toBeNull();
    expect((await storedDocument(draft)).textContent).not.toContain("withheld");
  });

  it("takes an update sent before the one it builds on, as a client typing while it reconnects sends them", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Reconnecting" });
    const replica = await storedReplica(draft);
    // Typed while offline: the server never got it.
    updateOf(replica, (fragment) => titleText(fragment).insert(0, "Typed offline, "));
    const second = updateOf(replica, (fragment) => titleText(fragment).insert(15, "then online: "));
    const writerSocket = await rawSocket(writer, draft);
    // Like the stock client, it answers the server's sync step 1 with everything the server lacks.
    writerSocket.socket.on("message", (data: Buffer) => {
      const message = new Uint8Array(data);
      if (!isSyncStep1(message)) return;
      const serverState = syncPayload(message);
      writerSocket.socket.send(syncMessage(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(replica, serverState)));
    });
    writerSocket.socket.send(updateMessage(second));
    await eventually(async () => (await storedDocument(draft)).textContent.startsWith("Typed offline, then online: "), 5000, "both updates to be stored");
    expect(writerSocket.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("refuses a writer whose updates keep building on what nobody sent (4422)", async () => {
    const draft = await createDraft({ actor: secretariat, title: "Never filled" });
    const hostile = await rawSocket(await buildUser({ delegation: "us" }), draft);
    const replica = await storedReplica(draft);
    updateOf(replica, (fragment) => titleText(fragment).insert(0, "never sent "));
    for (let i = 0; i <= DEFAULT_BUDGETS.updatesWithGapsInARow; i += 1) {
      hostile.socket.send(updateMessage(updateOf(replica, (fragment) => titleText(fragment).insert(0, `${i} `))));
    }
    expect((await hostile.closed).code).toBe(CLOSE.refusedUpdate);
    expect((await storedDocument(draft)).textContent).not.toContain("never sent");
  });
});

// The text of the draft's title: what these tests type into.
function titleText(fragment: Y.XmlFragment): Y.XmlText {
  return (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

function isSyncStep1(message: Uint8Array): boolean {
  return message[0] === MESSAGE_SYNC && message[1] === syncProtocol.messageYjsSyncStep1;
}

// The payload of a sync message (a state vector or an update).
function syncPayload(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

// One thing a hostile or confused client sends.
type Action =
  | { kind: "edit"; op: YjsOperation; as: "writer" | "observer"; via: "update" | "sync-step-2" }
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "protocol"; message: Uint8Array };

const protocolMessages = fc.constantFrom(
  syncMessage(syncProtocol.messageYjsSyncStep1, new Uint8Array([5, 200, 200])),
  syncMessage(syncProtocol.messageYjsSyncStep1, new Uint8Array([0])),
  syncMessage(syncProtocol.messageYjsSyncStep2, new Uint8Array([1, 2, 3])),
  syncMessage(7, new Uint8Array([0, 0])),
  new Uint8Array([MESSAGE_SYNC, 0, 200]),
  new Uint8Array([MESSAGE_AWARENESS, 3, 1, 2, 3]),
  new Uint8Array([MESSAGE_QUERY_AWARENESS]),
  new Uint8Array([9, 9, 9]),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("edit" as const), op: yjsOperation(), as: fc.constantFrom("writer" as const, "writer" as const, "observer" as const), via: fc.constantFrom("update" as const, "sync-step-2" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("bytes" as const), bytes: fc.uint8Array({ maxLength: 48 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("protocol" as const), message: protocolMessages }) },
);

describe("a fuzzed draft", () => {
  const runs = Number(process.env.ACCORD_FUZZ_RUNS ?? 8);

  it(
    "stays up, valid, and readable on every page and download, whatever signed-in writers and readers send",
    async () => {
      let round = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), async (actions) => {
          round += 1;
          const draft = await createDraft({ actor: secretariat, title: `Fuzzed draft ${round}` });
          const open = new Map<"writer" | "observer", RawSocket>();
          let replica = await storedReplica(draft);
          for (const step of actions) {
            const role = step.kind === "edit" ? step.as : "writer";
            let connection = open.get(role);
            if (!connection || connection.socket.readyState !== WebSocket.OPEN) {
              // A fresh account for each connection: an account is kept out after a few refused updates.
              connection = await rawSocket(await buildUser(role === "observer" ? { role: "observer" } : { delegation: "fr" }), draft);
              open.set(role, connection);
              replica = await storedReplica(draft);
            }
            if (step.kind === "edit") {
              let update: Uint8Array;
              try {
                update = updateOf(replica, step.op);
              } catch {
                continue; // the edit did not fit this copy of the text
              }
              connection.socket.send(step.via === "update" ? updateMessage(update) : syncMessage(syncProtocol.messageYjsSyncStep2, update));
            } else {
              connection.socket.send(step.kind === "bytes" ? step.bytes : step.message);
            }
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          for (const connection of open.values()) connection.socket.close();
          await new Promise((resolve) => setTimeout(resolve, 50));
          await expectReadable(draft);
        }),
        { numRuns: runs },
      );
    },
    runs * 15_000,
  );
});

// The process answers, the stored text passes the schema's check, and every page of the draft and
// of its newly saved and published version answers 200.
async function expectReadable(draft: Draft): Promise<void> {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  await storedDocument(draft);
  for (const path of [`/drafts/${draft.slug}`, `/drafts/${draft.slug}/motions`, `/drafts/${draft.slug}/desk`, `/drafts/${draft.slug}/versions`]) {
    expect((await secretariatClient.get(path)).status, path).toBe(200);
  }
  const saved = await secretariatClient.post(`/drafts/${draft.slug}/versions`, { intent: "save", name: "Fuzzed", note: "" });
  expect(saved.status).toBe(302);
  const [version] = await server.database.sql<{ number: number }[]>`
    SELECT number FROM versions WHERE draft_id = ${draft.id} ORDER BY number DESC LIMIT 1`;
  const number = version?.number ?? 0;
  expect((await secretariatClient.get(`/drafts/${draft.slug}/compare/${number}/live`)).status).toBe(200);
  const published = await secretariatClient.post(`/drafts/${draft.slug}/versions/${number}/publish`, {
    publicTitle: "Fuzzed code",
    summary: "",
    statusLabel: "Draft",
    attribution: "named",
  });
  expect(published.status).toBe(302);
  const reader = server.client();
  for (const suffix of ["", ".pdf", ".docx", ".md", ".html"]) {
    const path = `/p/${draft.slug}/v/${number}${suffix}`;
    expect((await reader.get(path)).status, path).toBe(200);
  }
  expect((await reader.get(`/p/${draft.slug}/feed.xml`)).status).toBe(200);
}
