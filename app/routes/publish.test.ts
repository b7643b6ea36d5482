import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentJson, section, type DocJson } from "../../schema/content";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { saveVersion } from "../../server/domain/versions";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";

let server: TestServer;
let draft: Draft;
let bracketed: Draft;
let secretariatUser: User;
let secretariat: TestClient;
let delegate: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  secretariatUser = await buildUser({ role: "secretariat" });
  draft = await createDraft({ actor: secretariatUser, title: "Code to publish" });
  await saveVersion(server.live, { actor: secretariatUser, draftId: draft.id, name: "First", kind: "manual" });
  await saveVersion(server.live, { actor: secretariatUser, draftId: draft.id, name: "Second", kind: "manual" });
  bracketed = await createDraft({ actor: secretariatUser, title: "Code in brackets", content: textInBrackets });
  await saveVersion(server.live, { actor: secretariatUser, draftId: bracketed.id, name: "First", kind: "manual" });
  secretariat = server.client();
  await secretariat.signIn(secretariatUser.email);
  delegate = server.client();
  await delegate.signIn((await buildUser({ role: "head", delegation: "dk" })).email);
});
afterAll(async () => {
  await server.stop();
});

async function written(): Promise<[number, number]> {
  const [row] = await server.database.sql<{ publications: number; audits: number }[]>`
    SELECT (SELECT count(*)::int FROM publications) AS publications,
           (SELECT count(*)::int FROM audit_events WHERE action = 'version.published') AS audits`;
  return [row?.publications ?? 0, row?.audits ?? 0];
}

const option = (text: string, index: number, supporters: string): DocJson => ({
  type: "text",
  text,
  marks: [{ type: "bracket", attrs: { id: "b0000000000a1", option: index, supporters } }],
});
const textInBrackets = documentJson("Code in brackets", ["Preamble."], [
  section("Scope", {
    type: "clause",
    attrs: { id: "c0000000000a1" },
    content: [{ type: "paragraph", content: [{ type: "text", text: "States assess " }, option("each", 0, "fr,ca"), option("every", 1, "gb"), { type: "text", text: " licence." }] }],
  }),
]);

const form = { publicTitle: "Code of Conduct", summary: "For comment.", statusLabel: "Consultation draft", attribution: "named" };
const publishPath = (number: number) => `/drafts/${draft.slug}/versions/${number}/publish`;

