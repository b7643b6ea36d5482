import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bracketsIn } from "../../schema/brackets";
import { documentJson, section, type DocJson } from "../../schema/content";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { loadStoredText } from "../../server/domain/versions";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";

const ID = "b0000000000a1";
const option = (text: string, index: number, supporters: string): DocJson => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id: ID, option: index, supporters } }] });

let server: TestServer;
let draft: Draft;
let secretariat: TestClient;
let delegate: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  const owner = await buildUser({ role: "secretariat" });
  draft = await createDraft({
    actor: owner,
    title: "Brackets",
    content: documentJson("Brackets", ["Preamble."], [
      section("Scope", {
        type: "clause",
        attrs: { id: "c0000000000a1" },
        content: [{ type: "paragraph", content: [{ type: "text", text: "States assess " }, option("each", 0, "fr,ca"), option("every", 1, "uk"), { type: "text", text: " licence." }] }],
      }),
    ]),
  });
  secretariat = server.client();
  await secretariat.signIn(owner.email);
  delegate = server.client();
  await delegate.signIn((await buildUser({ delegation: "fr" })).email);
});
afterAll(async () => {
  await server.stop();
});

const resolve = (client: TestClient, form: Record<string, string>) => client.post(`/drafts/${draft.slug}`, { intent: "bracket-resolve", ...form });
const page = async (client: TestClient) => (await (await client.get(`/drafts/${draft.slug}`)).text()).replaceAll("<!-- -->", "");

describe("brackets on the draft page", () => {
  it("lists the open brackets with their alternatives and supporters, and offers the secretariat alone to resolve them", async () => {
    const seen = await page(delegate);
    expect(seen).toContain("1 open bracket");
    expect(seen).toContain("Clause 1.1");
    expect(seen).toMatch(/Alternative 1: <q>each<\/q> — supported by France, Canada/);
    expect(seen).toMatch(/Alternative 2: <q>every<\/q> — supported by (the )?United Kingdom|Alternative 2: <q>every<\/q> — supported by UK/);
    expect(seen).not.toContain('value="bracket-resolve"');
    expect(await page(secretariat)).toContain('value="bracket-resolve"');
  });

  it("refuses a delegate, a bracket of the wrong form and an alternative it does not have, and changes nothing", async () => {
    expect((await resolve(delegate, { bracketId: ID, keep: "1" })).status).toBe(403);
    expect((await resolve(secretariat, { bracketId: "<script>", keep: "1" })).status).toBe(400);
    const noOption = await resolve(secretariat, { bracketId: ID, keep: "7" });
    expect(noOption.status).toBe(409);
    expect(await noOption.text()).toContain("no such alternative");
    expect(bracketsIn((await loadStoredText(draft.id)).node)).toHaveLength(1);
  });

  it("resolves a bracket for the secretariat as one edit of the text, audited with what was kept; the bracket is then gone", async () => {
    const resolved = await resolve(secretariat, { bracketId: ID, keep: "1" });
    expect(resolved.status).toBe(200);
    const text = (await loadStoredText(draft.id)).node;
    expect(text.child(2).child(1).textContent).toBe("States assess every licence.");
    expect(bracketsIn(text)).toEqual([]);
    const [audit] = await server.database.sql<{ details: { kept: string; options: { text: string }[] } }[]>`
      SELECT details FROM audit_events WHERE action = 'bracket.resolved' AND target_id = ${draft.id}`;
    expect(audit?.details.kept).toBe("every");
    expect(audit?.details.options.map((item) => item.text)).toEqual(["each", "every"]);
    const again = await resolve(secretariat, { bracketId: ID, keep: "0" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("no longer in the text");
    expect(await page(delegate)).toContain("No brackets are open in this text.");
  });
});
