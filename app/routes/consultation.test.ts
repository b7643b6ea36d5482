import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentJson, paragraph, section, type DocJson } from "../../schema/content";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { publishVersion } from "../../server/domain/publications";
import { FEEDBACK_RATE } from "../../server/domain/submission-values";
import type { User } from "../../server/domain/users";
import { saveVersion, type Version } from "../../server/domain/versions";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";

let server: TestServer;
let secretariatUser: User;
let secretariat: TestClient;
let delegate: TestClient;
let observer: TestClient;
let draft: Draft;
let v1: Version;

const clause = (text: string, id: string): DocJson => ({ type: "clause", attrs: { id }, content: [paragraph(text)] });

beforeAll(async () => {
  server = await startTestServer();
  secretariatUser = await buildUser({ role: "secretariat" });
  draft = await createDraft({
    actor: secretariatUser,
    title: "Consulted code",
    content: documentJson("Consulted code", ["Preamble."], [section("Scope", clause("States assess the risk.", "c-risk"), clause("States report yearly.", "c-report"))]),
  });
  v1 = await saveVersion(server.live, { actor: secretariatUser, draftId: draft.id, name: "For consultation", kind: "manual" });
  await saveVersion(server.live, { actor: secretariatUser, draftId: draft.id, name: "Later", kind: "manual" });
  const common = { actor: secretariatUser, draftId: draft.id, summary: "", statusLabel: "Consultation draft", attribution: "anonymous" as const };
  await publishVersion(server.live, { ...common, versionNumber: 1, publicTitle: "Consulted code v1" });
  await publishVersion(server.live, { ...common, versionNumber: 2, publicTitle: "Consulted code v2" });
  secretariat = server.client();
  await secretariat.signIn(secretariatUser.email);
  delegate = server.client();
  await delegate.signIn((await buildUser({ role: "delegate", delegation: "dk" })).email);
  observer = server.client();
  await observer.signIn((await buildUser({ role: "observer", delegation: null })).email);
});
afterAll(async () => {
  await server.stop();
});

const anonymous = () => server.client();

const feedback = (overrides: Record<string, string> = {}) => ({
  clause: "c-risk",
  name: "Ada, “the” Lovelace",
  organisation: "University of Somewhere",
  sector: "academia",
  email: "ada.private@example.org",
  comment: "=HYPERLINK(\"http://evil.example\") Say which risks.",
  website: "",
  ...overrides,
});

