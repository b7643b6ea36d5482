import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { clause, documentJson, section } from "../../schema/content";
import { readDocText, fragmentMapping } from "../../schema/normalize-yjs";
import { YJS_FRAGMENT } from "../../schema/prosemirror";
import { connectClient, eventually, synced } from "../../test/collab-client";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { createSession } from "../auth/session";
import { readConfig } from "../config";
import { TEST_SESSION_SECRET } from "../../test/server";
import type { Database } from "../db/connection";
import { createDraft, type Draft } from "../domain/drafts";
import type { User } from "../domain/users";
import { loadBuild, startAccord, type Accord } from "../start";
import { readStoredState } from "../text-store/current-text";
import { appendUpdates, loadDraftState } from "../text-store/persistence";
import { repairDraft, SYSTEM_AUTHOR } from "./repair";

let database: Database;
let accord: Accord | null = null;
let owner: User;

beforeAll(async () => {
  database = await openTestDatabase();
  owner = await buildUser({ role: "secretariat" });
});
afterAll(async () => {
  if (accord) await accord.stop();
  else await database.close();
});

async function draftWithStrayParagraph(title: string): Promise<Draft> {
  const draft = await createDraft({ actor: owner, title, content: documentJson(title, ["Whereas."], [section("Scope", clause("States assess each licence."))]) });
  const { update } = await loadDraftState(draft.id);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const before = Y.encodeStateVector(doc);
  // A paragraph straight under a section, where a clause belongs: written below the server.
  const paragraph = new Y.XmlElement("paragraph");
  const text = new Y.XmlText();
  text.insert(0, "A stray paragraph.");
  paragraph.insert(0, [text]);
  (doc.getXmlFragment(YJS_FRAGMENT).get(2) as Y.XmlElement).insert(1, [paragraph]);
  await appendUpdates(draft.id, [{ update: Y.encodeStateAsUpdate(doc, before), userId: owner.id, delegationCode: null }]);
  doc.destroy();
  return draft;
}

describe("the start-up check", () => {
  it("repairs, in the background, the drafts stored outside the schema", async () => {
    const spoiled = await draftWithStrayParagraph("Stored before");
    const valid = await createDraft({ actor: owner, title: "Valid all along" });
    expect(readStoredState((await loadDraftState(spoiled.id)).update).valid).toBe(false);
    const config = { ...readConfig({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", SESSION_SECRET: TEST_SESSION_SECRET }), warnings: [] };
    accord = await startAccord({ config, remix: await loadBuild(), database });
    const report = await accord.draftCheck;
    expect(report?.repaired).toEqual([spoiled.id]);
    expect(report?.checked).toBeGreaterThanOrEqual(2);
    expect(readStoredState((await loadDraftState(spoiled.id)).update).valid).toBe(true);
    expect(readStoredState((await loadDraftState(valid.id)).update).valid).toBe(true);
  });

  it("sends a repair to every open editor, as one edit through the live document", async () => {
    if (!accord) throw new Error("the server did not start");
    const draft = await draftWithStrayParagraph("Open while repaired");
    const reader = await buildUser({ delegation: "no" });
    const client = connectClient({ baseUrl: accord.server.url, draftId: draft.id, cookie: (await createSession(reader.id)).token });
    try {
      await synced(client);
      const fragment = client.doc.getXmlFragment(YJS_FRAGMENT);
      expect(fragmentMapping(fragment, readDocText(client.doc))).toBeNull();
      expect(await repairDraft(accord.collab.texts, { draftId: draft.id, author: SYSTEM_AUTHOR })).toEqual({ repaired: true });
      await eventually(() => fragmentMapping(fragment, readDocText(client.doc)) !== null, 10_000, "the repair to reach the editor");
      expect(readDocText(client.doc).textContent).toContain("A stray paragraph.");
      expect(await repairDraft(accord.collab.texts, { draftId: draft.id, author: SYSTEM_AUTHOR })).toEqual({ repaired: false });
    } finally {
      client.destroy();
    }
  });
});
