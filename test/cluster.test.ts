import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import * as Y from "yjs";
import { DEFAULT_BUDGETS } from "../server/collab/budgets";
import { CLOSE } from "../server/collab/protocol";
import { YJS_FRAGMENT } from "../schema/prosemirror";
import { MAX_STREAMS_PER_ACCOUNT } from "../server/events/stream-registry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../schema/content";
import { createSession } from "../server/auth/session";
import type { Database } from "../server/db/connection";
import * as encoding from "lib0/encoding";
import { LOG_CHECK_MS } from "../server/cluster/cluster";
import { encodeAwarenessUpdate } from "../server/collab/presence";
import { setDatabase } from "../server/db/registry";
import { createDraft } from "../server/domain/drafts";
import { createRound } from "../server/domain/rounds";
import { findVersion, listVersions, saveVersion } from "../server/domain/versions";
import { createLive } from "../server/live";
import { loadDraftState } from "../server/text-store/persistence";
import { acceptsConnections, freePort, startChildServer, type ChildServer } from "./child-server";
import { appendText, connectClient, eventually, storedText, synced, type CollabClient } from "./collab-client";
import { childDatabase } from "./database";
import { openEventStream } from "./event-stream";
import { buildUser } from "./factories";
import { nginxBinary, startNginx } from "./nginx";
import { checkPage, HAVE_CHROMIUM, launchBrowser } from "./e2e/browser";
import { draftText, openDraft, signedInContext } from "./e2e/draft-pages";
import { codeOfConductOpeningText } from "../server/demo/code-of-conduct";
import type { Page } from "playwright-core";
import { redisServerBinary, startTestRedis, stopTestRedis, type TestRedis } from "./redis-server";
import { sendJson, TestClient } from "./server";
import { startTcpBalancer, type TcpBalancer } from "./tcp-balancer";
import { rangeOf } from "./text-ranges";

// Several real instances (child processes of the production build) on one Postgres server and
// one Redis, as a deployment runs them behind a load balancer without sticky sessions.

// The instances share ORIGIN, the balancer's address, as a deployment's do; a test may still
// connect straight to one instance (with that Origin) to know where each client is.

const ready = Boolean(process.env.DATABASE_URL && redisServerBinary());
const SKIPPED = "needs DATABASE_URL (a Postgres server) and redis-server (Debian's redis-server package); `.ci/run` provides both";
if (!ready) console.log(`Cluster tests skipped: the cluster suite ${SKIPPED}.`);

/** A browser-like client of one instance that says it comes from the deployment's address. */
class ClientOf extends TestClient {
  constructor(
    instance: { url: string },
    private readonly deploymentOrigin: string,
  ) {
    super(instance.url);
  }