async function stored(): Promise<number> {
  const [row] = await server.database.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM submissions WHERE draft_id = ${draft.id}`;
  return row?.count ?? -1;
}

async function submissionIds(): Promise<string[]> {
  const rows = await server.database.sql<{ id: string }[]>`SELECT id FROM submissions WHERE draft_id = ${draft.id} ORDER BY created_at`;
  return rows.map((row) => row.id);
}

describe("public consultation", () => {
  let closedEtag = "";

  it("has no form while the draft is not in consultation: the page has no links, and the form 404s", async () => {
    const page = await anonymous().get(`/p/${draft.slug}/v/1`);
    expect(page.status).toBe(200);
    closedEtag = page.headers.get("etag") ?? "";
    // The form comes and goes with the phase, so the version's page is revalidated, not immutable.
    expect(page.headers.get("cache-control")).toBe("public, max-age=300, must-revalidate");
    expect(await page.text()).not.toContain("Comment on clause");
    expect((await anonymous().get(`/p/${draft.slug}/v/1/feedback`)).status).toBe(404);
    expect((await anonymous().post(`/p/${draft.slug}/v/1/feedback`, feedback())).status).toBe(404);
    expect(await stored()).toBe(0);
  });

  it("is opened by the secretariat on a published version chosen on the rounds page", async () => {
    const round = { intent: "create", name: "Public consultation", phase: "consultation", startsAt: "", endsAt: "2099-01-01T12:00", timeZone: "UTC", instructions: "" };
    const missing = await secretariat.post(`/drafts/${draft.slug}/rounds`, round);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Choose the published version the public comments on.");
    const page = await (await secretariat.get(`/drafts/${draft.slug}/rounds`)).text();
    expect(page).toContain("v1: Consulted code v1");
    const opened = await secretariat.post(`/drafts/${draft.slug}/rounds`, { ...round, versionId: v1.id });
    expect(opened.status).toBe(200);
  });

  it("shows the form on the consultation version's page, per clause and for the whole text, with when it closes", async () => {
    const page = await anonymous().get(`/p/${draft.slug}/v/1`);
    const html = await page.text();
    expect(html).toContain(`href="/p/${draft.slug}/v/1/feedback?clause=c-risk"`);
    expect(html).toContain("Comment on clause 1.2");
    expect(html).toContain(`href="/p/${draft.slug}/v/1/feedback"`);
    expect(html).toContain("The consultation closes on");
    expect(html).toContain("2099-01-01");
    // The validator changed with the phase, so a cached copy without the form is not reused.
    expect(page.headers.get("etag")).not.toBe(closedEtag);
    expect((await anonymous().fetch(`/p/${draft.slug}/v/1`, { headers: { "If-None-Match": closedEtag } })).status).toBe(200);
    // Version 2 is published but not under consultation; as the latest, its page points to version 1.
    expect(await (await anonymous().get(`/p/${draft.slug}/v/2`)).text()).not.toContain("Comment on clause");
    const latest = await (await anonymous().get(`/p/${draft.slug}`)).text();
    expect(latest).not.toContain("Comment on clause");
    expect(latest).toContain(`<a href="/p/${draft.slug}/v/1">A public consultation is open on version 1: read it and comment</a>`);
    const form = await anonymous().get(`/p/${draft.slug}/v/1/feedback?clause=c-report`);
    expect(form.status).toBe(200);
    expect(form.headers.get("cache-control")).toBe("no-store");
    const formHtml = await form.text();
    expect(formHtml).toContain("Comment on clause 1.2");
    expect(formHtml).toContain("States report yearly.");
    expect((await anonymous().get(`/p/${draft.slug}/v/1/feedback?clause=c-unknown`)).status).toBe(404);
  });

  it("takes feedback from anyone and thanks them; stores nothing from a filled honeypot but answers the same", async () => {
    const sent = await anonymous().post(`/p/${draft.slug}/v/1/feedback`, feedback());
    expect(sent.status).toBe(303);
    expect(sent.headers.get("location")).toBe(`/p/${draft.slug}/v/1/feedback?sent=1`);
    expect(await stored()).toBe(1);
    const thanks = await anonymous().get(sent.headers.get("location") ?? "");
    expect(await thanks.text()).toContain("Thank you for your comment");
    // The draft page tells the secretariat there is something to moderate.
    expect(await (await secretariat.get(`/drafts/${draft.slug}`)).text()).toContain("Public consultation (1 to moderate)");
    expect(await (await secretariat.get(`/drafts/${draft.slug}/desk`)).text()).toContain("Waiting for moderation: 1");

    const bot = await anonymous().post(`/p/${draft.slug}/v/1/feedback`, feedback({ website: "http://spam.example" }));
    expect(bot.status).toBe(303);
    expect(bot.headers.get("location")).toBe(sent.headers.get("location"));
    expect(await stored()).toBe(1);
    // Another version, even published, is not open to feedback.
    expect((await anonymous().post(`/p/${draft.slug}/v/2/feedback`, feedback())).status).toBe(404);
    // Cross-site posts are refused before anything is read.
    expect((await anonymous().post(`/p/${draft.slug}/v/1/feedback`, feedback(), { origin: "https://elsewhere.example" })).status).toBe(403);
    expect(await stored()).toBe(1);
  });

  it("answers bad input with 400 and the field's message, storing nothing", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ name: "" }, "name"],
      [{ email: "not-an-address" }, "email"],
      [{ sector: "government" }, "sector"],
      [{ comment: "" }, "comment"],
      [{ comment: "x".repeat(5001) }, "comment"],
      [{ organisation: "o".repeat(201) }, "organisation"],
      [{ clause: "c-unknown" }, "That clause is not in this version."],
    ];
    for (const [overrides, expected] of cases) {
      const response = await anonymous().post(`/p/${draft.slug}/v/1/feedback`, feedback(overrides));
      expect([overrides, response.status]).toEqual([overrides, 400]);
      const html = await response.text();
      if (expected.includes(" ")) expect(html).toContain(expected);
      else expect(html).toContain(`id="field-${expected}-error"`);
    }
    expect(await stored()).toBe(1);
  });

  it("lets the secretariat alone moderate; delegations read the disposition table without e-mails; observers neither", async () => {
    const [id] = await submissionIds();
    const moderation = await (await secretariat.get(`/drafts/${draft.slug}/consultation`)).text();
    expect(moderation).toContain("ada.private@example.org");
    expect(moderation).toContain("Pending");
    expect((await delegate.post(`/drafts/${draft.slug}/consultation`, { intent: "moderate", submissionId: id ?? "", decision: "accepted" })).status).toBe(403);
    expect((await observer.get(`/drafts/${draft.slug}/consultation`)).status).toBe(403);
    expect((await anonymous().get(`/drafts/${draft.slug}/consultation`)).status).toBe(302);
    expect((await secretariat.post(`/drafts/${draft.slug}/consultation`, { intent: "moderate", submissionId: "00000000-0000-0000-0000-000000000000", decision: "accepted" })).status).toBe(404);

    expect((await secretariat.post(`/drafts/${draft.slug}/consultation`, { intent: "moderate", submissionId: id ?? "", decision: "accepted" })).status).toBe(200);
    const refused = await secretariat.post(`/drafts/${draft.slug}/consultation`, { intent: "answer", submissionId: id ?? "", disposition: "partly", reason: "" });
    expect(refused.status).toBe(400);
    const answered = await secretariat.post(`/drafts/${draft.slug}/consultation`, {
      intent: "answer",
      submissionId: id ?? "",
      disposition: "partly",
      reason: "Risks are listed in the annex.",
    });
    expect(answered.status).toBe(200);
    expect((await delegate.post(`/drafts/${draft.slug}/consultation`, { intent: "answer", submissionId: id ?? "", disposition: "accepted", reason: "" })).status).toBe(403);

    const table = await (await delegate.get(`/drafts/${draft.slug}/consultation`)).text();
    expect(table).toContain("Risks are listed in the annex.");
    expect(table).toContain("A respondent from academia");
    expect(table).not.toContain("ada.private@example.org");
    expect(table).not.toContain("Lovelace");
    expect(table).not.toContain("Accept</button>");
  });

  it("exports the disposition table as CSV: quoted, formulas defused, no e-mails; for those who read the table", async () => {
    const response = await delegate.get(`/drafts/${draft.slug}/consultation/dispositions.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${draft.slug}-dispositions.csv"`);
    const csv = (await response.text()).replace(/^\uFEFF/, "");
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("version,clause,respondent,sector,comment,disposition,reason");
    expect(lines[1]).toBe(`v1,1.1,A respondent from academia,Academia,"'=HYPERLINK(""http://evil.example"") Say which risks.",Partly accepted,Risks are listed in the annex.`);
    expect(csv).not.toContain("ada.private@example.org");
    // In the reader's language, headers and values alike.
    const french = (await (await delegate.fetch(`/drafts/${draft.slug}/consultation/dispositions.csv`, { headers: { "Accept-Language": "fr" } })).text()).split("\r\n");
    expect(french[0]).toBe("version,clause,auteur de la contribution,secteur,contribution,suite donnée,motif");
    expect(french[1]).toMatch(/^v1,1\.1,[^,]+,Milieux universitaires,".*",Partiellement retenue,Risks are listed in the annex\.$/);
    expect((await observer.get(`/drafts/${draft.slug}/consultation/dispositions.csv`)).status).toBe(403);
  });

  it("publishes the disposition table with the version when the secretariat says so, naming senders only with their consent", async () => {
    expect((await anonymous().get(`/p/${draft.slug}/v/1/dispositions`)).status).toBe(404);
    expect((await delegate.post(`/drafts/${draft.slug}/consultation`, { intent: "publish", versionId: v1.id })).status).toBe(403);
    await anonymous().post(`/p/${draft.slug}/v/1/feedback`, feedback({ name: "Grace Hopper", organisation: "Navy Lab", sector: "industry", publishName: "on", comment: "Add a review." }));
    const [, named] = await submissionIds();
    await secretariat.post(`/drafts/${draft.slug}/consultation`, { intent: "moderate", submissionId: named ?? "", decision: "accepted" });
    expect((await secretariat.post(`/drafts/${draft.slug}/consultation`, { intent: "publish", versionId: v1.id })).status).toBe(200);

    const page = await anonymous().get(`/p/${draft.slug}/v/1/dispositions`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("public, max-age=300, must-revalidate");
    const html = await page.text();
    expect(html).toContain("Grace Hopper (Navy Lab)");
    expect(html).toContain("A respondent from academia");
    expect(html).toContain("Risks are listed in the annex.");
    expect(html).not.toContain("ada.private@example.org");
    expect(html).not.toContain("Lovelace");
    expect(await (await anonymous().get(`/p/${draft.slug}/v/1`)).text()).toContain(`/p/${draft.slug}/v/1/dispositions`);
    // Version 2's table was never published.
    expect((await anonymous().get(`/p/${draft.slug}/v/2/dispositions`)).status).toBe(404);
  });

  it(`limits each address to ${FEEDBACK_RATE.count} submissions in ${FEEDBACK_RATE.windowSeconds / 60} minutes: then 429 with Retry-After, storing nothing`, async () => {
    const before = await stored();
    for (let index = before; index < FEEDBACK_RATE.count; index += 1) {
      expect((await anonymous().post(`/p/${draft.slug}/v/1/feedback`, feedback())).status).toBe(303);
    }
    const limited = await anonymous().post(`/p/${draft.slug}/v/1/feedback`, feedback());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Too many comments have come from your address");
    expect(await stored()).toBe(FEEDBACK_RATE.count);
  });

  it("closes with the round: no form on the page, and 410 for the form and for a post", async () => {
    expect((await secretariat.post(`/drafts/${draft.slug}/rounds`, { intent: "advance" })).status).toBe(200);
    const html = await (await anonymous().get(`/p/${draft.slug}/v/1`)).text();
    expect(html).not.toContain("Comment on clause");
    const form = await anonymous().get(`/p/${draft.slug}/v/1/feedback`);
    expect(form.status).toBe(410);
    expect(await form.text()).toContain("This consultation has closed");
    const before = await stored();
    expect((await anonymous().post(`/p/${draft.slug}/v/1/feedback`, feedback())).status).toBe(410);
    expect(await stored()).toBe(before);
  });
});
