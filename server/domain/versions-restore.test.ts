import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { connectClient, eventually, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createSession } from "../auth/session";

import { contentHash } from "../render/canonical";
import { createDraft } from "./drafts";
import { listVersions, loadStoredText, restoreVersion, saveVersion } from "./versions";
import { editText } from "./live-texts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 100 });
});
afterAll(async () => {
  await server.stop();
});

async function updateLog(draftId: string): Promise<string[]> {
  const rows = await server.database.sql<{ seq: string; update: Uint8Array }[]>`
    SELECT seq, update FROM draft_updates WHERE draft_id = ${draftId} ORDER BY seq`;
  return rows.map((row) => `${row.seq}:${createHash("sha256").update(row.update).digest("hex")}`);
}

describe("restoring a version", () => {
  it("brings back exactly the old text as one attributed edit, keeps history, and audits it", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const delegate = await buildUser({ delegation: "dk" });
    const draft = await createDraft({
      actor: secretariat,
      title: "Restore",
      content: documentJson("Restore", ["Preamble."], [section("Scope", clause("Original first clause."), clause("Original second clause."))]),
    });
    const v1 = await saveVersion(server.live, { actor: delegate, draftId: draft.id, name: "Original", kind: "manual" });

    // Someone with the draft open rewrites it: a clause changed, one removed, one added.
    const reader = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(delegate.id)).token });
    await synced(reader);
    await editText(server.live.texts, {
      draftId: draft.id,
      author: { userId: delegate.id, delegationCode: "dk" },
      change: (current) => {
        const json = current.toJSON() as { content: { type: string; content?: { type: string }[] }[] };
        const scope = json.content[2];
        if (!scope?.content) throw new Error("no section");
        scope.content.splice(2, 1, clause("A new clause."));
        return current.type.schema.nodeFromJSON(JSON.parse(JSON.stringify(json).replace("Original first", "Rewritten first")));
      },
    });
    const edited = await loadStoredText(draft.id);
    expect(contentHash(edited.node)).not.toBe(v1.sha256);
    const historyBefore = await updateLog(draft.id);

    const restored = await restoreVersion(server.live, { actor: secretariat, draftId: draft.id, number: 1 });
    expect(restored?.changed).toBe(true);

    // Exactly the old text, clause ids and all.
    const now = await loadStoredText(draft.id);
    expect(contentHash(now.node)).toBe(v1.sha256);
    // The open editor got it too.
    await eventually(() => reader.doc.getXmlFragment("prosemirror").toString().includes("Original first clause."), 3000, "the restored text to reach the editor");
    reader.destroy();

    // History only grows: every earlier update is still there, unchanged, and the restore is one
    // more, attributed to the secretariat.
    const historyAfter = await updateLog(draft.id);
    expect(historyAfter.slice(0, historyBefore.length)).toEqual(historyBefore);
    expect(historyAfter.length).toBe(historyBefore.length + 1);
    const [last] = await server.database.sql<{ user_id: string }[]>`
      SELECT user_id FROM draft_updates WHERE draft_id = ${draft.id} ORDER BY seq DESC LIMIT 1`;
    expect(last?.user_id).toBe(secretariat.id);

    // The text it replaced was kept as a restore point.
    expect(restored?.restorePoint).toMatchObject({
      number: 2,
      kind: "restore-point",
      name: { key: "versions.restorePointName", params: { number: 1 } },
      sha256: contentHash(edited.node),
    });
    expect((await listVersions(draft.id)).map((version) => version.number)).toEqual([2, 1]);
    const [audit] = await server.database.sql<{ actor_id: string; details: Record<string, unknown> }[]>`
      SELECT actor_id, details FROM audit_events WHERE action = 'version.restored' AND target_id = ${draft.id}`;
    expect(audit).toMatchObject({ actor_id: secretariat.id, details: { number: 1, changed: true, restorePoint: 2 } });
  });

  it("changes nothing when the live text already is the version, and answers null for a missing one", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Same text" });
    await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "Only", kind: "manual" });
    const restored = await restoreVersion(server.live, { actor: secretariat, draftId: draft.id, number: 1 });
    expect(restored).toMatchObject({ changed: false, restorePoint: null });
    expect(await updateLog(draft.id)).toEqual([]);
    expect(await restoreVersion(server.live, { actor: secretariat, draftId: draft.id, number: 7 })).toBeNull();
  });
});
