import { afterAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createSession } from "../server/auth/session";
import { migrate } from "../server/db/migrate";
import { setDatabase } from "../server/db/registry";
import { createDraft } from "../server/domain/drafts";
import { CRASH_EXIT_CODE } from "../server/process-failures";
import { freePort, startChildServer, type ChildServer } from "./child-server";
import { childDatabase } from "./database";
import { buildUser } from "./factories";

// The process-level policy of server/main.ts, on the real entry point: the fault is made by a
// hook that only tests load (test/fault-hook.js), so production has no trigger.

const children: ChildServer[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const child of children) if (child.child.exitCode === null) child.child.kill("SIGKILL");
  await Promise.all(children.map((child) => child.exit));
  for (const cleanup of cleanups) await cleanup();
});

async function startWithFault(fault: "exception" | "rejection"): Promise<{ server: ChildServer; draftId: string; cookie: string }> {
  const target = await childDatabase();
  cleanups.push(target.cleanup);
  const server = await startChildServer({ ...target.env, ACCORD_TEST_FAULT: fault }, await freePort(), { imports: ["./test/fault-hook.js"] });
  children.push(server);
  const db = await target.open();
  await migrate(db.sql);
  setDatabase(db);
  const secretariat = await buildUser({ role: "secretariat" });
  const draft = await createDraft({ actor: secretariat, title: "Process failures" });
  const { token } = await createSession((await buildUser({ delegation: "fr" })).id);
  await db.close();
  setDatabase(undefined);
  return { server, draftId: draft.id, cookie: token };
}

function openSocket(server: ChildServer, draftId: string, cookie: string): Promise<WebSocket> {
  const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/collab/${draftId}`, {
    headers: { origin: server.url, cookie: `accord_session=${cookie}` },
  });
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

describe("errors nothing else caught", () => {
  it("after an uncaught exception, logs it, closes editors to reconnect (1012), flushes, and exits with code 70", async () => {
    const { server, draftId, cookie } = await startWithFault("exception");
    const socket = await openSocket(server, draftId, cookie);
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    server.child.kill("SIGUSR2");
    // A process that died at once would cut the socket (1006) instead.
    expect(await closed).toBe(1012);
    expect(await server.exit).toBe(CRASH_EXIT_CODE);
    expect(server.output()).toMatch(/\[fatal\] uncaught exception \(uncaughtException\): Error: an exception nobody catches/);
    expect(server.output()).toMatch(/\[fatal\] drafts flushed; exiting\./);
  }, 90_000);

  it("after an unhandled rejection, logs and counts it, and the same process keeps serving", async () => {
    const { server, draftId, cookie } = await startWithFault("rejection");
    const pid = server.child.pid;
    const socket = await openSocket(server, draftId, cookie);
    server.child.kill("SIGUSR2");
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.child.kill("SIGUSR2");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.output()).toMatch(/unhandled promise rejection #2 \(the server keeps serving\).*a rejection nobody handles/);
    expect(server.child.exitCode).toBeNull();
    expect(server.child.pid).toBe(pid);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  }, 90_000);
});
