import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { changeUserRole, setUserDisabled, type User } from "../../server/domain/users";
import { MAX_STREAMS_PER_ACCOUNT, STREAM_CHECK_MS } from "../../server/events/stream-registry";
import { buildUser } from "../../test/factories";
import { signedInClient, startTestServer, type TestClient, type TestServer } from "../../test/server";

let server: TestServer;
let owner: User;
let draft: Draft;

beforeAll(async () => {
  server = await startTestServer();
  owner = await buildUser({ role: "secretariat" });
  draft = await createDraft({ actor: owner, title: "Streamed draft" });
});
afterAll(async () => {
  await server.stop();
});

const as = (user: User): Promise<TestClient> => signedInClient(server, user);

interface Stream {
  status: number;
  retryAfter: string | null;
  raw: string;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens the draft's event stream; resolves once the answer's headers are in. */
async function openStream(client: TestClient): Promise<Stream> {
  const controller = new AbortController();
  const response = await client.fetch(`/drafts/${draft.slug}/events`, { signal: controller.signal });
  const stream: Stream = { status: response.status, retryAfter: response.headers.get("retry-after"), raw: "", ended: Promise.resolve(), close: () => controller.abort() };
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  stream.ended = (async () => {
    try {
      for (;;) {
        const chunk = await (reader?.read() ?? Promise.resolve({ done: true as const, value: undefined }));
        if (chunk.done) return;
        stream.raw += decoder.decode(chunk.value, { stream: true });
      }
    } catch {
      // Aborted by the test.
    }
  })();
  return stream;
}

async function eventually(check: () => Promise<boolean>, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("not in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the draft event streams", () => {
  it(`take at most ${MAX_STREAMS_PER_ACCOUNT} streams of one account, across its sessions, while another account connects`, async () => {
    const person = await buildUser({ delegation: "fr" });
    // Two sessions of one account: the limit is the account's, not the session's.
    const [first, second] = [await as(person), await as(person)];
    const streams: Stream[] = [];
    for (let index = 0; index < MAX_STREAMS_PER_ACCOUNT; index += 1) streams.push(await openStream(index % 2 === 0 ? first : second));
    expect(streams.map((stream) => stream.status)).toEqual(Array(MAX_STREAMS_PER_ACCOUNT).fill(200));
    for (const client of [first, second]) {
      const refused = await openStream(client);
      expect(refused.status).toBe(429);
      expect(refused.retryAfter).toBe(String(STREAM_CHECK_MS / 1000));
      await refused.ended;
      expect(JSON.parse(refused.raw)).toEqual({ error: expect.stringContaining(`${MAX_STREAMS_PER_ACCOUNT} live connections`) });
    }
    const other = await openStream(await as(await buildUser({ delegation: "no" })));
    expect(other.status).toBe(200);
    // A closed stream frees its place.
    streams[0]?.close();
    let again: Stream | null = null;
    await eventually(async () => {
      const attempt = await openStream(second);
      if (attempt.status === 200) again = attempt;
      else attempt.close();
      return attempt.status === 200;
    });
    for (const stream of [...streams, other, again as Stream | null]) stream?.close();
  });

  it(`end within ${STREAM_CHECK_MS / 1000} s once their account is disabled or changes role, and go on for everyone else`, async () => {
    const disabled = await buildUser({ delegation: "dk" });
    const promoted = await buildUser({ delegation: "dk" });
    const bystander = await buildUser({ delegation: "dk" });
    const [gone, changed, kept] = [await openStream(await as(disabled)), await openStream(await as(promoted)), await openStream(await as(bystander))];
    for (const stream of [gone, changed, kept]) expect(stream.status).toBe(200);
    const started = Date.now();
    await setUserDisabled({ actor: owner, user: disabled, disabled: true });
    await changeUserRole({ actor: owner, user: promoted, role: "head", delegationCode: "dk" });
    const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), STREAM_CHECK_MS + 2_000));
    expect(await Promise.race([gone.ended.then(() => "ended"), timeout])).toBe("ended");
    expect(await Promise.race([changed.ended.then(() => "ended"), timeout])).toBe("ended");
    expect(Date.now() - started).toBeLessThan(STREAM_CHECK_MS + 2_000);
    // The other streams were checked in the same round and kept, with a keep-alive comment.
    await eventually(async () => kept.raw.includes(": ping"), 1_000);
    expect(await Promise.race([kept.ended.then(() => "ended"), new Promise((resolve) => setTimeout(() => resolve("open"), 100))])).toBe("open");
    kept.close();
  }, 20_000);
});
