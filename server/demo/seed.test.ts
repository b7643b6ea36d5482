import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/database";
import type { Database } from "../db/connection";
import { signIn } from "../auth/sign-in";
import { yDocToProsemirrorJSON } from "y-prosemirror";
import * as Y from "yjs";
import { parseDocument, type DocJson } from "../../schema/content";
import { YJS_FRAGMENT } from "../../schema/prosemirror";
import { loadDraftState } from "../text-store/persistence";
import { DEMO_DRAFT_SLUG, seedDemo } from "./seed";

function docOf(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe("the demo data", () => {
  it("creates the secretariat, a head and a delegate per delegation, and the sample draft — once", async () => {
    const password = "demo password for tests";
    await seedDemo(password);
    await seedDemo(password);
    const users = await db.sql<{ email: string; role: string; delegation_code: string | null }[]>`
      SELECT email, role, delegation_code FROM users ORDER BY email`;
    expect(users).toHaveLength(17);
    expect(users).toContainEqual({ email: "fr.delegate@example.org", role: "delegate", delegation_code: "fr" });
    expect(users).toContainEqual({ email: "ca.lead@example.org", role: "head", delegation_code: "ca" });
    expect(users).toContainEqual({ email: "secretariat@example.org", role: "secretariat", delegation_code: null });
    const drafts = await db.sql<{ slug: string; summary: string }[]>`SELECT slug, summary FROM drafts`;
    expect(drafts.map((draft) => draft.slug)).toEqual([DEMO_DRAFT_SLUG]);
    expect(drafts[0]?.summary.length).toBeGreaterThan(100);
    expect((await signIn({ email: "fr.delegate@example.org", password, address: "seed" })).ok).toBe(true);
    const [draft] = await db.sql<{ id: string }[]>`SELECT id FROM drafts WHERE slug = ${DEMO_DRAFT_SLUG}`;
    const json = yDocToProsemirrorJSON(docOf((await loadDraftState(draft?.id ?? "")).update), YJS_FRAGMENT);
    const text = parseDocument(json as DocJson).textContent;
    expect(text).toContain("Code of Conduct on Export Controls and Human Rights");
    expect(text).toContain("serious violations or abuses of human rights");
  });
});
