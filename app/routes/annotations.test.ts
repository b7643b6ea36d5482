import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { eventually } from "../../test/collab-client";
import { openEventStream } from "../../test/event-stream";
import { buildUser } from "../../test/factories";
import { sendJson, startTestServer, type TestServer } from "../../test/server";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { rangeOf } from "../../test/text-ranges";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const TEXT = "Participating States shall assess the risk of serious violations of human rights.";

async function newDraft(): Promise<Draft> {
  const secretariat = await buildUser({ role: "secretariat" });
  return createDraft({ actor: secretariat, title: "Threads", content: documentJson("Threads", ["Preamble."], [section("One", clause(TEXT))]) });
}

async function signedIn(options: Parameters<typeof buildUser>[0]) {
  const user = await buildUser(options);
  const client = server.client();
  await client.signIn(user.email);
  return { user, client };
}

async function counts(): Promise<number[]> {
  const [row] = await server.database.sql<{ t: number; c: number; n: number; a: number }[]>`
    SELECT (SELECT count(*)::int FROM annotation_threads) AS t, (SELECT count(*)::int FROM annotation_comments) AS c,
           (SELECT count(*)::int FROM notifications) AS n, (SELECT count(*)::int FROM audit_events) AS a`;
  return [row?.t ?? 0, row?.c ?? 0, row?.n ?? 0, row?.a ?? 0];
}

