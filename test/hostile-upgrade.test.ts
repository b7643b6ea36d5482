import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "../server/auth/session";
import { migrate } from "../server/db/migrate";
import { setDatabase } from "../server/db/registry";
import { createDraft } from "../server/domain/drafts";
import { freePort, startChildServer, type ChildServer } from "./child-server";
import { childDatabase } from "./database";
import { buildUser } from "./factories";
import { clientFrame, rawExchange, type RawAnswer, type RawEnding } from "./raw-socket";

// The real server in a child process, sent what a hostile client could send, byte for byte, one
// request per connection; after each, the same process must still answer /healthz.

interface Context {
  port: number;
  host: string;
  origin: string;
  draftId: string;
  cookie: string;
}

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/** A WebSocket opening handshake to the draft, signed in, from our origin, with `change` applied. */
function handshake(
  c: Context,
  change: { target?: string; method?: string; version?: string; set?: Record<string, string | null>; extra?: string } = {},
): string {
  const headers: Record<string, string | null> = {
    Host: c.host,
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": KEY,
    "Sec-WebSocket-Version": "13",
    Origin: c.origin,
    Cookie: `accord_session=${c.cookie}`,
    ...change.set,
  };
  const lines = Object.entries(headers).flatMap(([name, value]) => (value === null ? [] : [`${name}: ${value}\r\n`]));
  return `${change.method ?? "GET"} ${change.target ?? `/collab/${c.draftId}`} HTTP/${change.version ?? "1.1"}\r\n${lines.join("")}${change.extra ?? ""}\r\n`;
}

/** A plain GET, closing the connection after the answer. */
function plainGet(c: Context, target: string, headers = ""): string {
  return `GET ${target} HTTP/1.1\r\nHost: ${c.host}\r\nConnection: close\r\n${headers}\r\n`;
}

// [target, answer to an upgrade to it, answer to a plain GET of it]
const TARGETS: [string, number, number][] = [
  ["/collab/%", 400, 400],
  ["//", 404, 200],
  ["/collab/%C0%AF", 400, 400],
  ["/%", 404, 400],
  ["/p/%C0%AF/v/1.pdf", 404, 400],
  ["http://[::1/collab/x", 400, 400],
  ["http://a b/collab/x", 400, 400],
  ["http:///collab/x", 400, 400],
  ["*", 400, 400],
  ["/collab/%2e%2e%2f", 403, 301],
  ["/collab/not-a-draft", 403, 404],
  [`/${"a".repeat(8 * 1024)}`, 414, 414],
  [`/collab/${"a".repeat(16 * 1024)}`, 431, 431],
  ["/collab/\u0000x", 400, 400],
  ["/collab/\u0001x", 400, 400],
  ["/collab/\u007fx", 400, 400],
  // As a plain GET the line break ends the request line: a request for /collab/x, not found.
  ["/collab/x\r\nX-Injected: 1", 400, 404],
  ["/collab/x\nX-Injected: 1", 400, 404],
];

type Case = [name: string, request: (c: Context) => string | Buffer, status: number | null, options?: { frames?: Buffer; ending?: RawEnding; closeCode?: number }];