describe("publishing a version", () => {
  it("offers the secretariat the form on the version page, and nobody else", async () => {
    const page = await (await secretariat.get(`/drafts/${draft.slug}/versions/2`)).text();
    expect(page).toContain("Publish this version");
    expect(page).toContain(`action="${publishPath(2)}"`);
    const theirs = await (await delegate.get(`/drafts/${draft.slug}/versions/2`)).text();
    expect(theirs).not.toContain("Publish this version");
    expect((await delegate.get(publishPath(2))).status).toBe(403);
  });

  it("refuses anyone but the secretariat, and bad input, writing nothing", async () => {
    const before = await written();
    expect((await delegate.post(publishPath(1), form)).status).toBe(403);
    const signedOut = await server.client().post(publishPath(1), form);
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("location")).toMatch(/^\/login/);

    const empty = await secretariat.post(publishPath(1), { ...form, publicTitle: "  ", statusLabel: "" });
    expect(empty.status).toBe(400);
    const html = await empty.text();
    expect(html).toContain('id="field-publicTitle-error"');
    expect(html).toContain('id="field-statusLabel-error"');
    expect(html).toContain("This field is required.");
    expect((await secretariat.post(publishPath(1), { ...form, attribution: "everyone" })).status).toBe(400);
    expect((await secretariat.post(publishPath(1), { ...form, publicTitle: "x".repeat(201) })).status).toBe(400);
    expect((await secretariat.post(publishPath(9), form)).status).toBe(404);
    expect(await written()).toEqual(before);
  });

  it("publishes once, shows it on the public site, and then never again", async () => {
    const before = await written();
    const response = await secretariat.post(publishPath(1), form);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/p/${draft.slug}/v/1`);
    expect(await written()).toEqual([before[0] + 1, before[1] + 1]);

    const publicPage = await (await server.client().get(`/p/${draft.slug}/v/1`)).text();
    expect(publicPage).toContain("Code of Conduct");
    expect(publicPage).toContain("Amendments and positions are shown with the delegation’s name.");

    const again = await secretariat.post(publishPath(1), { ...form, publicTitle: "Changed" });
    expect(again.status).toBe(409);
    expect(await written()).toEqual([before[0] + 1, before[1] + 1]);

    const versionPage = await (await delegate.get(`/drafts/${draft.slug}/versions/1`)).text();
    expect(versionPage).toContain("Published on the public site as “Code of Conduct” (Consultation draft).");
    expect(versionPage).toContain(`href="/p/${draft.slug}/v/1"`);
  });
});

describe("publishing a version with open brackets", () => {
  const bracketsPath = () => `/drafts/${bracketed.slug}/versions/1/publish`;
  const stored = async (draftId: string) =>
    server.database.sql<{ brackets: string; audited: string | null }[]>`
      SELECT p.brackets, a.details->>'brackets' AS audited
      FROM publications p JOIN audit_events a ON a.action = 'version.published' AND a.details->>'publicationId' = p.id::text
      WHERE p.draft_id = ${draftId}`;

  it("asks whether the public sees the brackets only of a version that has some, bracketed unless chosen", async () => {
    const page = (await (await secretariat.get(`/drafts/${bracketed.slug}/versions/1`)).text()).replaceAll("<!-- -->", "");
    expect(page).toContain("This version has 1 open bracket.");
    expect(page).toContain('<input type="radio" name="brackets" checked="" value="bracketed"/> Show the square brackets (what is not yet agreed)');
    expect(page).toContain('<input type="radio" name="brackets" value="clean"/> Publish the clean text (the first alternative of each bracket)');
    const plain = await (await secretariat.get(`/drafts/${draft.slug}/versions/2`)).text();
    expect(plain).toContain("Publish this version");
    expect(plain).not.toContain('name="brackets"');
  });

  it("refuses a choice that is neither, writing nothing", async () => {
    const before = await written();
    const refused = await secretariat.post(bracketsPath(), { ...form, brackets: "hidden" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('id="field-brackets-error"');
    expect(await written()).toEqual(before);
  });

  it("publishes the clean text when chosen, recorded in the publication and its audit event", async () => {
    const response = await secretariat.post(bracketsPath(), { ...form, brackets: "clean" });
    expect(response.status).toBe(302);
    expect(await stored(bracketed.id)).toEqual([{ brackets: "clean", audited: "clean" }]);
    const publicPage = (await (await server.client().get(`/p/${bracketed.slug}/v/1`)).text()).replace(/<[^>]+>/g, "");
    expect(publicPage).toContain("States assess each licence.");
    expect(publicPage).not.toContain("every");
    expect(publicPage).toContain("This text shows the first alternative of each passage not yet agreed, without square brackets.");
    const versionPage = await (await secretariat.get(`/drafts/${bracketed.slug}/versions/1`)).text();
    expect(versionPage).toContain("It shows the clean text: the first alternative of each bracket, without square brackets.");
  });

  it("records a version without brackets as published with them, whatever was sent: there is nothing to clean", async () => {
    expect((await secretariat.post(publishPath(2), { ...form, brackets: "clean" })).status).toBe(302);
    const rows = await server.database.sql<{ brackets: string }[]>`
      SELECT p.brackets FROM publications p JOIN versions v ON v.id = p.version_id WHERE p.draft_id = ${draft.id} AND v.number = 2`;
    expect(rows).toEqual([{ brackets: "bracketed" }]);
  });
});
