import * as decoding from "lib0/decoding";
import WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { appendText, bodyString, bodyText, type CollabClient, connectClient, eventually, storedText, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createSession } from "../auth/session";
import { createDraft, type Draft } from "../domain/drafts";
import { changeUserRole, setUserDisabled, type User } from "../domain/users";
import { RATE_BURST } from "./connection";
import { COMPACT_AFTER } from "./draft-document";
import { compactDraft, loadDraftState } from "../text-store/persistence";

let server: TestServer;
let draft: Draft;
let secretariat: User;
const clients: CollabClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 200 });
  secretariat = await buildUser({ role: "secretariat" });
  draft = await createDraft({ actor: secretariat, title: "Collaboration test draft" });
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

async function cookieFor(user: User): Promise<string> {
  return (await createSession(user.id)).token;
}

async function open(user: User, draftId = draft.id): Promise<CollabClient> {
  const client = connectClient({ baseUrl: server.url, draftId, cookie: await cookieFor(user) });
  clients.push(client);
  return client;
}

/** Opens a raw socket and resolves with the HTTP status of a refused upgrade, or 101. */
function upgradeStatus(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}${path}`, { headers });
    socket.on("open", () => {
      socket.close();
      resolve(101);
    });
    socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    socket.on("error", () => undefined);
  });
}

describe("the collaboration server", () => {
  it("lets two stock y-websocket clients converge, storing each update with its author", async () => {
    const fr = await buildUser({ delegation: "fr" });
    const ca = await buildUser({ delegation: "ca" });
    await server.database.sql`UPDATE drafts SET updated_at = now() - interval '1 hour' WHERE id = ${draft.id}`;
    const a = await open(fr);
    const b = await open(ca);
    await Promise.all([synced(a), synced(b)]);
    bodyText(a.doc).insert(0, "Article 1. ");
    bodyText(b.doc).insert(0, "Preamble. ");
    await eventually(() => a.text() === b.text() && a.text().length === 21, 5000, "convergence");
    const rows = await server.database.sql<{ delegation_code: string; user_id: string }[]>`
      SELECT user_id, delegation_code FROM draft_updates WHERE draft_id = ${draft.id} ORDER BY seq`;
    expect(rows).toContainEqual({ user_id: fr.id, delegation_code: "fr" });
    expect(rows).toContainEqual({ user_id: ca.id, delegation_code: "ca" });
    const [changed] = await server.database.sql<{ recent: boolean }[]>`
      SELECT updated_at > now() - interval '1 minute' AS recent FROM drafts WHERE id = ${draft.id}`;
    expect(changed?.recent).toBe(true);
  });

  it("tells a writer, once its changes are stored, up to which of them the server holds", async () => {
    const client = await open(await buildUser());
    const confirmed: number[] = [];
    const stock = client.provider.messageHandlers[0];
    client.provider.messageHandlers[0] = (encoder, decoder, provider, emitSynced, messageType) => {
      const peek = decoding.clone(decoder);
      if (decoding.readVarUint(peek) === 0) {
        confirmed.push(Y.decodeStateVector(decoding.readVarUint8Array(peek)).get(client.doc.clientID) ?? 0);
      }
      stock?.(encoder, decoder, provider, emitSynced, messageType);
    };
    await synced(client);
    for (let i = 0; i < 5; i += 1) {
      bodyText(client.doc).insert(0, "x");
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const clock = Y.getState(client.doc.store, client.doc.clientID);
    await eventually(() => confirmed.includes(clock), 3000, "confirmation of every change");
  });

  it("refuses an upgrade without a session (401), from another origin (403), or to a draft that does not exist (403)", async () => {
    const user = await buildUser();
    const cookie = `accord_session=${await cookieFor(user)}`;
    expect(await upgradeStatus(`/collab/${draft.id}`, { origin: server.url })).toBe(401);
    expect(await upgradeStatus(`/collab/${draft.id}`, { origin: "https://evil.example", cookie })).toBe(403);
    expect(await upgradeStatus(`/collab/${draft.id}`, { cookie })).toBe(403);
    expect(await upgradeStatus("/collab/00000000-0000-0000-0000-000000000000", { origin: server.url, cookie })).toBe(403);
    expect(await upgradeStatus("/collab/not-a-draft", { origin: server.url, cookie })).toBe(403);
    expect(await upgradeStatus(`/collab/${draft.id}`, { origin: server.url, cookie })).toBe(101);
  });

  it("drops an observer's writes: never applied, stored or relayed, and tells the observer", async () => {
    const observerDraft = await createDraft({ actor: secretariat, title: "Observer test" });
    const writer = await open(await buildUser(), observerDraft.id);
    const observer = await open(await buildUser({ role: "observer" }), observerDraft.id);
    await Promise.all([synced(writer), synced(observer)]);
    await eventually(() => observer.denied !== null, 3000, "permission denied");
    bodyText(observer.doc).insert(0, "forged text");
    bodyText(writer.doc).insert(0, "real text");
    await eventually(() => observer.text().includes("real text"), 3000, "the observer to see the writer's text");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(writer.text()).toBe("real text");
    const { update } = await loadDraftState(observerDraft.id);
    expect(storedText(update)).toBe("real text");
  });

  it("closes only the offender on malformed, truncated and oversized messages", async () => {
    const user = await buildUser();
    const good = await open(user);
    await synced(good);
    const before = good.text();
    const cookie = `accord_session=${await cookieFor(user)}`;
    const send = (payload: Buffer) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab/${draft.id}`, {
          headers: { origin: server.url, cookie },
        });
        socket.on("open", () => socket.send(payload));
        socket.on("close", (code) => resolve(code));
        socket.on("error", () => undefined);
      });
    expect(await send(Buffer.from([0, 2, 50, 1, 2, 3]))).toBe(1007); // an update claiming 50 bytes, with 3
    expect(await send(Buffer.from([0, 2, 5, 255, 255, 255, 255, 255]))).toBe(1007); // garbage update bytes
    expect(await send(Buffer.from([9]))).toBe(1007); // unknown message type
    expect(await send(Buffer.alloc(3 * 1024 * 1024, 1))).toBe(1009); // over the size limit
    const flood = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab/${draft.id}`, { headers: { origin: server.url, cookie } });
      socket.on("open", () => {
        for (let i = 0; i < RATE_BURST + 50; i += 1) socket.send(Buffer.from([3]));
      });
      socket.on("close", (code) => resolve(code));
      socket.on("error", () => undefined);
    });
    expect(flood).toBe(1008); // more messages than the rate limit allows
    bodyText(good.doc).insert(0, "still here ");
    await eventually(async () => storedText((await loadDraftState(draft.id)).update).startsWith("still here "), 3000, "storage");
    expect(good.provider.wsconnected).toBe(true);
    expect(good.text()).toBe(`still here ${before}`);
  });

  it("reloads a draft identically after compaction and after it is unloaded", async () => {
    const reloadDraft = await createDraft({ actor: secretariat, title: "Reload test" });
    const user = await buildUser();
    const writer = await open(user, reloadDraft.id);
    await synced(writer);
    for (let i = 0; i < 50; i += 1) appendText(writer, `${i} `);
    bodyText(writer.doc).delete(0, 5);
    const expected = writer.text();
    await eventually(async () => storedText((await loadDraftState(reloadDraft.id)).update) === expected, 5000, "storage");
    writer.destroy();
    // After the idle time the draft is unloaded, having been compacted.
    await eventually(() => server.accord.collab.registry.size === 0, 5000, "unload");
    await eventually(async () => (await loadDraftState(reloadDraft.id)).tail === 0, 5000, "compaction on unload");
    const [checkpoint] = await server.database.sql<{ upto_seq: string }[]>`
      SELECT upto_seq FROM draft_checkpoints WHERE draft_id = ${reloadDraft.id}`;
    expect(Number(checkpoint?.upto_seq)).toBeGreaterThan(0);
    expect(await compactDraft(reloadDraft.id)).toMatchObject({ folded: 0 });
    const reader = await open(user, reloadDraft.id);
    await synced(reader);
    expect(reader.text()).toBe(expected);
  });

  it("checkpoints a busy loaded draft from its own state, which matches replaying the log", async () => {
    const busyDraft = await createDraft({ actor: secretariat, title: "Checkpoint test" });
    const initial = (await loadDraftState(busyDraft.id)).update;
    const user = await buildUser();
    const writer = await open(user, busyDraft.id);
    await synced(writer);
    // One update per keystroke, more than a compaction's worth, while the draft stays loaded (at
    // about 200 a second: within the connection's rate limit, which would otherwise close it).
    for (let i = 0; i < COMPACT_AFTER + 40; i += 1) {
      appendText(writer, i % 7 === 0 ? " " : "x");
      if (i % 2 === 1) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const expected = writer.text();
    await eventually(async () => storedText((await loadDraftState(busyDraft.id)).update) === expected, 5000, "storage");
    const checkpointSeq = async () => {
      const [row] = await server.database.sql<{ upto_seq: string }[]>`
        SELECT upto_seq FROM draft_checkpoints WHERE draft_id = ${busyDraft.id}`;
      return Number(row?.upto_seq ?? 0);
    };
    await eventually(async () => (await checkpointSeq()) >= COMPACT_AFTER, 5000, "checkpoint while loaded");
    expect(server.accord.collab.registry.size).toBeGreaterThan(0);
    // The checkpoint plus the rest of the log give the same text as the whole log replayed.
    const [checkpoint] = await server.database.sql<{ state: Uint8Array }[]>`
      SELECT state FROM draft_checkpoints WHERE draft_id = ${busyDraft.id}`;
    const rows = await server.database.sql<{ update: Uint8Array }[]>`
      SELECT update FROM draft_updates WHERE draft_id = ${busyDraft.id} AND seq <= ${await checkpointSeq()} ORDER BY seq`;
    const fromLog = new Y.Doc();
    Y.applyUpdate(fromLog, initial);
    for (const row of rows) Y.applyUpdate(fromLog, row.update);
    const fromCheckpoint = new Y.Doc();
    if (checkpoint) Y.applyUpdate(fromCheckpoint, checkpoint.state);
    expect(bodyString(fromCheckpoint)).toBe(bodyString(fromLog));
    expect(storedText((await loadDraftState(busyDraft.id)).update)).toBe(expected);
    writer.destroy();
  });

  it("relays the updates a busy moment gathered as one message per connection, and everyone converges", async () => {
    const burstDraft = await createDraft({ actor: secretariat, title: "Burst test" });
    const [first, second, reading] = await Promise.all([buildUser(), buildUser(), buildUser()]);
    const writers = [await open(first, burstDraft.id), await open(second, burstDraft.id)];
    const reader = await open(reading, burstDraft.id);
    await Promise.all([...writers, reader].map((client) => synced(client)));
    let messages = 0;
    reader.doc.on("update", (_update: Uint8Array, origin: unknown) => {
      if (origin === reader.provider) messages += 1;
    });
    // Forty separate updates (one message each) sent in one turn, by two writers.
    for (let i = 0; i < 20; i += 1) {
      writers.forEach((writer, w) => appendText(writer, "ab"[w] ?? "x"));
    }
    const length = () => reader.text().length;
    await eventually(() => length() === 40 && writers.every((writer) => writer.text() === reader.text()), 5000, "convergence");
    expect(reader.text().split("").sort().join("")).toBe("a".repeat(20) + "b".repeat(20));
    expect(messages).toBeLessThan(40);
    [...writers, reader].forEach((client) => client.destroy());
  });

  it("closes the sockets of a disabled account within a second", async () => {
    const user = await buildUser();
    const client = await open(user);
    await synced(client);
    const closed = new Promise<number>((resolve) => client.provider.on("connection-close", (event) => resolve(event?.code ?? 0)));
    const disabledAt = Date.now();
    await setUserDisabled(server.live, { actor: secretariat, user, disabled: true });
    expect(await closed).toBe(4401);
    expect(Date.now() - disabledAt).toBeLessThan(1000);
  });

  it("downgrades a delegate who becomes an observer: told at once, writes dropped", async () => {
    const user = await buildUser();
    const client = await open(user);
    await synced(client);
    await changeUserRole(server.live, { actor: secretariat, user, role: "observer", delegationCode: null });
    await eventually(() => client.denied !== null, 1000, "permission denied");
    bodyText(client.doc).insert(0, "after downgrade ");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(storedText((await loadDraftState(draft.id)).update)).not.toContain("after downgrade");
  });

  it("shows the name and delegation the server knows, whatever the client claims", async () => {
    const claire = await buildUser({ delegation: "fr", displayName: "Claire Dubois" });
    const watcher = await open(await buildUser({ delegation: "uk" }));
    const liar = await open(claire);
    await Promise.all([synced(watcher), synced(liar)]);
    liar.provider.awareness.setLocalStateField("user", { name: "The Secretariat", delegation: "us", color: "#000000" });
    await eventually(
      () => [...watcher.provider.awareness.getStates().values()].some((state) => (state.user as { name?: string })?.name === "Claire Dubois"),
      3000,
      "presence",
    );
    const shown = [...watcher.provider.awareness.getStates().values()].map((state) => state.user as { name: string; delegation: string });
    expect(shown).toContainEqual(expect.objectContaining({ name: "Claire Dubois", delegation: "fr", delegationName: "France" }));
    expect(shown.some((user) => user?.name === "The Secretariat")).toBe(false);
  });
});