  // The address the browser asked for is the deployment's, as a reverse proxy says in X-Forwarded-Host.
  override fetch(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("x-forwarded-host", new URL(this.deploymentOrigin).host);
    return super.fetch(path, { ...init, headers, origin: init.origin === undefined ? this.deploymentOrigin : init.origin });
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


/** Types a letter every 15 ms into `client` until stopped; `stop` resolves with everything typed. */
function keepTyping(client: CollabClient): { stop(): Promise<string> } {
  let typed = "";
  let typing = true;
  const done = (async () => {
    for (let i = 0; typing; i += 1) {
      const letter = String.fromCharCode(97 + (i % 26));
      appendText(client, letter);
      typed += letter;
      await pause(15);
    }
  })();
  return {
    async stop() {
      typing = false;
      await done;
      return typed;
    },
  };
}

describe.runIf(ready)("several instances of one deployment", () => {
  let database: Awaited<ReturnType<typeof childDatabase>>;
  let db: Database;
  const instances: ChildServer[] = [];
  const clients: CollabClient[] = [];
  let env: Record<string, string>;
  let redis: TestRedis;
  let balancer: TcpBalancer;
  /** The deployment's address (ORIGIN): where nginx listens when a test starts it. */
  let origin: string;
  let deploymentPort: number;

  const running = () => instances.filter((candidate) => candidate.child.exitCode === null && candidate.child.signalCode === null);
  const portOf = (instance: ChildServer) => Number(new URL(instance.url).port);
  const start = async (): Promise<ChildServer> => {
    const instance = await startChildServer(env, await freePort());
    instances.push(instance);
    balancer.setBackends(running().map(portOf));
    return instance;
  };

  beforeAll(async () => {
    database = await childDatabase();
    redis = await startTestRedis(await freePort());
    // The balancer listens at the deployment's address; nginx takes it over in its own test.
    deploymentPort = await freePort();
    balancer = await startTcpBalancer(deploymentPort);
    origin = balancer.url;
    // A channel of this run's own, as another deployment on the same Redis would have.
    env = { ...database.env, REDIS_URL: redis.url, REDIS_CHANNEL: `accord-test-${randomBytes(6).toString("hex")}`, ORIGIN: origin } as Record<string, string>;
    const first = await start();
    await start();
    expect(first.output()).toContain("instances share Redis channel");
    db = await database.open();
    setDatabase(db);
    // This suite is about the instances: the secretariat and heads sign in with a password alone,
    // as startTestServer's suites do (the second factor has suites of its own).
    await db.sql`DELETE FROM second_factor_roles`;
  }, 120_000);

  afterAll(async () => {
    if (process.env.SHOW_OUTPUT) for (const each of instances) console.log(each.output());
    for (const client of clients) client.destroy();
    for (const instance of running()) instance.child.kill("SIGKILL");
    await Promise.all(instances.map((instance) => instance.exit));
    await balancer?.close();
    if (redis) await stopTestRedis(redis);
    await db?.close();
    await database?.cleanup();
  });

  const instance = (index: number): ChildServer => {
    const found = running()[index];
    if (!found) throw new Error(`no instance ${index} is running`);
    return found;
  };

  /** A stock y-websocket client of `on` (an instance, or the balancer). */
  async function editor(on: { url: string }, draftId: string, delegation: string): Promise<CollabClient> {
    const person = await buildUser({ delegation });
    const client = connectClient({ baseUrl: on.url, origin, draftId, cookie: (await createSession(person.id)).token });
    clients.push(client);
    await synced(client);
    return client;
  }

  const browserOf = (on: { url: string }) => new ClientOf(on, origin);

  it("lets editors on different instances see each other's edits and cursors, stored once, in one log without a gap", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Across instances" });
    const [a, b] = [await editor(instance(0), draft.id, "fr"), await editor(instance(1), draft.id, "ca")];

    // Relayed at once: comparing each loaded draft with its log, the fallback, would take up to LOG_CHECK_MS.
    appendText(a, "Hello ");
    await eventually(() => b.text() === "Hello ", LOG_CHECK_MS / 2, "the edit made on the first instance to reach the second");
    appendText(b, "world");
    await eventually(() => a.text() === "Hello world", LOG_CHECK_MS / 2, "the edit made on the second instance to reach the first");

    // Both type at once, letter by letter: every keystroke reaches the other side, and both agree.
    for (let i = 0; i < 60; i += 1) {
      appendText(i % 2 === 0 ? a : b, String.fromCharCode(97 + (i % 26)));
      if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await eventually(() => a.text().length === 71 && a.text() === b.text(), 10_000, "both editors to converge");
    await eventually(async () => storedText((await loadDraftState(draft.id)).update) === a.text(), 5000, "the text to be stored");
    const seqs = (await db.sql<{ seq: string }[]>`SELECT seq FROM draft_updates WHERE draft_id = ${draft.id} ORDER BY seq`).map((row) => Number(row.seq));
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));

    // A cursor on one instance shows on the other, with the name the server knows.
    a.provider.awareness.setLocalStateField("cursor", { anchor: 1, head: 1 });
    await eventually(() => b.provider.awareness.getStates().get(a.doc.clientID)?.cursor !== undefined, 5000, "the cursor to cross instances");
    const seen = b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { delegation?: string } };
    expect(seen.user?.delegation).toBe("fr");
    // Another person on the other instance cannot take that cursor over by using its client id.
    const impostor = await editor(instance(1), draft.id, "us");
    const forged = encoding.createEncoder();
    encoding.writeVarUint(forged, 1); // an awareness message, as y-websocket frames it
    encoding.writeVarUint8Array(forged, encodeAwarenessUpdate([{ clientId: a.doc.clientID, clock: 1_000, state: { cursor: { anchor: 5, head: 5 } } }]));
    impostor.provider.ws?.send(encoding.toUint8Array(forged));
    await pause(500);
    expect(b.provider.awareness.getStates().get(a.doc.clientID)).toMatchObject({ cursor: { anchor: 1 }, user: { delegation: "fr" } });
    impostor.destroy();
    // It leaves with its editor.
    a.destroy();
    await eventually(() => !b.provider.awareness.getStates().has(a.doc.clientID), 5000, "the cursor to leave with its editor");
  });

