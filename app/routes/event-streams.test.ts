import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { changeUserRole, findUser, setUserDisabled, type User } from "../../server/domain/users";
import { MAX_STREAMS_PER_ACCOUNT, STREAM_RETRY_AFTER_S } from "../../server/events/stream-registry";
import { openEventStream, type OpenStream } from "../../test/event-stream";
import { buildUser, TEST_PASSWORD } from "../../test/factories";
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

type Stream = OpenStream;

/** Opens the draft's event stream; resolves once the answer's headers are in. */
async function openStream(client: TestClient): Promise<Stream> {
  const { stream, ready } = openEventStream(client, `/drafts/${draft.slug}/events`);
  await ready;
  return stream;
}

/**
 * How long after `since` the server ended `stream` (ms), or Infinity when it was still open `ms` later.
 * Well under a second: the old design's shared check came every 5 s.
 */
async function endedAfter(stream: Stream, since: number, ms = 2_000): Promise<number> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const open = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(Infinity), ms)));
  const ended = stream.ended.then(() => Date.now() - since);
  const after = await Promise.race([ended, open]);
  clearTimeout(timer);
  return after;
}

/** Makes `change` and expects `stream` to end well under a second after it began. */
async function expectEndedAtOnce(stream: Stream, change: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await change();
  expect(await endedAfter(stream, started)).toBeLessThan(1_000);
}

/** Stays open for this long after every end expected, to show that a stream was not ended. */
const STILL_OPEN_MS = 300;

/** A full garbage collection, as the process would run one at some moment of its own. */
function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
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
      expect(refused.retryAfter).toBe(String(STREAM_RETRY_AFTER_S));
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

  it("free a closed tab's place at once, even after a garbage collection", async () => {
    const person = await buildUser({ delegation: "ca" });
    const client = await as(person);
    const stream = await openStream(client);
    expect(stream.status).toBe(200);
    expect(server.live.streams.count(person.id)).toBe(1);
    // The Request a loader is given follows the connection only through a weak reference, which a
    // collection drops: the stream must not depend on it.
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 50));
    collectGarbage();
    stream.close();
    await eventually(async () => server.live.streams.count(person.id) === 0, 2_000);
  });

  // Each test below makes two changes in a row and expects each to end its stream at once: one end
  // soon after a change could be a periodic check's luck, but not two in a row.

  it("end at once when their account is disabled, and go on for everyone else", async () => {
    const kept = await openStream(await as(await buildUser({ delegation: "dk" })));
    expect(kept.status).toBe(200);
    for (const disabled of [await buildUser({ delegation: "dk" }), await buildUser({ delegation: "dk" })]) {
      const client = await as(disabled);
      const stream = await openStream(client);
      expect(stream.status).toBe(200);
      await expectEndedAtOnce(stream, () => setUserDisabled(server.live, { actor: owner, user: disabled, disabled: true }));
      // The browser's EventSource reconnects, and is refused.
      expect((await openStream(client)).status).toBe(401);
    }
    expect(await endedAfter(kept, Date.now(), STILL_OPEN_MS)).toBe(Infinity);
    kept.close();
  });

  it("end at once when their account changes role or delegation, and reconnect as the new role", async () => {
    const person = await buildUser({ delegation: "dk" });
    const client = await as(person);
    const kept = await openStream(await as(await buildUser({ delegation: "dk" })));
    expect(kept.status).toBe(200);
    for (const change of [{ role: "head", delegationCode: "dk" }, { role: "head", delegationCode: "no" }] as const) {
      const stream = await openStream(client);
      expect(stream.status).toBe(200);
      const current = await findUser(person.id);
      if (!current) throw new Error("no such account");
      await expectEndedAtOnce(stream, () => changeUserRole(server.live, { actor: owner, user: current, ...change }));
    }
    const again = await openStream(client);
    expect(again.status).toBe(200);
    expect(await endedAfter(kept, Date.now(), STILL_OPEN_MS)).toBe(Infinity);
    for (const stream of [again, kept]) stream.close();
  });

  it("end at once when their session signs out, while the account's other sessions go on", async () => {
    const person = await buildUser({ delegation: "dk" });
    const [first, second, staying] = [await as(person), await as(person), await as(person)];
    const kept = await openStream(staying);
    expect(kept.status).toBe(200);
    for (const leaving of [first, second]) {
      const stream = await openStream(leaving);
      expect(stream.status).toBe(200);
      await expectEndedAtOnce(stream, async () => expect((await leaving.post("/logout", {})).status).toBe(302));
      expect((await openStream(leaving)).status).toBe(401);
    }
    expect(await endedAfter(kept, Date.now(), STILL_OPEN_MS)).toBe(Infinity);
    kept.close();
  });

  it("end at once for the account's other sessions when its password changes, and for all when it signs out everywhere", async () => {
    const person = await buildUser({ delegation: "dk" });
    const [here, elsewhere] = [await as(person), await as(person)];
    const [mine, theirs] = [await openStream(here), await openStream(elsewhere)];
    for (const stream of [mine, theirs]) expect(stream.status).toBe(200);
    const newPassword = `${TEST_PASSWORD}-changed`;
    await expectEndedAtOnce(theirs, async () => {
      const changed = await here.post("/account", { intent: "change-password", currentPassword: TEST_PASSWORD, newPassword, confirmPassword: newPassword });
      expect(changed.status).toBe(200);
    });
    expect(await endedAfter(mine, Date.now(), STILL_OPEN_MS)).toBe(Infinity);
    await expectEndedAtOnce(mine, async () => expect((await here.post("/account", { intent: "sign-out-everywhere" })).status).toBe(302));
  });
});
