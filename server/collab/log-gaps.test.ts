import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refuseAppends } from "../../test/append-faults";
import { appendText, connectClient, eventually, storedText, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createSession } from "../auth/session";
import { createDraft } from "../domain/drafts";
import { loadDraftState } from "../text-store/persistence";

// A failed append among several in flight for one draft must leave no gap in its log: nothing of
// the draft stored past the failed append, the draft reloaded to exactly what is stored, and the
// log continuing without a gap.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function seqsOf(draftId: string): Promise<number[]> {
  const rows = await server.database.sql<{ seq: string }[]>`SELECT seq FROM draft_updates WHERE draft_id = ${draftId} ORDER BY seq`;
  return rows.map((row) => Number(row.seq));
}

// Every stored update, replayed in order on the draft's first state: nothing may be left waiting
// for an update that is missing.
async function replayLog(draftId: string): Promise<{ missingDependencies: boolean }> {
  const rows = await server.database.sql<{ update: Uint8Array }[]>`SELECT update FROM draft_updates WHERE draft_id = ${draftId} ORDER BY seq`;
  const [checkpoint] = await server.database.sql<{ state: Uint8Array }[]>`SELECT state FROM draft_checkpoints WHERE draft_id = ${draftId}`;
  const doc = new Y.Doc();
  if (checkpoint) Y.applyUpdate(doc, checkpoint.state);
  for (const row of rows) Y.applyUpdate(doc, row.update);
  const missingDependencies = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  doc.destroy();
  return { missingDependencies };
}

describe("a failed append among several in flight for one draft", () => {
  it("leaves nothing stored past it: the draft reloads to the stored text, clients converge and the log goes on without a gap", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Gaps" });
    const delegate = await buildUser({ delegation: "ca" });
    const writer = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(delegate.id)).token });
    await synced(writer);

    // The next append of the draft is refused, 300 ms after it reached the database: the writer's
    // next updates are appended meanwhile, and with a Postgres server commit before it fails.
    await refuseAppends(server.database, draft.id, { rows: 1, delayMs: 300 });
    appendText(writer, "A");
    for (const letter of ["B", "C", "D"]) {
      await pause(40);
      appendText(writer, letter);
    }
    await eventually(async () => storedText((await loadDraftState(draft.id)).update) === "ABCD", 10_000, "the writer to resend what was lost");

    // No gap, nothing that waits for a missing update, and a new reader sees exactly the stored text.
    const seqs = await seqsOf(draft.id);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    expect(await replayLog(draft.id)).toEqual({ missingDependencies: false });
    const reader = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession((await buildUser({ delegation: "au" })).id)).token });
    await synced(reader);
    expect(reader.text()).toBe("ABCD");
    expect(writer.text()).toBe("ABCD");

    // New typing goes on from the next seq.
    appendText(writer, "E");
    await eventually(() => reader.text() === "ABCDE", 5000, "new typing to reach the reader");
    expect(storedText((await loadDraftState(draft.id)).update)).toBe("ABCDE");
    const after = await seqsOf(draft.id);
    expect(after).toEqual(after.map((_, index) => index + 1));
    expect(after.length).toBeGreaterThan(seqs.length);
    writer.destroy();
    reader.destroy();
  });
});
