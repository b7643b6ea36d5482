import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { acceptAppends, refuseAppends } from "../../test/append-faults";
import { bodyText, connectClient, eventually, storedText, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { sendJson, startTestServer, type TestServer } from "../../test/server";
import { rangeOf } from "../../test/text-ranges";
import { createSession } from "../auth/session";
import { findAmendment, tableAmendment } from "../domain/amendments";
import { loadTextSnapshot } from "../domain/annotation-anchors";
import { createDraft, type Draft } from "../domain/drafts";
import { castBallot, closeMotion, putMotion } from "../domain/motions";
import { listVersions, saveVersion } from "../domain/versions";
import { loadDraftState } from "../text-store/persistence";
import { EditNotStoredError } from "../domain/live-texts";

// The server edit failure path: the database really refuses the append (a trigger in this test's
// own database), and nothing may be recorded as done.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 100 });
});
afterAll(async () => {
  await server.stop();
});

const TEXT = "Participating States shall assess the risk of serious violations of human rights.";

async function newDraft(): Promise<Draft> {
  const secretariat = await buildUser({ role: "secretariat" });
  return createDraft({ actor: secretariat, title: "Refused appends", content: documentJson("Refused appends", ["Preamble."], [section("One", clause(TEXT))]) });
}

async function liveText(draftId: string): Promise<string> {
  const text = await loadTextSnapshot(draftId);
  text.destroy();
  return text.node.textContent;
}

async function auditActions(targetId: string): Promise<string[]> {
  const rows = await server.database.sql<{ action: string }[]>`
    SELECT action FROM audit_events WHERE target_id = ${targetId} ORDER BY id`;
  return rows.map((row) => row.action);
}

async function signedIn(options: Parameters<typeof buildUser>[0]) {
  const user = await buildUser(options);
  const client = server.client();
  await client.signIn(user.email);
  return { user, client };
}

async function tableOn(draft: Draft, words: string, proposed: string) {
  const delegate = await buildUser({ delegation: "uk" });
  return tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, words), proposed, rationale: "Clearer." });
}

