import { Fragment, Slice, type Node as ProseMirrorNode } from "prosemirror-model";
import { Transform } from "prosemirror-transform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyText, connectClient, eventually, storedText, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createSession } from "../auth/session";
import { clause, documentJson, section } from "../../schema/content";
import { schema } from "../../schema/prosemirror";
import { anchorRange, loadTextSnapshot, resolveAnchor } from "../domain/annotation-anchors";
import { createDraft } from "../domain/drafts";
import { loadDraftState } from "../text-store/persistence";

import { rangeOf } from "../../test/text-ranges";
import { editText } from "../domain/live-texts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 100 });
});
afterAll(async () => {
  await server.stop();
});

describe("server-side edits", () => {
  it("reach every open editor as one stored edit, attributed to its author", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Server edits" });
    const reader = await buildUser({ delegation: "no" });
    const client = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(reader.id)).token });
    await synced(client);
    await server.accord.collab.texts.editDocument({
      draftId: draft.id,
      author: { userId: secretariat.id, delegationCode: null },
      edit: (doc) => bodyText(doc).insert(0, "Adopted text."),
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
    await server.accord.collab.texts.editDocument({
      draftId: draft.id,
      author: { userId: secretariat.id, delegationCode: null },
      edit: (doc) => bodyText(doc).insert(0, "Restored."),
    });
    expect(storedText((await loadDraftState(draft.id)).update)).toBe("Restored.");
  });

  it("stores nothing when the edit throws", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Failed edit" });
    await expect(
      server.accord.collab.texts.editDocument({
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

describe("server-side edits of the text as ProseMirror sees it", () => {
  const content = documentJson("Code", ["Preamble."], [
    section("Principles", clause("States should assess the risk of serious violations."), clause("Licences may be refused.")),
  ]);

  async function storedJson(draftId: string): Promise<unknown> {
    const text = await loadTextSnapshot(draftId);
    try {
      return text.node.toJSON();
    } finally {
      text.destroy();
    }
  }

  it("writes exactly the returned document, keeping anchors in the untouched text", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Text edits", content });
    const snapshot = await loadTextSnapshot(draft.id);
    const kept = anchorRange(snapshot, await rangeOf(draft.id, "Licences"));
    snapshot.destroy();
    const range = await rangeOf(draft.id, "serious");
    let expected: unknown = null;
    const result = await editText(server.live.texts, {
      draftId: draft.id,
      author: { userId: secretariat.id, delegationCode: null },
      change: (current) => {
        const next = new Transform(current).replaceWith(range.from, range.to, schema.text("gross")).doc;
        expected = next.toJSON();
        return next;
      },
    });
    expect(result.changed).toBe(true);
    expect(await storedJson(draft.id)).toEqual(expected);
    const after = await loadTextSnapshot(draft.id);
    try {
      expect(after.node.textContent).toContain("assess the risk of gross violations.");
      const resolved = kept ? resolveAnchor(after, kept.anchor) : null;
      expect(resolved && after.node.textBetween(resolved.from, resolved.to)).toBe("Licences");
    } finally {
      after.destroy();
    }
  });

  it("stores nothing when the change returns null or the same document", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "No change", content });
    const author = { userId: secretariat.id, delegationCode: null };
    expect(await editText(server.live.texts, { draftId: draft.id, author, change: () => null })).toEqual({ changed: false, alreadyMade: false });
    expect(await editText(server.live.texts, { draftId: draft.id, author, change: (current) => current })).toEqual({ changed: false, alreadyMade: false });
    const rows = await server.database.sql`SELECT 1 FROM draft_updates WHERE draft_id = ${draft.id}`;
    expect(rows).toHaveLength(0);
  });

  it("makes a keyed edit once in the draft's life, even after the draft is loaded again from storage", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Keyed change", content });
    const author = { userId: secretariat.id, delegationCode: null };
    const appendWord = (current: ProseMirrorNode) => {
      let end = 0;
      current.descendants((node, pos) => {
        if (node.isText && end === 0 && (node.text ?? "").includes("Preamble.")) end = pos + (node.text ?? "").length;
      });
      return current.replace(end, end, new Slice(Fragment.from(schema.text(" Again.")), 0, 0));
    };
    expect(await editText(server.live.texts, { draftId: draft.id, author, key: "test:once", change: appendWord })).toEqual({ changed: true, alreadyMade: false });
    expect(await editText(server.live.texts, { draftId: draft.id, author, key: "test:once", change: appendWord })).toEqual({ changed: false, alreadyMade: true });
    // The key is stored with the edit: a document loaded afresh (this one unloads once idle) knows it too.
    await eventually(async () => !(await server.accord.collab.registry.loaded()).some((document) => document.draftId === draft.id), 5000, "the draft to unload");
    expect(await editText(server.live.texts, { draftId: draft.id, author, key: "test:once", change: appendWord })).toEqual({ changed: false, alreadyMade: true });
    const text = await loadTextSnapshot(draft.id);
    text.destroy();
    expect(text.node.textContent.split("Again.").length - 1).toBe(1);
    // Another key is another edit.
    expect(await editText(server.live.texts, { draftId: draft.id, author, key: "test:twice", change: appendWord })).toMatchObject({ changed: true });
  });

  it("refuses a document the schema does not allow, storing nothing", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Bad change", content });
    await expect(
      editText(server.live.texts, {
        draftId: draft.id,
        author: { userId: secretariat.id, delegationCode: null },
        change: () => schema.nodes.paragraph.create(null, schema.text("not a document")),
      }),
    ).rejects.toThrow("whole document");
    const rows = await server.database.sql`SELECT 1 FROM draft_updates WHERE draft_id = ${draft.id}`;
    expect(rows).toHaveLength(0);
  });
});
