import http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentJson, paragraph, section, type DocJson } from "../../schema/content";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createDraft, type Draft } from "../domain/drafts";
import { publishVersion } from "../domain/publications";
import { advanceRound, applyDueTransitions, createRound } from "../domain/rounds";
import { answerSubmission, moderateSubmission, publishDispositions, sendFeedback } from "../domain/submissions";
import type { User } from "../domain/users";
import { saveVersion, type Version } from "../domain/versions";
import type { PublicPageCache } from "./public-page-cache";

let server: TestServer;
let cache: PublicPageCache;
let secretariat: User;
let draft: Draft;
let v1: Version;

const clause = (text: string, id: string): DocJson => ({ type: "clause", attrs: { id }, content: [paragraph(text)] });
const common = () => ({ actor: secretariat, draftId: draft.id, summary: "", statusLabel: "Consultation draft", attribution: "anonymous" as const });

beforeAll(async () => {
  server = await startTestServer();
  const found = server.accord.server.publicPageCache;
  if (!found) throw new Error("The built app runs without its public page cache.");
  cache = found;
  secretariat = await buildUser({ role: "secretariat" });
  draft = await createDraft({
    actor: secretariat,
    title: "Cached code",
    content: documentJson("Cached code", ["Preamble."], [section("Scope", clause("States assess the risk.", "c-risk"))]),
  });
  v1 = await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "First", kind: "manual" });
  await publishVersion(server.live, { ...common(), versionNumber: 1, publicTitle: "Cached code, first text" });
});
afterAll(async () => {
  await server.stop();
});

/** An anonymous GET with the given headers; the body as sent (not decoded). */
function rawGet(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, server.url), { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end();
  });
}

const withoutNonces = (html: string) => html.replace(/ nonce="[^"]*"/g, "");

