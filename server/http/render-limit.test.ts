import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentJson, paragraph, section, type DocJson } from "../../schema/content";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createDraft, type Draft } from "../domain/drafts";
import { publishVersion } from "../domain/publications";
import { saveVersion } from "../domain/versions";
import { createRenderLimit } from "./render-limit";

let server: TestServer;
let draft: Draft;

const clause = (text: string, id: string): DocJson => ({ type: "clause", attrs: { id }, content: [paragraph(text)] });

beforeAll(async () => {
  server = await startTestServer();
  const secretariat = await buildUser({ role: "secretariat" });
  const clauses = Array.from({ length: 30 }, (_, index) => clause(`States assess risk number ${index} before each transfer.`, `c-${index}`));
  draft = await createDraft({ actor: secretariat, title: "Limited code", content: documentJson("Limited code", ["Preamble."], [section("Scope", ...clauses)]) });
  await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "First", kind: "manual" });
  await publishVersion(server.live, { actor: secretariat, draftId: draft.id, summary: "", statusLabel: "Consultation draft", attribution: "anonymous", versionNumber: 1, publicTitle: "Limited code, first text" });
});
afterAll(async () => {
  await server.stop();
});

describe("the limit on public renders", () => {
  it("renders at most its limit at once under a flood the cache cannot answer, refuses the overflow with 503 and Retry-After, and health checks go on", async () => {
    const limit = server.accord.server.renderLimit;
    const before = limit.stats();
    expect(before.active).toBe(0);
    // A signed-in reader's pages are never cached: each of these requests is a render.
    const reader = server.client();
    await reader.signIn((await buildUser({ role: "delegate", delegation: "no" })).email);
    const paths = [`/p/${draft.slug}/v/1.pdf`, `/p/${draft.slug}/v/1.docx`, `/p/${draft.slug}/v/1`, `/p/${draft.slug}/compare/1/1`, `/p/${draft.slug}/feed.xml`];
    const flood = Array.from({ length: 50 }, async (_, index) => {
      const response = await reader.get(paths[index % paths.length] ?? "/");
      await response.arrayBuffer();
      return { status: response.status, retryAfter: response.headers.get("retry-after") };
    });
    // Meanwhile the server answers its health check promptly.
    const started = performance.now();
    const health = await fetch(new URL("/healthz", server.url));
    const healthMs = performance.now() - started;
    const answers = await Promise.all(flood);

    expect(health.status).toBe(200);
    expect(healthMs).toBeLessThan(2_000);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expect(answer.retryAfter).toBe("5");
    expect(answers.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThan(0);
    const after = limit.stats();
    expect(after.peakActive).toBeLessThanOrEqual(4);
    expect(after.peakActive).toBe(4);
    expect(after.refused - before.refused).toBe(refused.length);
    // Every slot is given back.
    expect(after.active).toBe(0);
    expect(after.queued).toBe(0);
    expect((await reader.get(`/p/${draft.slug}/v/1.pdf`)).status).toBe(200);
  });
});

describe("a render limit's queue", () => {
  it("refuses at once past its queue, refuses a request that waited too long, forgets a reader who left, and gives every slot back", async () => {
    const limit = createRenderLimit({ concurrency: 1, queue: 1, maxWaitMs: 300, retryAfterSeconds: 7 });
    // A public address whose render ends only when the test says so.
    let finishRender = () => {};
    const app = express();
    app.use(limit.middleware);
    app.get("/p/:slug", (_req, res) => {
      finishRender = () => res.send("rendered");
    });
    app.get("/healthz", (_req, res) => res.send("ok"));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const held = fetch(`${base}/p/a`);
      await expect.poll(() => limit.stats().active).toBe(1);
      const waiting = fetch(`${base}/p/b`);
      await expect.poll(() => limit.stats().queued).toBe(1);
      const overflow = await fetch(`${base}/p/c`);
      expect(overflow.status).toBe(503);
      expect(overflow.headers.get("retry-after")).toBe("7");
      // Not a public address: never held.
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const late = await waiting;
      expect(late.status).toBe(503);
      expect(late.headers.get("retry-after")).toBe("7");
      expect(limit.stats()).toMatchObject({ active: 1, queued: 0, refused: 2 });

      // A reader who gives up while waiting leaves the queue at once.
      const abort = new AbortController();
      const leaving = fetch(`${base}/p/d`, { signal: abort.signal }).catch(() => null);
      await expect.poll(() => limit.stats().queued).toBe(1);
      abort.abort();
      await leaving;
      await expect.poll(() => limit.stats().queued).toBe(0);

      // The next one waits for the slot, and gets it when the render ends.
      const next = fetch(`${base}/p/e`);
      await expect.poll(() => limit.stats().queued).toBe(1);
      finishRender();
      expect(await (await held).text()).toBe("rendered");
      await expect.poll(() => limit.stats().queued).toBe(0);
      finishRender();
      expect((await next).status).toBe(200);
      await expect.poll(() => limit.stats().active).toBe(0);
      expect(limit.stats()).toMatchObject({ peakActive: 1, refused: 2 });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