const UPGRADES: Case[] = [
  ["a well-formed handshake (the control case)", (c) => handshake(c), 101],
  ["the absolute form of the same target", (c) => handshake(c, { target: `http://${c.host}/collab/${c.draftId}` }), 101],
  ...TARGETS.map(([target, status]): Case => [`target ${JSON.stringify(target.slice(0, 40))}`, (c) => handshake(c, { target }), status]),
  ["no Sec-WebSocket-Key", (c) => handshake(c, { set: { "Sec-WebSocket-Key": null } }), 400],
  ["two Sec-WebSocket-Keys", (c) => handshake(c, { extra: `Sec-WebSocket-Key: ${KEY}\r\n` }), 400],
  ["a Sec-WebSocket-Key that is not 16 bytes", (c) => handshake(c, { set: { "Sec-WebSocket-Key": "c2hvcnQ=" } }), 400],
  ["Sec-WebSocket-Version 8", (c) => handshake(c, { set: { "Sec-WebSocket-Version": "8" } }), 426],
  ["Sec-WebSocket-Version 99", (c) => handshake(c, { set: { "Sec-WebSocket-Version": "99" } }), 426],
  ["no Sec-WebSocket-Version", (c) => handshake(c, { set: { "Sec-WebSocket-Version": null } }), 400],
  ["a non-numeric Sec-WebSocket-Version", (c) => handshake(c, { set: { "Sec-WebSocket-Version": "thirteen" } }), 400],
  ["Upgrade: websocket with POST", (c) => handshake(c, { method: "POST", set: { "Content-Length": "0" } }), 405],
  ["HTTP/1.0", (c) => handshake(c, { version: "1.0" }), 400],
  ["Upgrade: h2c", (c) => handshake(c, { set: { Upgrade: "h2c" } }), 400],
  ["no Host", (c) => handshake(c, { set: { Host: null } }), 400],
  ["a Host that is not an authority", (c) => handshake(c, { set: { Host: "[::1" } }), 400],
  ["a foreign Origin", (c) => handshake(c, { set: { Origin: "http://attacker.example" } }), 403],
  ["a malformed Origin", (c) => handshake(c, { set: { Origin: "%" } }), 403],
  ["no Origin", (c) => handshake(c, { set: { Origin: null } }), 403],
  ["a session cookie that does not decode", (c) => handshake(c, { set: { Cookie: "accord_session=%" } }), 401],
  ["no cookie", (c) => handshake(c, { set: { Cookie: null } }), 401],
  ["a 20 KB cookie", (c) => handshake(c, { set: { Cookie: `accord_session=${"a".repeat(20 * 1024)}` } }), 431],
  ["a CR inside a header value", (c) => handshake(c, { set: { Origin: `${c.origin}\rSet-Cookie: x=1` } }), 400],
  ["a NUL inside a header value", (c) => handshake(c, { set: { Origin: `${c.origin}\u0000` } }), 400],
];

const RAW: Case[] = [
  ["half a request, then the end of the connection", (c) => handshake(c).slice(0, 60), 400, { ending: "close" }],
  ["a whole request, then a reset at once", (c) => handshake(c), null, { ending: "reset" }],
  ["garbage bytes instead of HTTP", () => Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]), 400],
  ["a TLS ClientHello", () => Buffer.from("160301020001", "hex"), 400, { ending: "close" }],
  ["the HTTP/2 preface", () => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400],
];

const eightBytes = (high: number) => Buffer.from([high, 0, 0, 0, 0, 0, 0, 0]);
const FRAMES: Case[] = [
  ["garbage frames", (c) => handshake(c), 101, { frames: Buffer.alloc(32, 0xff), closeCode: 1002 }],
  ["a frame with a reserved opcode", (c) => handshake(c), 101, { frames: clientFrame(0x3, Buffer.from("x")), closeCode: 1002 }],
  ["an unmasked frame", (c) => handshake(c), 101, { frames: clientFrame(0x2, Buffer.from([0, 0, 0]), { masked: false }), closeCode: 1002 }],
  ["a frame announcing 2^63 bytes", (c) => handshake(c), 101, { frames: Buffer.concat([Buffer.from([0x82, 0xff]), eightBytes(0x80), Buffer.alloc(4)]), closeCode: 1009 }],
  ["a continuation with nothing to continue", (c) => handshake(c), 101, { frames: clientFrame(0x0, Buffer.from("x")), closeCode: 1002 }],
  ["a ping of 200 bytes", (c) => handshake(c), 101, { frames: clientFrame(0x9, Buffer.alloc(200)), closeCode: 1002 }],
  ["a text frame", (c) => handshake(c), 101, { frames: clientFrame(0x1, Buffer.from("hello")), closeCode: 1007 }],
  ["a binary frame that is no y-websocket message", (c) => handshake(c), 101, { frames: clientFrame(0x2, Buffer.from([0xff, 0xff, 0xff])), closeCode: 1007 }],
];