describe("the public page cache", () => {
  it("answers a second anonymous reader from the cache: the same page, with the same security headers and its scripts allowed by hash", async () => {
    const path = `/p/${draft.slug}/v/1`;
    const before = cache.stats();
    const first = await rawGet(path);
    expect(first.status).toBe(200);
    expect(first.headers["x-accord-cache"]).toBeUndefined();
    const second = await rawGet(path);
    expect(second.status).toBe(200);
    expect(second.headers["x-accord-cache"]).toBe("hit");
    expect(cache.stats().hits).toBe(before.hits + 1);
    expect(cache.stats().stores).toBe(before.stores + 1);

    const html = second.body.toString("utf8");
    expect(html).toBe(withoutNonces(first.body.toString("utf8")));
    expect(html).not.toContain("nonce=");
    expect(html).toContain("Cached code, first text");
    // The cached page's policy names no nonce: it allows exactly the page's inline scripts.
    const policy = String(second.headers["content-security-policy"]);
    expect(policy).not.toContain("nonce-");
    const hashes = policy.match(/'sha256-[A-Za-z0-9+/=]+'/g) ?? [];
    expect(hashes.length).toBeGreaterThanOrEqual(2);
    expect(policy.replace(/ 'sha256-[^']+'/g, "")).toBe(String(first.headers["content-security-policy"]).replace(/ 'nonce-[^']+'/, ""));
    for (const name of ["referrer-policy", "x-content-type-options", "x-frame-options", "cross-origin-opener-policy", "permissions-policy", "etag", "cache-control", "content-type"]) {
      expect(second.headers[name], name).toBe(first.headers[name]);
    }
    // The address names no language: the reader's headers chose it.
    expect(second.headers.vary).toBe("Cookie, Accept-Language, Accept-Encoding");
    expect(second.headers["content-language"]).toBe("en");
  });

  it("answers If-None-Match with 304 from the cache, and HEAD without a body", async () => {
    const path = `/p/${draft.slug}/v/1`;
    const page = await rawGet(path);
    const etag = String(page.headers.etag);
    const before = cache.stats().notModified;
    const again = await rawGet(path, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers["x-accord-cache"]).toBe("hit");
    expect(again.headers.etag).toBe(etag);
    expect(again.body.length).toBe(0);
    expect(cache.stats().notModified).toBe(before + 1);
    expect((await rawGet(path, { "if-none-match": 'W/"something-else"' })).status).toBe(200);

    // A revalidating reader who finds the cache empty still gets a 304, and fills the cache for the next.
    server.live.publicContent.changed();
    const missed = await rawGet(path, { "if-none-match": etag });
    expect(missed.status).toBe(304);
    expect(missed.headers["x-accord-cache"]).toBeUndefined();
    expect(missed.body.length).toBe(0);
    const filled = await rawGet(path);
    expect(filled.headers["x-accord-cache"]).toBe("hit");
    expect(filled.body.toString("utf8")).toBe(page.body.toString("utf8"));

    const head = await rawGet(path, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["x-accord-cache"]).toBe("hit");
    expect(head.headers["content-length"]).toBe(String(page.body.length));
    expect(head.body.length).toBe(0);
  });

  it("keeps gzip and brotli forms that decode to the same page, chosen by Accept-Encoding", async () => {
    const path = `/p/${draft.slug}/feed.xml`;
    const plain = await rawGet(path);
    expect(plain.status).toBe(200);
    // The compressed forms are made after the plain one is stored.
    await expect.poll(async () => (await rawGet(path, { "accept-encoding": "gzip" })).headers["content-encoding"]).toBe("gzip");
    const gzipped = await rawGet(path, { "accept-encoding": "gzip" });
    expect(gzipped.headers["x-accord-cache"]).toBe("hit");
    expect(zlib.gunzipSync(gzipped.body).toString("utf8")).toBe(plain.body.toString("utf8"));
    expect(gzipped.headers["content-length"]).toBe(String(gzipped.body.length));
    await expect.poll(async () => (await rawGet(path, { "accept-encoding": "gzip, deflate, br" })).headers["content-encoding"]).toBe("br");
    const brotli = await rawGet(path, { "accept-encoding": "gzip, deflate, br" });
    expect(zlib.brotliDecompressSync(brotli.body).toString("utf8")).toBe(plain.body.toString("utf8"));
    const refused = await rawGet(path, { "accept-encoding": "br;q=0, gzip;q=0" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(refused.body.toString("utf8")).toBe(plain.body.toString("utf8"));

    const page = `/p/${draft.slug}/v/1`;
    await expect.poll(async () => (await rawGet(page, { "accept-encoding": "gzip" })).headers["content-encoding"]).toBe("gzip");
    const html = await rawGet(page, { "accept-encoding": "gzip" });
    expect(zlib.gunzipSync(html.body).toString("utf8")).toBe((await rawGet(page)).body.toString("utf8"));
  });

  it("never serves a signed-in reader from the cache, nor stores their page", async () => {
    const path = `/p/${draft.slug}`;
    await rawGet(path);
    expect((await rawGet(path)).headers["x-accord-cache"]).toBe("hit");
    const reader = server.client();
    const user = await buildUser({ role: "delegate", delegation: "no" });
    await reader.signIn(user.email);
    const stores = cache.stats().stores;
    for (let i = 0; i < 2; i += 1) {
      const response = await reader.get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-accord-cache")).toBeNull();
      expect(response.headers.get("cache-control")).toBe("private, no-cache");
      expect(await response.text()).toContain(user.displayName);
    }
    // A page nobody anonymous asked for yet, read twice by the signed-in reader: never stored.
    expect((await reader.get(`/p/${draft.slug}/compare/1/1`)).headers.get("x-accord-cache")).toBeNull();
    expect((await reader.get(`/p/${draft.slug}/compare/1/1`)).headers.get("x-accord-cache")).toBeNull();
    expect(cache.stats().stores).toBe(stores);
    // The anonymous page never names them.
    const anonymous = await rawGet(path);
    expect(anonymous.headers["x-accord-cache"]).toBe("hit");
    expect(anonymous.body.toString("utf8")).not.toContain(user.displayName);
  });

  it("keeps one entry per origin used, since the page's links are absolute", async () => {
    const path = `/p/${draft.slug}/v/1`;
    const port = new URL(server.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      await rawGet(path, { host });
      const cached = await rawGet(path, { host });
      expect(cached.headers["x-accord-cache"]).toBe("hit");
      expect(cached.body.toString("utf8")).toContain(`http://${host}${path}`);
    }
  });

  it("answers an address with any query from the bare address's entry, with the bare address's answer", async () => {
    const path = `/p/${draft.slug}/v/1`;
    server.live.publicContent.changed();
    // The first reader's junk query reaches neither the stored page nor the key.
    const first = await rawGet(`${path}?utm_source=x&redirectTo=%2Fadmin`);
    expect(first.headers["x-accord-cache"]).toBeUndefined();
    const bare = await rawGet(path);
    expect(bare.headers["x-accord-cache"]).toBe("hit");
    expect(bare.body.toString("utf8")).toBe(withoutNonces(first.body.toString("utf8")));
    expect(bare.body.toString("utf8")).not.toContain("utm_source");
    // Also any spelling of the same address: escaped letters and digits are the letters and digits.
    const spelled = `/p/${[...draft.slug].map((char) => `%${char.charCodeAt(0).toString(16)}`).join("")}/v/%31`;
    for (const variant of [`${path}?`, `${path}?x=1`, `${path}?x=1&x=2&lang=fr`, `${path}?%ff=%00`, spelled, `${spelled}?y=2`]) {
      const again = await rawGet(variant);
      expect(again.headers["x-accord-cache"], variant).toBe("hit");
      expect(again.body.equals(bare.body), variant).toBe(true);
    }
    for (let i = 0; i < 2; i += 1) {
      const missing = await rawGet(`/p/${draft.slug}/v/9`);
      expect(missing.status).toBe(404);
      expect(missing.headers["x-accord-cache"]).toBeUndefined();
    }
  });

  it("serves a flood of random queries on a version's page and PDF from the cache, for a fraction of a render's CPU", async () => {
    const random = () => `?x=${Math.random().toString(36).slice(2)}&${Math.random().toString(36).slice(2, 6)}=1`;
    const flood = 200;
    for (const path of [`/p/${draft.slug}/v/1`, `/p/${draft.slug}/v/1.pdf`]) {
      server.live.publicContent.changed();
      const first = await rawGet(`${path}${random()}`);
      expect(first.status).toBe(200);
      const stores = cache.stats().stores;
      const hits = cache.stats().hits;
      const hitCpu = process.cpuUsage();
      for (let i = 0; i < flood; i += 1) {
        const answer = await rawGet(`${path}${random()}`);
        expect(answer.headers["x-accord-cache"]).toBe("hit");
      }
      const hitMicros = cpuMicros(hitCpu) / flood;
      expect(cache.stats().hits).toBe(hits + flood);
      expect(cache.stats().stores).toBe(stores);

      // What each of those requests cost before queries were dropped from the key: a render.
      const renders = 40;
      const renderCpu = process.cpuUsage();
      for (let i = 0; i < renders; i += 1) {
        server.live.publicContent.changed();
        expect((await rawGet(`${path}${random()}`)).headers["x-accord-cache"]).toBeUndefined();
      }
      const renderMicros = cpuMicros(renderCpu) / renders;
      // Client and server share this process: the figures include the test's own side of each request.
      console.info(`${path}: ${(hitMicros / 1000).toFixed(2)} ms CPU per request from the cache, ${(renderMicros / 1000).toFixed(2)} ms rendered`);
      expect(hitMicros).toBeLessThan(renderMicros / 2);
    }
  });

  it("answers a Host that is none of ours from the entry of the origin its links use", async () => {
    const path = `/p/${draft.slug}/v/1`;
    server.live.publicContent.changed();
    const port = new URL(server.url).port;
    const first = await rawGet(path, { host: `attacker-0.example` });
    expect(first.status).toBe(200);
    for (let i = 1; i < 20; i += 1) {
      const answer = await rawGet(path, { host: `attacker-${i}.example:${i}` });
      expect(answer.headers["x-accord-cache"]).toBe("hit");
      expect(answer.body.toString("utf8")).not.toContain("attacker-");
    }
    // The first origin of ours (localhost on the bound port) is the one linked to, and shares the entry.
    const ours = await rawGet(path, { host: `localhost:${port}` });
    expect(ours.headers["x-accord-cache"]).toBe("hit");
    expect(ours.body.toString("utf8")).toContain(`http://localhost:${port}${path}`);
  });

  it("shows a newly published version on the next anonymous request", async () => {
    const latest = `/p/${draft.slug}`;
    await rawGet(latest);
    expect((await rawGet(latest)).headers["x-accord-cache"]).toBe("hit");
    await rawGet(`/p/${draft.slug}/feed.xml`);
    expect((await rawGet(`/p/${draft.slug}/feed.xml`)).headers["x-accord-cache"]).toBe("hit");
    await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "Second", kind: "manual" });
    await publishVersion(server.live, { ...common(), versionNumber: 2, publicTitle: "Cached code, second text" });
    const page = await rawGet(latest);
    expect(page.headers["x-accord-cache"]).toBeUndefined();
    expect(page.body.toString("utf8")).toContain("Cached code, second text");
    expect((await rawGet("/")).body.toString("utf8")).toContain("Cached code, second text");
    expect((await rawGet(`/p/${draft.slug}/feed.xml`)).body.toString("utf8")).toContain("Cached code, second text");
  });

  it("shows a consultation opening and closing, by hand and by the scheduler, on the next anonymous request", async () => {
    const path = `/p/${draft.slug}/v/1`;
    await rawGet(path);
    const closed = await rawGet(path);
    expect(closed.headers["x-accord-cache"]).toBe("hit");
    expect(closed.body.toString("utf8")).not.toContain("Comment on this clause");

    const now = new Date();
    const round = { name: "Consultation", phase: "consultation" as const, instructions: "", observersComment: false, versionId: v1.id };
    await createRound(server.live, { actor: secretariat, draftId: draft.id, round: { ...round, startsAt: now, endsAt: new Date(now.getTime() + 3_600_000) } });
    const open = (await rawGet(path)).body.toString("utf8");
    expect(open).toContain("Comment on this clause");
    expect((await rawGet(path)).headers["x-accord-cache"]).toBe("hit");

    // The scheduler ends the round when its end comes.
    await applyDueTransitions(server.live, { now: new Date(now.getTime() + 3_600_001) });
    expect((await rawGet(path)).body.toString("utf8")).not.toContain("Comment on this clause");

    // The secretariat moves on by hand: a second consultation opens, then ends.
    const later = new Date();
    await createRound(server.live, { actor: secretariat, draftId: draft.id, round: { ...round, name: "Second", startsAt: new Date(later.getTime() + 7_200_000), endsAt: null } });
    expect((await rawGet(path)).body.toString("utf8")).not.toContain("Comment on this clause");
    expect((await rawGet(path)).headers["x-accord-cache"]).toBe("hit");
    await advanceRound(server.live, { actor: secretariat, draftId: draft.id });
    expect((await rawGet(path)).body.toString("utf8")).toContain("Comment on this clause");
  });

  it("shows a published disposition table, and a changed answer in it, on the next anonymous request", async () => {
    const page = `/p/${draft.slug}/v/1`;
    const table = `/p/${draft.slug}/v/1/dispositions`;
    const [round] = await server.database.sql<{ id: string }[]>`SELECT id FROM rounds WHERE draft_id = ${draft.id} AND opened_at IS NOT NULL AND ended_at IS NULL`;
    const submission = await sendFeedback({
      draftId: draft.id,
      roundId: round?.id ?? "",
      version: { id: v1.id, content: v1.content },
      feedback: { clauseId: "c-risk", name: "Ada", organisation: "", sector: "academia", email: "ada@example.org", comment: "Say which risks.", publishName: false },
      senderAddress: "cache-test",
    });
    await moderateSubmission(server.live, { actor: secretariat, draftId: draft.id, submissionId: submission.id, decision: "accepted" });
    await answerSubmission(server.live, { actor: secretariat, draftId: draft.id, submissionId: submission.id, disposition: "accepted", reason: "Listed in the annex." });
    await rawGet(page);
    expect((await rawGet(page)).headers["x-accord-cache"]).toBe("hit");
    expect((await rawGet(page)).body.toString("utf8")).not.toContain(table);

    await publishDispositions(server.live, { actor: secretariat, draftId: draft.id, versionId: v1.id });
    expect((await rawGet(page)).body.toString("utf8")).toContain(table);
    expect((await rawGet(table)).body.toString("utf8")).toContain("Listed in the annex.");
    expect((await rawGet(table)).headers["x-accord-cache"]).toBe("hit");

    await answerSubmission(server.live, { actor: secretariat, draftId: draft.id, submissionId: submission.id, disposition: "not-taken-on", reason: "Out of scope." });
    expect((await rawGet(table)).body.toString("utf8")).toContain("Out of scope.");
  });
});

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}