describe("the threads API", () => {
  it("answers signed-out requests with 401 JSON", async () => {
    const draft = await newDraft();
    const anonymous = server.client();
    for (const response of [
      await anonymous.get(`/drafts/${draft.slug}/threads`),
      await sendJson(anonymous, `/drafts/${draft.slug}/threads`, "POST", { from: 1, to: 3, body: "x" }),
      await anonymous.get("/notifications"),
      await anonymous.get(`/drafts/${draft.slug}/events`),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "Sign in first." });
    }
  });

  it("creates a thread from a JSON or form post, and lists it", async () => {
    const draft = await newDraft();
    const { user, client } = await signedIn({ delegation: "nl" });
    const range = await rangeOf(draft.id, "serious violations");
    const created = await sendJson(client, `/drafts/${draft.slug}/threads`, "POST", { ...range, body: "Why serious?" });
    expect(created.status).toBe(201);
    const { thread } = (await created.json()) as { thread: Record<string, unknown> };
    expect(thread).toMatchObject({
      visibility: "all",
      status: "open",
      quote: "serious violations",
      range,
      detached: false,
      author: { id: user.id, delegation: "nl" },
      can: { reply: true, resolve: true },
    });
    const form = await client.post(`/drafts/${draft.slug}/threads`, { from: String(range.from), to: String(range.to), body: "Private.", visibility: "delegation" });
    expect(form.status).toBe(201);

    const list = await client.get(`/drafts/${draft.slug}/threads`);
    expect(list.headers.get("cache-control")).toContain("no-store");
    const { threads } = (await list.json()) as { threads: { quote: string; visibility: string; comments: { body: string; can: unknown }[] }[] };
    expect(threads.map((item) => [item.visibility, item.comments[0]?.body])).toEqual([
      ["all", "Why serious?"],
      ["delegation", "Private."],
    ]);
    expect(threads[0]?.comments[0]?.can).toEqual({ edit: true, delete: true });
  });

  it("refuses bad input with 400 or 404 and a clear message, writing nothing", async () => {
    const draft = await newDraft();
    const { client } = await signedIn({ delegation: "fr" });
    const range = await rangeOf(draft.id, "States");
    const before = await counts();
    const cases: [string, unknown, number, RegExp][] = [
      [`/drafts/${draft.slug}/threads`, { ...range, body: "" }, 400, /Write a comment first/],
      [`/drafts/${draft.slug}/threads`, { ...range, body: "   " }, 400, /Write a comment first/],
      [`/drafts/${draft.slug}/threads`, { ...range, body: "x".repeat(5001) }, 400, /at most 5000 characters/],
      [`/drafts/${draft.slug}/threads`, { from: 2, to: 100_000, body: "Out" }, 400, /Select some text/],
      [`/drafts/${draft.slug}/threads`, { from: 9, to: 9, body: "Empty" }, 400, /Select some text/],
      [`/drafts/${draft.slug}/threads`, { from: "a", to: 4, body: "NaN" }, 400, /Select some text/],
      [`/drafts/${draft.slug}/threads`, { ...range, body: "Who?", visibility: "nobody" }, 400, /Choose who can see/],
      ["/drafts/no-such-draft/threads", { ...range, body: "Lost" }, 404, /no such draft/],
      [`/drafts/${draft.slug}/threads/not-an-id/comments`, { body: "Hi" }, 404, /no such thread/],
      [`/drafts/${draft.slug}/threads/00000000-0000-4000-8000-000000000000/comments`, { body: "Hi" }, 404, /no such thread/],
    ];
    for (const [path, body, status, message] of cases) {
      const response = await sendJson(client, path, "POST", body);
      expect(response.status, path).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
    const broken = await client.fetch(`/drafts/${draft.slug}/threads`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(broken.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("lets observers read shared threads but not comment, and keeps private notes for delegations", async () => {
    const draft = await newDraft();
    const range = await rangeOf(draft.id, "States");
    const observer = await signedIn({ role: "observer" });
    const secretariat = await signedIn({ role: "secretariat" });
    const before = await counts();
    const refused = await sendJson(observer.client, `/drafts/${draft.slug}/threads`, "POST", { ...range, body: "Hm" });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "Your account may not comment on this draft." });
    const privateSecretariat = await sendJson(secretariat.client, `/drafts/${draft.slug}/threads`, "POST", { ...range, body: "Hm", visibility: "delegation" });
    expect(privateSecretariat.status).toBe(403);
    expect(await counts()).toEqual(before);
    const shared = await sendJson(secretariat.client, `/drafts/${draft.slug}/threads`, "POST", { ...range, body: "For all." });
    expect(shared.status).toBe(201);
    const { threads } = (await (await observer.client.get(`/drafts/${draft.slug}/threads`)).json()) as { threads: { id: string; can: unknown }[] };
    expect(threads).toHaveLength(1);
    expect(threads[0]?.can).toEqual({ reply: false, resolve: false });
    const reply = await sendJson(observer.client, `/drafts/${draft.slug}/threads/${threads[0]?.id}/comments`, "POST", { body: "Me too" });
    expect(reply.status).toBe(403);
  });

  it("replies, edits and deletes one's own comments, and resolves and reopens", async () => {
    const draft = await newDraft();
    const danish = await signedIn({ delegation: "dk" });
    const french = await signedIn({ delegation: "fr" });
    const secretariat = await signedIn({ role: "secretariat" });
    const base = `/drafts/${draft.slug}/threads`;
    const created = (await (await sendJson(danish.client, base, "POST", { ...(await rangeOf(draft.id, "assess")), body: "Assess how?" })).json()) as {
      thread: { id: string; comments: { id: string }[] };
    };
    const threadId = created.thread.id;
    const firstId = created.thread.comments[0]?.id ?? "";

    const reply = await sendJson(french.client, `${base}/${threadId}/comments`, "POST", { body: "Case by case, @Denmark." });
    expect(reply.status).toBe(201);
    const { comment } = (await reply.json()) as { comment: { id: string; body: string; author: { delegation: string } } };
    expect(comment).toMatchObject({ body: "Case by case, @Denmark.", author: { delegation: "fr" } });
    // The Danish delegate was mentioned.
    const notifications = (await (await danish.client.get("/notifications")).json()) as { unread: number; notifications: { id: string; threadId: string }[] };
    expect(notifications.unread).toBe(1);
    expect(notifications.notifications[0]?.threadId).toBe(threadId);

    // Someone else's comment is not theirs to change.
    expect((await sendJson(danish.client, `${base}/${threadId}/comments/${comment.id}`, "PATCH", { body: "Mine now" })).status).toBe(403);
    expect((await danish.client.fetch(`${base}/${threadId}/comments/${comment.id}`, { method: "DELETE" })).status).toBe(403);
    const edited = await sendJson(french.client, `${base}/${threadId}/comments/${comment.id}`, "PATCH", { body: "Case by case." });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { comment: { body: string; editedAt: string | null } }).comment.editedAt).not.toBeNull();
    const tooLong = await sendJson(french.client, `${base}/${threadId}/comments/${comment.id}`, "PATCH", { body: "y".repeat(5001) });
    expect(tooLong.status).toBe(400);
    const formEdit = await french.client.post(`${base}/${threadId}/comments/${comment.id}`, { intent: "edit", body: "Case by case, always." });
    expect(formEdit.status).toBe(200);
    expect((await danish.client.post(`${base}/${threadId}/comments/${firstId}`, { intent: "delete" })).status).toBe(200);
    expect((await danish.client.post(`${base}/${threadId}/comments/${firstId}`, { intent: "delete" })).status).toBe(404);

    // France may not resolve Denmark's thread; Denmark and the secretariat may.
    expect((await sendJson(french.client, `${base}/${threadId}`, "POST", { intent: "resolve" })).status).toBe(403);
    const resolved = await sendJson(danish.client, `${base}/${threadId}`, "PATCH", { intent: "resolve" });
    expect(((await resolved.json()) as { thread: { status: string } }).thread.status).toBe("resolved");
    const reopened = await secretariat.client.post(`${base}/${threadId}`, { intent: "reopen" });
    expect(((await reopened.json()) as { thread: { status: string } }).thread.status).toBe("open");
    expect((await sendJson(danish.client, `${base}/${threadId}`, "POST", { intent: "vanish" })).status).toBe(400);

    const { threads } = (await (await french.client.get(base)).json()) as { threads: { comments: { body: string; deleted: boolean }[] }[] };
    expect(threads[0]?.comments.map((item) => [item.body, item.deleted])).toEqual([
      ["", true],
      ["Case by case, always.", false],
    ]);

    const marked = await sendJson(danish.client, "/notifications", "POST", { ids: [notifications.notifications[0]?.id] });
    expect(await marked.json()).toEqual({ marked: 1, unread: 0 });
  });
});

