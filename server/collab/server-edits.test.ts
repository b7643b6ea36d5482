import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClient, eventually, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createSession } from "../auth/session";
import { createDraft } from "../domain/drafts";
import { loadDraftState } from "./persistence";
import { editDraft } from "./server-edits";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 100 });
});
afterAll(async () => {
  await server.stop();
});

function storedText(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText("body").toString();
}

describe("server-side edits", () => {
  it("reach every open editor as one stored edit, attributed to its author", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Server edits" });
    const reader = await buildUser({ delegation: "no" });
    const client = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(reader.id)).token });
    await synced(client);
    await editDraft({
      draftId: draft.id,
      author: { userId: secretariat.id, delegationCode: null },
      edit: (doc) => doc.getText("body").insert(0, "Adopted text."),
    });
    // Durable before the promise resolved, then relayed.
    expect(storedText((await loadDraftState(draft.id)).update)).toBe("Adopted text.");
    await eventually(() => client.text() === "Adopted text.", 3000, "the edit to reach the editor");
    const rows = await server.database.sql<{ user_id: string }[]>`
      SELECT user_id FROM draft_updates WHERE draft_id = ${draft.id}`;
    expect(rows).toEqual([{ user_id: secretariat.id }]);
    client.destroy();
  });

  it("works on a draft nobody has open, loading it first", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Closed draft" });
    await editDraft({
      draftId: draft.id,
      author: { userId: secretariat.id, delegationCode: null },
      edit: (doc) => doc.getText("body").insert(0, "Restored."),
    });
    expect(storedText((await loadDraftState(draft.id)).update)).toBe("Restored.");
  });

  it("stores nothing when the edit throws", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Failed edit" });
    await expect(
      editDraft({
        draftId: draft.id,
        author: { userId: secretariat.id, delegationCode: null },
        edit: () => {
          throw new Error("the anchored text is gone");
        },
      }),
    ).rejects.toThrow("the anchored text is gone");
    const rows = await server.database.sql`SELECT 1 FROM draft_updates WHERE draft_id = ${draft.id}`;
    expect(rows).toHaveLength(0);
  });
});
