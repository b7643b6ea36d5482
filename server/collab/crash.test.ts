import { afterAll, describe, expect, it } from "vitest";
import { startChildServer, freePort, type ChildServer } from "../../test/child-server";
import { bodyText, type CollabClient, connectClient, eventually, storedText, synced } from "../../test/collab-client";
import { childDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { createSession } from "../auth/session";
import { migrate } from "../db/migrate";
import { setDatabase } from "../db/registry";
import { createDraft } from "../domain/drafts";
import { loadDraftState } from "../text-store/persistence";

const children: ChildServer[] = [];
afterAll(() => {
  for (const server of children) if (server.child.exitCode === null) server.child.kill("SIGKILL");
});

function tokens(text: string, prefix: string): string[] {
  return text.split(" ").filter((token) => token.startsWith(prefix));
}

describe("crash safety", () => {
  it("loses nothing that was relayed when the server is killed with SIGKILL mid-typing, and clients converge after it returns", async () => {
    const target = await childDatabase();
    const port = await freePort();
    const first = await startChildServer(target.env, port);
    children.push(first);

    // Set up people and a draft through the database the child serves.
    let db = await target.open();
    await migrate(db.sql);
    setDatabase(db);
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Crash test" });
    const people = [await buildUser({ delegation: "fr" }), await buildUser({ delegation: "ca" })];
    const cookies = await Promise.all(people.map(async (person) => (await createSession(person.id)).token));
    await db.close();
    setDatabase(undefined);

    const clients: CollabClient[] = cookies.map((cookie) => connectClient({ baseUrl: first.url, draftId: draft.id, cookie }));
    await Promise.all(clients.map((client) => synced(client)));
    const typed: string[][] = [[], []];
    let typing = true;
    const typists = clients.map(async (client, index) => {
      const prefix = index === 0 ? "a" : "b";
      for (let n = 0; typing; n += 1) {
        const token = `${prefix}${n}`;
        const text = bodyText(client.doc);
        text.insert(text.length, `${token} `);
        typed[index]?.push(token);
        await new Promise((resolve) => setTimeout(resolve, 8));
      }
    });

    await eventually(() => (typed[0]?.length ?? 0) > 120, 20_000, "typing");
    first.child.kill("SIGKILL");
    await first.exit;
    // What each client had received from the other when the server died.
    const seenByB = tokens(clients[1]?.text() ?? "", "a");
    const seenByA = tokens(clients[0]?.text() ?? "", "b");
    expect(seenByB.length).toBeGreaterThan(10);

    db = await target.open();
    setDatabase(db);
    const stored = storedText((await loadDraftState(draft.id)).update);
    await db.close();
    setDatabase(undefined);
    const storedTokens = new Set(stored.split(" "));
    expect(seenByB.filter((token) => !storedTokens.has(token))).toEqual([]);
    expect(seenByA.filter((token) => !storedTokens.has(token))).toEqual([]);

    // The clients go on typing while the server is down, then reconnect by themselves.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await startChildServer(target.env, port);
    children.push(second);
    await new Promise((resolve) => setTimeout(resolve, 500));
    typing = false;
    await Promise.all(typists);
    await eventually(
      () => clients.every((client) => client.provider.wsconnected && client.provider.synced),
      20_000,
      "reconnection",
    );
    const everything = [...(typed[0] ?? []), ...(typed[1] ?? [])];
    await eventually(
      () => clients.every((client) => everything.every((token) => client.text().includes(`${token} `))),
      20_000,
      "convergence",
    );
    expect(clients[0]?.text()).toBe(clients[1]?.text());
    for (const client of clients) client.destroy();

    second.child.kill("SIGTERM");
    expect(await second.exit).toBe(0);
    db = await target.open();
    setDatabase(db);
    const afterShutdown = await loadDraftState(draft.id);
    // SIGTERM flushed the loaded draft and folded its log into the checkpoint.
    expect(afterShutdown.tail).toBe(0);
    const final = new Set(storedText(afterShutdown.update).split(" "));
    await db.close();
    setDatabase(undefined);
    expect(everything.filter((token) => !final.has(token))).toEqual([]);
    await target.cleanup();
  }, 120_000);
});