describe("a server edit whose append the database refuses", () => {
  it("rejects editDraft, stores nothing, and the draft reloads to the stored text for its editors", async () => {
    const draft = await newDraft();
    const secretariat = await buildUser({ role: "secretariat" });
    const delegate = await buildUser({ delegation: "dk" });
    const editor = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(delegate.id)).token });
    await synced(editor);
    const before = storedText((await loadDraftState(draft.id)).update);

    await refuseAppends(server.database, draft.id);
    const edit = server.accord.collab.texts.editDocument({ draftId: draft.id, author: { userId: secretariat.id, delegationCode: null }, edit: (doc) => bodyText(doc).insert(0, "Never stored. ") });
    await expect(edit).rejects.toBeInstanceOf(EditNotStoredError);
    await acceptAppends(server.database, draft.id);

    expect(storedText((await loadDraftState(draft.id)).update)).toBe(before);
    const rows = await server.database.sql`SELECT 1 FROM draft_updates WHERE draft_id = ${draft.id}`;
    expect(rows).toHaveLength(0);
    // The edit was never relayed: the editor reconnects to the reloaded draft, which lacks it.
    await synced(editor);
    expect(editor.text()).toBe(before);

    // Once the database accepts appends again, the next edit is stored and reaches the editor.
    await server.accord.collab.texts.editDocument({ draftId: draft.id, author: { userId: secretariat.id, delegationCode: null }, edit: (doc) => bodyText(doc).insert(0, "Stored. ") });
    expect(storedText((await loadDraftState(draft.id)).update)).toBe(`Stored. ${before}`);
    await eventually(() => editor.text() === `Stored. ${before}`, 5000, "the stored edit to reach the editor");
    editor.destroy();
  });

  it("leaves an amendment open, unaudited and unannounced, and tells the secretariat why, on the page and in the API", async () => {
    const draft = await newDraft();
    const amendment = await tableOn(draft, "serious", "grave");
    const secretariat = await signedIn({ role: "secretariat" });
    await refuseAppends(server.database, draft.id);

    const page = await secretariat.client.post(`/drafts/${draft.slug}`, { intent: "amendment-adopt", number: String(amendment.number) });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("A-1 was not adopted: its change could not be stored, so the text is unchanged and A-1 is still open.");
    const api = await sendJson(secretariat.client, `/drafts/${draft.slug}/amendments/1`, "POST", { intent: "adopt" });
    expect(api.status).toBe(503);
    expect(await api.json()).toEqual({ error: "A-1 was not adopted: its change could not be stored, so the text is unchanged and A-1 is still open. Try again in a moment." });

    await acceptAppends(server.database, draft.id);
    const after = await findAmendment({ draftId: draft.id, number: amendment.number });
    expect(after).toMatchObject({ status: "open", decidedBy: null, decidedAt: null, updatedAt: amendment.updatedAt });
    expect(await auditActions(amendment.id)).toEqual(["amendment.tabled"]);
    expect(await liveText(draft.id)).toContain("the risk of serious violations");

    // Adopting it again once the database accepts appends works.
    const adopted = await sendJson(secretariat.client, `/drafts/${draft.slug}/amendments/1`, "POST", { intent: "adopt" });
    expect(adopted.status).toBe(200);
    expect(await liveText(draft.id)).toContain("the risk of grave violations");
    expect(await auditActions(amendment.id)).toEqual(["amendment.tabled", "amendment.adopted"]);
  });

  it("records no restore, no restore point and no audit event for a restore that could not be stored, and says so on the page", async () => {
    const draft = await newDraft();
    const secretariat = await signedIn({ role: "secretariat" });
    await saveVersion(server.live, { actor: secretariat.user, draftId: draft.id, name: "Original", kind: "manual" });
    await server.accord.collab.texts.editDocument({ draftId: draft.id, author: { userId: secretariat.user.id, delegationCode: null }, edit: (doc) => bodyText(doc).insert(0, "Changed since. ") });
    const changed = await liveText(draft.id);
    await refuseAppends(server.database, draft.id);

    const response = await secretariat.client.post(`/drafts/${draft.slug}/versions/1?restore=confirm`, { intent: "restore" });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("v1 was not restored: the change could not be stored, so the text is unchanged and nothing was recorded.");

    await acceptAppends(server.database, draft.id);
    expect(await liveText(draft.id)).toBe(changed);
    expect((await listVersions(draft.id)).map((version) => version.kind)).toEqual(["manual"]);
    expect(await auditActions(draft.id)).not.toContain("version.restored");

    // Restored once the database accepts appends: the replaced text becomes the restore point.
    const restored = await secretariat.client.post(`/drafts/${draft.slug}/versions/1?restore=confirm`, { intent: "restore" });
    expect(restored.status).toBe(302);
    expect(await liveText(draft.id)).not.toContain("Changed since.");
    expect((await listVersions(draft.id)).map((version) => version.kind)).toEqual(["restore-point", "manual"]);
    expect(await auditActions(draft.id)).toContain("version.restored");
  });

  it("records a motion's adopted amendment as failed, not applied, and leaves the amendment open", async () => {
    const draft = await newDraft();
    const amendment = await tableOn(draft, "serious", "grave");
    const secretariat = await buildUser({ role: "secretariat" });
    const motion = await putMotion(server.live, { actor: secretariat, draftId: draft.id, subject: { kind: "amendment", number: amendment.number }, rule: "majority", quorum: 1, deadline: new Date(Date.now() + 3_600_000) });
    await castBallot(server.live, { actor: await buildUser({ role: "head", delegation: "fr" }), motion, choice: "yes", explanation: "" });
    await refuseAppends(server.database, draft.id);

    const closed = await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat });
    await acceptAppends(server.database, draft.id);
    expect(closed).toMatchObject({ outcome: "adopted", application: "failed" });
    expect(closed?.applicationNote).toEqual({ key: "motions.application.notStored", params: {} });
    expect((await findAmendment({ draftId: draft.id, number: amendment.number }))?.status).toBe("open");
    expect(await liveText(draft.id)).toContain("the risk of serious violations");
    // No "adopted" version of a text that was not adopted.
    expect(await listVersions(draft.id)).toEqual([]);
    expect(await auditActions(amendment.id)).toEqual(["amendment.tabled"]);
  });
});