const GETS: Case[] = [
  ...TARGETS.map(([target, , status]): Case => [`GET ${JSON.stringify(target.slice(0, 40))}`, (c) => plainGet(c, target), status]),
  ["a Host with a space", () => `GET / HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n`, 400],
  ["a Host that opens a bracket", () => `GET /p/x HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n`, 400],
  ["a Host with a path", (c) => `GET / HTTP/1.1\r\nHost: ${c.host}/../x\r\nConnection: close\r\n\r\n`, 400],
  ["no Host", () => `GET / HTTP/1.1\r\nConnection: close\r\n\r\n`, 400],
  ["a session cookie that does not decode", (c) => plainGet(c, "/", "Cookie: accord_session=%; other=%E0%A4%A\r\n"), 200],
  ["a session cookie of another shape", (c) => plainGet(c, "/drafts", `Cookie: accord_session=${"=".repeat(300)}\r\n`), 302],
  ["a malformed Accept-Encoding", (c) => plainGet(c, "/", "Accept-Encoding: br;q=abc, *;q=-1, gzip;q=NaN, ;;;\r\n"), 200],
  ["a malformed Range", (c) => plainGet(c, "/favicon.svg", "Range: bytes=abc-def\r\n"), 416],
  ["a Range of inverted and empty parts", (c) => plainGet(c, "/favicon.svg", "Range: bytes=999999-1, -, abc\r\n"), 416],
  ["a Range of a thousand parts", (c) => plainGet(c, "/favicon.svg", `Range: bytes=${"0-0,".repeat(1000)}0-0\r\n`), 206],
  ["an unsatisfiable Range", (c) => plainGet(c, "/favicon.svg", "Range: bytes=99999999-\r\n"), 416],
  ["a malformed If-None-Match", (c) => plainGet(c, "/", `If-None-Match: ${'"a",'.repeat(1000)}W/\r\n`), 200],
  ["an If-None-Match of 10 KB on a public page", (c) => plainGet(c, "/p/nothing", `If-None-Match: ${"x".repeat(10 * 1024)}\r\n`), 404],
];

let server: ChildServer;
let context: Context;
let pid: number | undefined;
let cleanup: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  const target = await childDatabase();
  cleanup = target.cleanup;
  const port = await freePort();
  server = await startChildServer(target.env, port);
  pid = server.child.pid;
  const db = await target.open();
  await migrate(db.sql);
  setDatabase(db);
  const secretariat = await buildUser({ role: "secretariat" });
  const draft = await createDraft({ actor: secretariat, title: "Hostile upgrades" });
  const delegate = await buildUser({ delegation: "fr" });
  const { token } = await createSession(delegate.id);
  await db.close();
  setDatabase(undefined);
  context = { port, host: `127.0.0.1:${port}`, origin: server.url, draftId: draft.id, cookie: token };
}, 90_000);

afterAll(async () => {
  if (server.child.exitCode === null) server.child.kill("SIGKILL");
  await server.exit;
  await cleanup();
});

// The same process (same pid, still running) answers its health check.
async function expectStillServing(): Promise<void> {
  expect(server.child.exitCode).toBeNull();
  expect(server.child.pid).toBe(pid);
  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok" });
}

function run(cases: Case[]) {
  it.each(cases)("%s", async (_name, request, status, options = {}) => {
    const answer: RawAnswer = await rawExchange(context.port, request(context), options);
    expect(answer.hung, "the server neither answered nor closed").toBe(false);
    expect(answer.status).toBe(status);
    if (options.closeCode !== undefined) expect(answer.closeCode).toBe(options.closeCode);
    await expectStillServing();
  });
}

describe("malformed upgrade requests against the real server", () => run(UPGRADES));
describe("raw bytes that are not (whole) requests", () => run(RAW));
describe("a valid upgrade followed by malformed frames", () => run(FRAMES));
describe("the same malformed targets and headers as plain HTTP requests", () => run(GETS));

describe("after all of it", () => {
  it("logged no unexpected error and no fatal one", () => {
    expect(server.output()).not.toMatch(/\[failure\]|\[fatal\]/);
  });
});
