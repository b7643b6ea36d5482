import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { buildUser } from "../../test/factories";
import { rawExchange } from "../../test/raw-socket";
import { sendJson, startTestServer, type TestServer } from "../../test/server";
import { createDraft } from "../domain/drafts";
import { MAX_BODY_BYTES } from "./body";
import { MAX_TARGET_LENGTH } from "./server";

let server: TestServer;
let port: number;
beforeAll(async () => {
  server = await startTestServer();
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.stop();
});

/** What a client streaming a chunked body that never ends saw. */
interface StreamOutcome {
  status: number | null;
  /** Whether the server closed the connection (FIN or reset) before the client stopped waiting. */
  closed: boolean;
  /** Bytes of body the client had written when the answer came. */
  sentWhenAnswered: number | null;
}

const CHUNK = Buffer.alloc(64 * 1024, "a");

/**
 * Streams a chunked body to `path` (never its last chunk: a server that waits for the end never
 * answers), writing at most `stopAfter` bytes, then waits up to 5 s for the answer and the close.
 */
function streamChunked(path: string, headers: Record<string, string>, stopAfter: number): Promise<StreamOutcome> {
  const outcome: StreamOutcome = { status: null, closed: false, sentWhenAnswered: null };
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let sent = 0;
    let head = "";
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(finish, 5_000);
    socket.on("data", (data: Buffer) => {
      if (outcome.status !== null) return;
      head += data.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
      if (status) {
        outcome.status = Number(status);
        outcome.sentWhenAnswered = sent;
      }
    });
    socket.on("close", () => {
      outcome.closed = true;
      finish();
    });
    socket.on("error", () => undefined);
    const write = () => {
      while (sent < stopAfter && outcome.status === null && !socket.destroyed) {
        sent += CHUNK.length;
        const more = socket.write(`${CHUNK.length.toString(16)}\r\n`) && socket.write(CHUNK) && socket.write("\r\n");
        if (!more) return void socket.once("drain", write);
      }
    };
    socket.on("connect", () => {
      const lines = Object.entries({ ...headers, host: `127.0.0.1:${port}`, origin: server.url, "transfer-encoding": "chunked" });
      socket.write(`POST ${path} HTTP/1.1\r\n${lines.map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`);
      write();
    });
  });
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const TWO_MB = 2 * 1024 * 1024;

describe("bounded request bodies", () => {
  it("cuts a chunked sign-in form at the limit with 413 and closes the connection while the client still sends", async () => {
    const outcome = await streamChunked("/login", FORM, TWO_MB);
    expect(outcome.status).toBe(413);
    expect(outcome.closed).toBe(true);
  });

  it("cuts a chunked JSON body to an API route the same way", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Bodies", content: documentJson("Bodies", ["Preamble."], [section("One", clause("Text."))]) });
    const client = server.client();
    await client.signIn(secretariat.email);
    const cookie = `accord_session=${client.sessionCookie() ?? ""}`;
    const outcome = await streamChunked(`/drafts/${draft.slug}/threads`, { "content-type": "application/json", cookie }, TWO_MB);
    expect(outcome.status).toBe(413);
    expect(outcome.closed).toBe(true);
  });

  it("refuses a declared Content-Length over the limit before reading any of it", async () => {
    // No body follows the head: a server that waited for it would never answer.
    const request = `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000000\r\n\r\n`;
    expect(await rawExchange(port, request, { timeoutMs: 3_000 })).toMatchObject({ status: 413, hung: false });
    const justOver = `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${server.url}\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`;
    expect(await rawExchange(port, justOver, { timeoutMs: 3_000 })).toMatchObject({ status: 413, hung: false });
  });

  it("answers 414 to a request target over its limit", async () => {
    const response = await fetch(`${server.url}/drafts?q=${"a".repeat(MAX_TARGET_LENGTH)}`);
    expect(response.status).toBe(414);
    expect((await fetch(`${server.url}/healthz?q=${"a".repeat(MAX_TARGET_LENGTH - 100)}`)).status).toBe(200);
  });

  it("still reads forms and JSON bodies under the limit, chunked or not", async () => {
    const user = await buildUser({ delegation: "dk" });
    const client = server.client();
    await client.signIn(user.email);
    expect(client.sessionCookie()).toBeTruthy();
    // A chunked form just under the limit is read whole: the field is validated, not the size.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`email=${"a".repeat(MAX_BODY_BYTES - 100)}&password=x`));
        controller.close();
      },
    });
    const response = await server.client().fetch("/login", { method: "POST", body: stream, headers: FORM, duplex: "half" } as RequestInit);
    expect(response.status).toBe(400);
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Small", content: documentJson("Small", ["Preamble."], [section("One", clause("Text."))]) });
    const invalid = await sendJson(client, `/drafts/${draft.slug}/threads`, "POST", { from: "x" });
    expect(invalid.status).toBe(400);
  });

  it("keeps memory flat under several oversized streams", async () => {
    const before = process.memoryUsage().rss;
    for (let round = 0; round < 5; round++) {
      const outcome = await streamChunked("/login", FORM, 40 * 1024 * 1024);
      expect(outcome.status).toBe(413);
    }
    const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
    console.info(`RSS growth after 5 oversized streams: ${grown.toFixed(1)} MB`);
    expect(grown).toBeLessThan(50);
  });
});