describe("a private Norwegian note", () => {
  it("reaches Norway's streams within a second and nothing a French delegate or the secretariat receives", async () => {
    const draft = await newDraft();
    const norwegian = await signedIn({ delegation: "no" });
    const norwegianHead = await signedIn({ role: "head", delegation: "no" });
    const french = await signedIn({ delegation: "fr" });
    const secretariat = await signedIn({ role: "secretariat" });
    const SECRET = "Norway cannot accept this wording";

    const streams = [norwegianHead, french, secretariat].map((who) => openEventStream(who.client, `/drafts/${draft.slug}/events`));
    await Promise.all(streams.map((item) => item.ready));
    await eventually(() => streams.every((item) => item.stream.raw.includes(": connected")), 3000, "the streams to open");
    const [norwegianStream, frenchStream, secretariatStream] = streams.map((item) => item.stream);
    expect(frenchStream?.status).toBe(200);
    expect(frenchStream?.contentType).toMatch(/^text\/event-stream/);

    // Raw collaboration frames a French delegate receives.
    const frames: Buffer[] = [];
    const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/collab/${draft.id}`, {
      headers: { origin: server.url, cookie: `accord_session=${french.client.sessionCookie() ?? ""}` },
    });
    socket.on("message", (data: Buffer) => frames.push(Buffer.from(data)));
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));

    const started = Date.now();
    const created = await sendJson(norwegian.client, `/drafts/${draft.slug}/threads`, "POST", {
      ...(await rangeOf(draft.id, "human rights")),
      body: `${SECRET}, tell @France later`,
      visibility: "delegation",
    });
    expect(created.status).toBe(201);
    const secretId = ((await created.json()) as { thread: { id: string } }).thread.id;
    await eventually(() => norwegianStream?.raw.includes(SECRET) ?? false, 1000, "the note to reach Norway's other browser");
    expect(Date.now() - started).toBeLessThan(1500);
    await sendJson(norwegian.client, `/drafts/${draft.slug}/threads/${secretId}/comments`, "POST", { body: `${SECRET}, indeed` });
    await sendJson(norwegianHead.client, `/drafts/${draft.slug}/threads/${secretId}`, "POST", { intent: "resolve" });

    // A shared thread afterwards reaches everyone, so the streams were live throughout.
    const shared = await sendJson(french.client, `/drafts/${draft.slug}/threads`, "POST", { ...(await rangeOf(draft.id, "assess")), body: "Shared remark" });
    expect(shared.status).toBe(201);
    await eventually(() => streams.every((item) => item.stream.raw.includes("Shared remark")), 1000, "the shared thread to reach every stream");
    expect(norwegianStream?.raw).toContain('"change":"resolved"');

    const received: [string, string][] = [
      ["French stream", frenchStream?.raw ?? ""],
      ["secretariat stream", secretariatStream?.raw ?? ""],
      ["French WebSocket frames", Buffer.concat(frames).toString("latin1")],
    ];
    for (const who of [french, secretariat]) {
      received.push(["threads JSON", await (await who.client.get(`/drafts/${draft.slug}/threads`)).text()]);
      received.push(["resolved threads JSON", await (await who.client.get(`/drafts/${draft.slug}/threads?status=resolved`)).text()]);
      received.push(["draft page", await (await who.client.get(`/drafts/${draft.slug}`)).text()]);
      received.push(["draft page data", await (await who.client.get(`/drafts/${draft.slug}.data`)).text()]);
      received.push(["drafts list", await (await who.client.get("/drafts")).text()]);
      received.push(["drafts API", await (await who.client.get("/api/drafts")).text()]);
      received.push(["notifications", await (await who.client.get("/notifications")).text()]);
      const thread = await who.client.get(`/drafts/${draft.slug}/threads/${secretId}`);
      expect(thread.status).toBe(404);
      received.push(["thread", await thread.text()]);
      for (const [method, path, body] of [
        ["POST", `/drafts/${draft.slug}/threads/${secretId}/comments`, { body: "Peek" }],
        ["POST", `/drafts/${draft.slug}/threads/${secretId}`, { intent: "reopen" }],
      ] as const) {
        const response = await sendJson(who.client, path, method, body);
        expect(response.status).toBe(404);
        received.push([path, await response.text()]);
      }
    }
    for (const [where, raw] of received) {
      expect(raw, where).not.toContain(SECRET);
      expect(raw, where).not.toContain(secretId);
      expect(raw, where).not.toContain("Norway cannot");
    }
    // France was mentioned in Norway's private note: no French notification.
    const notified = await server.database.sql`SELECT 1 FROM notifications WHERE recipient_id = ${french.user.id}`;
    expect(notified).toHaveLength(0);

    socket.close();
    for (const item of streams) item.stream.close();
    await eventually(() => server.live.drafts.subscriberCount === 0, 3000, "the streams to be let go");
  });

  it("tells a mentioned person's open stream their unread count", async () => {
    const draft = await newDraft();
    const author = await signedIn({ delegation: "uk" });
    const mentioned = await signedIn({ delegation: "ca" });
    const { stream, ready } = openEventStream(mentioned.client, `/drafts/${draft.slug}/events`);
    await ready;
    await eventually(() => stream.raw.includes(": connected"), 3000, "the stream to open");
    await sendJson(author.client, `/drafts/${draft.slug}/threads`, "POST", { ...(await rangeOf(draft.id, "States")), body: "@Canada?" });
    await eventually(() => stream.raw.includes("event: notification"), 1000, "the notification");
    expect(stream.raw).toMatch(/event: notification\ndata: \{"unread":1\}/);
    stream.close();
  });
});