  it("tells event streams on every instance of what happened on another, and ends a disabled account's connections everywhere at once", async () => {
    const secretariatUser = await buildUser({ role: "secretariat" });
    const draft = await createDraft({
      actor: secretariatUser,
      title: "Events across instances",
      content: documentJson("Events across instances", ["Whereas."], [section("Scope", clause("States assess serious violations."))]),
    });
    const reader = await buildUser({ delegation: "no" });
    const readerClient = browserOf(instance(1));
    await readerClient.signIn(reader.email);
    const { stream, ready: opened } = openEventStream(readerClient, `/drafts/${draft.slug}/events`);
    await opened;
    expect(stream.status).toBe(200);

    const writer = browserOf(instance(0));
    await writer.signIn((await buildUser({ delegation: "nl" })).email);
    const range = await rangeOf(draft.id, "serious violations");
    const created = await sendJson(writer, `/drafts/${draft.slug}/threads`, "POST", { ...range, body: "Across the deployment?" });
    expect(created.status).toBe(201);
    await eventually(() => stream.raw.includes("Across the deployment?"), 3000, "the thread event to reach the other instance's stream");

    // An account with a stream and a socket on the second instance is disabled on the first:
    // both end within a second, and the reader's go on.
    const disabled = await buildUser({ delegation: "no" });
    const disabledClient = browserOf(instance(1));
    await disabledClient.signIn(disabled.email);
    const theirs = openEventStream(disabledClient, `/drafts/${draft.slug}/events`);
    await theirs.ready;
    expect(theirs.stream.status).toBe(200);
    const socket = connectClient({ baseUrl: instance(1).url, origin, draftId: draft.id, cookie: (await createSession(disabled.id)).token });
    clients.push(socket);
    await synced(socket);
    const socketClosed = new Promise<number>((resolve) => socket.provider.ws?.addEventListener("close", () => resolve(Date.now())));
    const streamEnded = theirs.stream.ended.then(() => Date.now());

    const admin = browserOf(instance(0));
    await admin.signIn(secretariatUser.email);
    const startedAt = Date.now();
    expect((await admin.post("/admin/accounts", { intent: "disable", userId: disabled.id })).status).toBeLessThan(400);
    const within = (ms: number) => new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), ms));
    expect((await Promise.race([streamEnded, within(2000)])) - startedAt).toBeLessThan(1000);
    expect((await Promise.race([socketClosed, within(2000)])) - startedAt).toBeLessThan(1000);
    expect(await Promise.race([stream.ended.then(() => "ended"), within(300).then(() => "open")])).toBe("open");
    socket.provider.disconnect();
    stream.close();
  });

  it("runs a chaired session across instances: each step on one reaches the streams and views of the other within a second", async () => {
    const chairUser = await buildUser({ role: "secretariat" });
    const draft = await createDraft({
      actor: chairUser,
      title: "Session across instances",
      content: documentJson("Session across instances", ["Whereas."], [section("Scope", clause("First."), clause("Second."))]),
    });
    const chair = browserOf(instance(0));
    await chair.signIn(chairUser.email);
    const delegate = browserOf(instance(1));
    await delegate.signIn((await buildUser({ role: "head", delegation: "dk" })).email);
    const { stream, ready } = openEventStream(delegate, `/drafts/${draft.slug}/events`);
    await ready;
    expect(stream.status).toBe(200);

    const opened = Date.now();
    expect((await chair.post(`/drafts/${draft.slug}/sessions`, { intent: "open", kind: "informal" })).status).toBe(302);
    await eventually(() => stream.raw.includes('"change":"opened"'), 1000, "the session's opening to reach the other instance's stream");
    expect(Date.now() - opened).toBeLessThan(1000);
    // The stream on the other instance records its reader as present, and the chair's instance hears of it.
    const state = async (client: TestClient) =>
      ((await (await client.get(`/drafts/${draft.slug}/session.json`)).json()) as { meeting: { present: string[]; waiting: { delegationCode: string }[]; speaking: { delegationCode: string } | null } | null }).meeting;
    let present: string[] = [];
    await eventually(async () => (present = (await state(chair))?.present ?? []).length > 0, 3000, "attendance recorded from the other instance");
    expect(present).toEqual(["Denmark"]);

    const asked = Date.now();
    expect((await delegate.post(`/drafts/${draft.slug}/sessions/1`, { intent: "request-floor" })).status).toBe(200);
    expect((await state(chair))?.waiting.map((entry) => entry.delegationCode)).toEqual(["dk"]);
    expect((await chair.post(`/drafts/${draft.slug}/sessions/1`, { intent: "give" })).status).toBe(200);
    await eventually(() => (stream.raw.match(/"change":"speakers"/g) ?? []).length >= 2, 1000, "the floor given on one instance to reach the other");
    expect(Date.now() - asked).toBeLessThan(2000);
    expect((await state(delegate))?.speaking?.delegationCode).toBe("dk");
    expect((await chair.post(`/drafts/${draft.slug}/sessions/1`, { intent: "close" })).status).toBe(200);
    await eventually(() => stream.raw.includes('"change":"closed"'), 1000, "the close to reach the other instance");
    stream.close();
  });

  it("makes the public pages of every instance show a newly published version", async () => {
    const secretariatUser = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariatUser, title: "Published across instances" });
    await saveVersion(createLive(), { actor: secretariatUser, draftId: draft.id, name: "First", kind: "manual" });
    await saveVersion(createLive(), { actor: secretariatUser, draftId: draft.id, name: "Second", kind: "manual" });
    const form = { publicTitle: "Code of Conduct", summary: "For comment.", statusLabel: "Consultation draft", attribution: "named" };
    const secretariat = browserOf(instance(0));
    await secretariat.signIn(secretariatUser.email);
    expect((await secretariat.post(`/drafts/${draft.slug}/versions/1/publish`, form)).status).toBe(302);

    // The second instance serves (and caches) the public page with version 1.
    const reader = browserOf(instance(1));
    const before = await (await reader.get(`/p/${draft.slug}`)).text();
    expect(before).toContain("Code of Conduct");
    expect(before).not.toContain("/v/2");
    expect((await secretariat.post(`/drafts/${draft.slug}/versions/2/publish`, form)).status).toBe(302);
    await eventually(async () => (await (await reader.get(`/p/${draft.slug}`)).text()).includes("/v/2"), 3000, "the other instance's cache to be stale");
  });

  it("closes writing on every instance before a change of phase made on one, so the phase's version holds exactly what was accepted", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Phases across instances" });
    const live = createLive();
    await createRound(live, { actor: secretariat, draftId: draft.id, round: { name: "Drafting", phase: "drafting", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false } });
    await createRound(live, {
      actor: secretariat,
      draftId: draft.id,
      round: { name: "Review", phase: "review", startsAt: new Date(Date.now() + 3_600_000), endsAt: null, instructions: "", observersComment: false },
    });
    // A writer on the second instance types every 10 ms and ignores being made read-only.
    const writer = await editor(instance(1), draft.id, "nl");
    const typing = setInterval(() => appendText(writer, "x"), 10);
    try {
      await eventually(async () => storedText((await loadDraftState(draft.id)).update).length > 20, 5000, "typing to be stored");
      // The secretariat moves the draft to review on the first instance.
      const desk = browserOf(instance(0));
      await desk.signIn(secretariat.email);
      expect((await desk.post(`/drafts/${draft.slug}/rounds`, { intent: "advance" })).status).toBeLessThan(400);
      const [phaseVersion] = await listVersions(draft.id);
      expect(phaseVersion).toMatchObject({ kind: "phase" });
      const version = await findVersion(draft.id, phaseVersion?.number ?? 0);
      const kept = storedText(version?.yjsState ?? new Uint8Array());
      expect(storedText((await loadDraftState(draft.id)).update)).toBe(kept);
      // Longer than an instance's check of its sockets: nothing more is stored, from either instance.
      await pause(1200);
      expect(storedText((await loadDraftState(draft.id)).update)).toBe(kept);
      expect(writer.denied).toMatch(/Editing is closed/);
    } finally {
      clearInterval(typing);
      writer.provider.disconnect();
    }
  });

  it.runIf(nginxBinary() !== null)("serves editors, forms and event streams through deploy/nginx.conf, spread over the instances", async () => {
    await balancer.close();
    const nginx = await startNginx(deploymentPort, running().map(portOf));
    try {
      const health = await fetch(`${nginx.url}/healthz`);
      expect(await health.json()).toEqual({ status: "ok", database: "postgres" });
      const draft = await createDraft({
        actor: await buildUser({ role: "secretariat" }),
        title: "Through nginx",
        content: documentJson("Through nginx", ["Whereas."], [section("Scope", clause("States assess serious violations."))]),
      });
      // nginx sends each new connection to the next instance: these two are on different ones.
      const [a, b] = [await editor(nginx, draft.id, "fr"), await editor(nginx, draft.id, "ca")];
      appendText(a, "Through nginx");
      await eventually(() => b.text() === "Whereas.Through nginx", 3000, "the edit to cross instances through nginx");

      // Signed in through nginx (the browser's address and nginx's Host agree with ORIGIN), an event
      // stream comes through unbuffered.
      const reader = new TestClient(nginx.url);
      await reader.signIn((await buildUser({ delegation: "dk" })).email);
      const { stream, ready: opened } = openEventStream(reader, `/drafts/${draft.slug}/events`);
      await opened;
      expect(stream.status).toBe(200);
      const writer = new TestClient(nginx.url);
      await writer.signIn((await buildUser({ delegation: "nl" })).email);
      const created = await sendJson(writer, `/drafts/${draft.slug}/threads`, "POST", { ...(await rangeOf(draft.id, "serious violations")), body: "Seen through nginx?" });
      expect(created.status).toBe(201);
      await eventually(() => stream.raw.includes("Seen through nginx?"), 3000, "the thread event to come through nginx");
      stream.close();
      a.provider.disconnect();
      b.provider.disconnect();
    } finally {
      await nginx.stop();
      balancer = await startTcpBalancer(deploymentPort);
      balancer.setBackends(running().map(portOf));
    }
  });

  it.runIf(HAVE_CHROMIUM)("shows two browsers on different instances each other's typing and cursor, and only 'reconnecting' for a moment when one instance restarts", async () => {
    const browser = await launchBrowser();
    try {
      const secretariat = await buildUser({ role: "secretariat" });
      const title = "Code of Conduct (two instances)";
      const draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
      const claire = await buildUser({ delegation: "fr", displayName: "Claire Dubois" });
      const ryan = await buildUser({ delegation: "ca", displayName: "Ryan MacLeod" });
      // Each page is loaded while the balancer sends everything to one instance: its socket stays there.
      const [first, second] = [instance(0), instance(1)];
      balancer.pin(portOf(first));
      const fr = await openDraft(await signedInContext(browser, origin, claire.id), origin, draft.slug);
      balancer.pin(portOf(second));
      const ca = await openDraft(await signedInContext(browser, origin, ryan.id), origin, draft.slug);
      balancer.pin(null);

      const typeAtEnd = async (page: Page, words: string) => {
        const paragraph = draftText(page).locator(".clause").first().locator("p").first();
        await paragraph.click();
        await page.keyboard.press("End");
        await page.keyboard.type(words, { delay: 15 });
      };
      await typeAtEnd(fr, " Amended by France.");
      await expect.poll(() => draftText(ca).textContent(), { timeout: 5000 }).toContain("Amended by France.");
      await typeAtEnd(ca, " Canada agrees.");
      await expect.poll(() => draftText(fr).textContent(), { timeout: 5000 }).toContain("Canada agrees.");
      await expect.poll(() => ca.locator(".remote-cursor__label").allTextContents(), { timeout: 5000 }).toContain("Claire Dubois · France");
      await expect.poll(() => fr.locator(".remote-cursor__label").allTextContents(), { timeout: 5000 }).toContain("Ryan MacLeod · Canada");
      await checkPage(fr, "cluster-editor-france");

      // Claire's instance is restarted while she types: her page says "reconnecting", reconnects
      // to the other instance, and nothing she typed is lost.
      const seen = new Set<string>();
      const watching = setInterval(() => {
        void fr
          .getByRole("status")
          .first()
          .textContent()
          .then((status) => status && seen.add(status.replace(/\s+/g, " ").trim()), () => undefined);
      }, 50);
      const typing = typeAtEnd(fr, " Typed through a restart of the instance.");
      await pause(150);
      first.child.kill("SIGTERM");
      expect(await first.exit).toBe(0);
      expect(await acceptsConnections(portOf(first))).toBe(false);
      balancer.setBackends(running().map(portOf));
      await typing;
      await expect.poll(() => draftText(ca).textContent(), { timeout: 10_000 }).toContain("Typed through a restart of the instance.");
      await expect.poll(() => fr.getByRole("status").filter({ hasText: "Connected" }).textContent(), { timeout: 10_000 }).toContain("All changes saved");
      clearInterval(watching);
      expect([...seen].some((status) => /reconnecting/i.test(status))).toBe(true);
      expect([...seen].some((status) => /offline/i.test(status))).toBe(false);
      await start();
    } finally {
      balancer.pin(null);
      await browser.close();
    }
  }, 90_000);

  it("counts an account's open sockets once across the instances: past its limit, the next is refused on any of them", async () => {
    while (running().length < 2) await start();
    const draft = await createDraft({ actor: await buildUser({ role: "secretariat" }), title: "Sockets per account" });
    const token = (await createSession((await buildUser({ delegation: "uk" })).id)).token;
    // A raw handshake: the socket once open, or the status of a refusal.
    const connect = (on: ChildServer) =>
      new Promise<WebSocket | number>((resolve, reject) => {
        const socket = new WebSocket(`${on.url.replace(/^http/, "ws")}/collab/${draft.id}`, { headers: { origin, cookie: `accord_session=${token}` } });
        socket.once("open", () => resolve(socket));
        socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.once("error", reject);
      });
    const open: WebSocket[] = [];
    try {
      for (let i = 0; i < DEFAULT_BUDGETS.socketsPerAccount; i += 1) {
        const socket = await connect(instance(i % 2));
        if (typeof socket === "number") throw new Error(`socket ${i + 1} was refused with ${socket}`);
        open.push(socket);
      }
      expect(await connect(instance(0))).toBe(429);
      expect(await connect(instance(1))).toBe(429);
      // A place given back on one instance can be taken on the other.
      const closed = open.shift();
      closed?.close();
      await eventually(async () => {
        const socket = await connect(instance(1));
        if (typeof socket === "number") return false;
        open.push(socket);
        return true;
      }, 5000, "the freed place to be taken on the other instance");
    } finally {
      for (const socket of open) socket.terminate();
    }
  });

  it("counts an account's event streams once across the instances: past its limit, the next is refused on any of them", async () => {
    while (running().length < 2) await start();
    const draft = await createDraft({ actor: await buildUser({ role: "secretariat" }), title: "Streams per account" });
    const person = await buildUser({ delegation: "dk" });
    const clients = [browserOf(instance(0)), browserOf(instance(1))] as const;
    for (const client of clients) await client.signIn(person.email);
    const path = `/drafts/${draft.slug}/events`;
    const open = async (client: TestClient) => {
      const { stream, ready } = openEventStream(client, path);
      await ready;
      return stream;
    };
    const streams: Awaited<ReturnType<typeof open>>[] = [];
    try {
      for (let i = 0; i < MAX_STREAMS_PER_ACCOUNT; i += 1) {
        const stream = await open(clients[i % 2] as TestClient);
        streams.push(stream);
        expect(stream.status, `stream ${i + 1}`).toBe(200);
      }
      for (const client of clients) {
        const refused = await open(client);
        refused.close();
        expect(refused.status).toBe(429);
      }
      streams.shift()?.close();
      await eventually(async () => {
        const stream = await open(clients[1]);
        if (stream.status === 200) streams.push(stream);
        else stream.close();
        return stream.status === 200;
      }, 5000, "the freed place to be taken on the other instance");
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it("counts an account's refused updates once across the instances: refused on both, it is kept out of both", async () => {
    while (running().length < 2) await start();
    const draft = await createDraft({ actor: await buildUser({ role: "secretariat" }), title: "Refusals per account" });
    const person = await buildUser({ delegation: "no" });
    const token = (await createSession(person.id)).token;
    // Each connection sends an element the schema does not define, and is closed for it.
    const sendRefused = async (on: ChildServer) => {
      const client = connectClient({ baseUrl: on.url, origin, draftId: draft.id, cookie: token, maxBackoffTime: 60_000 });
      try {
        await synced(client);
        const closed = new Promise<number>((resolve) => client.provider.on("connection-close", (event: CloseEvent | null) => resolve(event?.code ?? 0)));
        client.doc.transact(() => client.doc.getXmlFragment(YJS_FRAGMENT).insert(0, [new Y.XmlElement("script")]));
        expect(await closed).toBe(CLOSE.refusedUpdate);
      } finally {
        client.destroy();
      }
    };
    const connect = (on: ChildServer) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${on.url.replace(/^http/, "ws")}/collab/${draft.id}`, { headers: { origin, cookie: `accord_session=${token}` } });
        socket.once("open", () => {
          socket.terminate();
          resolve(101);
        });
        socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.once("error", reject);
      });
    // Fewer than the limit on either instance alone, the limit across both.
    for (let i = 0; i < DEFAULT_BUDGETS.refusedUpdatesPerAccount; i += 1) await sendRefused(instance(i % 2));
    await eventually(async () => (await connect(instance(0))) === 429 && (await connect(instance(1))) === 429, 5000, "the account to be kept out of both instances");
  });

  it("keeps editors on three instances converging while all three type at once, in one log without a gap", async () => {
    while (running().length < 3) await start();
    const draft = await createDraft({ actor: await buildUser({ role: "secretariat" }), title: "Three instances" });
    const editors = [await editor(instance(0), draft.id, "fr"), await editor(instance(1), draft.id, "dk"), await editor(instance(2), draft.id, "ca")];
    for (let i = 0; i < 45; i += 1) {
      appendText(editors[i % 3] as CollabClient, String.fromCharCode(97 + (i % 26)));
      if (i % 5 === 4) await pause(10);
    }
    const [first] = editors as [CollabClient];
    await eventually(() => editors.every((each) => each.text().length === 45 && each.text() === first.text()), 10_000, "the three editors to converge");
    await eventually(async () => storedText((await loadDraftState(draft.id)).update) === first.text(), 5000, "the text to be stored");
    const seqs = (await db.sql<{ seq: string }[]>`SELECT seq FROM draft_updates WHERE draft_id = ${draft.id} ORDER BY seq`).map((row) => Number(row.seq));
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
  });

  it("loses no acknowledged edit when an instance is stopped under typing: its clients reconnect through the balancer to another", async () => {
    // A spare: the stopped instance's clients need another to go to.
    while (running().length < 3) await start();
    const draft = await createDraft({ actor: await buildUser({ role: "secretariat" }), title: "Rolling restart" });
    const writer = await editor(balancer, draft.id, "fr");
    const carrying = [...balancer.connections()].find(([, count]) => count > 0)?.[0];
    const victim = running().find((candidate) => portOf(candidate) === carrying);
    if (!victim) throw new Error("the writer's instance is unknown");
    const reader = await editor(running().find((candidate) => candidate !== victim) ?? victim, draft.id, "dk");
    const statuses: string[] = [];
    writer.provider.on("status", ({ status }: { status: string }) => statuses.push(status));

    const typist = keepTyping(writer);
    await pause(400);
    victim.child.kill("SIGTERM");
    // The old process is gone, and its port free, before anything is checked.
    expect(await victim.exit).toBe(0);
    expect(await acceptsConnections(portOf(victim))).toBe(false);
    expect(victim.output()).toMatch(/SIGTERM received/);
    balancer.setBackends(running().map(portOf));
    await pause(600);
    const typed = await typist.stop();

    await eventually(() => writer.text() === typed && reader.text() === typed, 10_000, "every letter typed to reach the reader");
    await eventually(async () => storedText((await loadDraftState(draft.id)).update) === typed, 5000, "every letter to be stored");
    // The writer was told to reconnect, and did, to another instance.
    expect(statuses).toContain("disconnected");
    expect(statuses.at(-1)).toBe("connected");
    expect(typed.length).toBeGreaterThan(40);
  });

  it("moves the scheduler to another instance within seconds when its instance is killed, and its writer loses no acknowledged edit", async () => {
    const LEASE = "holds the scheduler's lease";
    // An instance stopped before gave the lease back; one of the others takes it at its next check.
    await eventually(() => running().some((candidate) => candidate.output().includes(LEASE)), 10_000, "an instance to lead");
    const leaders = running().filter((candidate) => candidate.output().includes(LEASE));
    expect(leaders).toHaveLength(1);
    const [leader] = leaders as [ChildServer];

    // A writer whose socket is on the leader types while it is killed: nothing is flushed on the way
    // out, yet what was acknowledged is in Postgres, and the rest the client sends again elsewhere.
    const draft = await createDraft({ actor: await buildUser({ role: "secretariat" }), title: "Killed instance" });
    balancer.pin(portOf(leader));
    const writer = await editor(balancer, draft.id, "no");
    balancer.pin(null);
    const typist = keepTyping(writer);
    await pause(300);
    leader.child.kill("SIGKILL");
    await leader.exit;
    expect(await acceptsConnections(portOf(leader))).toBe(false);
    balancer.setBackends(running().map(portOf));
    const killedAt = Date.now();
    await pause(500);
    const typed = await typist.stop();

    await eventually(() => running().some((candidate) => candidate.output().includes(LEASE)), 15_000, "another instance to take the lease");
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(running().filter((candidate) => candidate.output().includes(LEASE))).toHaveLength(1);
    await eventually(async () => storedText((await loadDraftState(draft.id)).update) === typed, 10_000, "every letter typed to be stored");
    expect(writer.text()).toBe(typed);
  });

  it("keeps editors on two instances converging while Redis is restarted mid-typing, through the log in Postgres", async () => {
    while (running().length < 2) await start();
    const draft = await createDraft({ actor: await buildUser({ role: "secretariat" }), title: "Redis restarted" });
    const [a, b] = [await editor(instance(0), draft.id, "fr"), await editor(instance(1), draft.id, "ca")];
    const typeBoth = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        appendText(i % 2 === 0 ? a : b, String.fromCharCode(65 + (i % 26)));
        await pause(10);
      }
    };
    await typeBoth(20);
    await eventually(() => a.text().length === 20 && a.text() === b.text(), 5000, "convergence before the restart");

    await redis.kill();
    await typeBoth(20);
    // Nothing is relayed: each instance reads what the other stored from the log.
    await eventually(() => a.text().length === 40 && a.text() === b.text(), 4 * LOG_CHECK_MS, "convergence while Redis is down");

    await redis.restart();
    await eventually(() => running().every((candidate) => candidate.output().includes("Redis is back")), 15_000, "both instances to be back on Redis");
    await typeBoth(20);
    await eventually(() => a.text().length === 60 && a.text() === b.text(), LOG_CHECK_MS / 2, "relayed convergence once Redis is back");
    await eventually(async () => storedText((await loadDraftState(draft.id)).update) === a.text(), 5000, "the text to be stored");
    const seqs = (await db.sql<{ seq: string }[]>`SELECT seq FROM draft_updates WHERE draft_id = ${draft.id} ORDER BY seq`).map((row) => Number(row.seq));
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
  });
});

describe.skipIf(ready)("several instances of one deployment", () => {
  it.skip(SKIPPED, () => undefined);
});
