import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { createThread } from "../../server/domain/annotations";
import { tableAmendment } from "../../server/domain/amendments";
import { castBallot, putMotion } from "../../server/domain/motions";
import { listDraftClauses, setClauseStatus } from "../../server/domain/clause-status";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";
import { rangeOf } from "../../test/text-ranges";

let server: TestServer;
let draft: Draft;
let secretariat: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  const owner = await buildUser({ role: "secretariat" });
  secretariat = server.client();
  await secretariat.signIn(owner.email);
  draft = await createDraft({
    actor: owner,
    title: "Desk draft",
    content: documentJson("Desk draft", ["Preamble."], [section("Scope", clause("States should assess the risk."), clause("Licences may be refused."))]),
  });
  const french = await buildUser({ delegation: "fr" });
  await tableAmendment(server.live, { actor: french, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "assess"), proposed: "weigh", rationale: "Plainer." });
  await createThread(server.live, { actor: french, draftId: draft.id, range: await rangeOf(draft.id, "Licences"), body: "Which licences?", visibility: "all" });
  // A private note is the delegation's own: the desk does not count it.
  await createThread(server.live, { actor: french, draftId: draft.id, range: await rangeOf(draft.id, "refused"), body: "Our line.", visibility: "delegation" });
  const [, second] = await listDraftClauses(draft.id);
  await setClauseStatus(server.live, { actor: owner, draftId: draft.id, clauseId: second?.id ?? "", status: "reserved", reservingDelegations: ["no"] });
  const motion = await putMotion(server.live, { actor: owner, draftId: draft.id, subject: { kind: "amendment", number: 1 }, rule: "majority", quorum: 5, deadline: new Date(Date.now() + 86_400_000) });
  await castBallot(server.live, { actor: await buildUser({ role: "head", delegation: "dk" }), motion, choice: "yes", explanation: "" });
});
afterAll(async () => {
  await server.stop();
});

describe("the secretariat's desk", () => {
  it("shows where the draft stands and what waits: phase, clauses and reservations, open amendments, comments, versions", async () => {
    const response = await secretariat.get(`/drafts/${draft.slug}/desk`);
    expect(response.status).toBe(200);
    const html = (await response.text()).replace(/<!-- -->/g, "");
    expect(html).toContain("Phase: Drafting");
    expect(html).toContain("0 agreed · 1 pending · 1 reserved");
    expect(html).toContain("Clause 1.2: Norway");
    expect(html).toContain("Open amendments (1)");
    expect(html).toContain("<strong>A-1</strong> Replace · tabled by France");
    expect(html).toContain("Open threads: 1");
    expect(html).toContain("Without a reply: 1");
    expect(html).not.toContain("Our line.");
    expect(html).toContain("Open motions (1)");
    expect(html).toContain("ballots: 1 of 8");
    expect(html).toContain("Not voted yet: United States, Australia, Canada, France, Netherlands, Norway, United Kingdom");
    expect(html).toContain("Waiting for moderation: 0");
  });

  it("is the secretariat's alone, and 404 for an unknown draft", async () => {
    for (const role of ["head", "delegate", "observer"] as const) {
      const user = await buildUser({ role, delegation: role === "observer" ? null : "nl" });
      const client = server.client();
      await client.signIn(user.email);
      expect((await client.get(`/drafts/${draft.slug}/desk`)).status).toBe(403);
    }
    expect((await secretariat.get("/drafts/no-such-draft/desk")).status).toBe(404);
  });
  it("counts the open brackets of the text, in all and by clause", async () => {
    const owner = await buildUser({ role: "secretariat" });
    const bracket = (text: string, id: string) => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id, option: 0, supporters: "fr" } }] });
    const content = documentJson("Bracketed desk", [], [
      section(
        "Scope",
        clause("Nothing open here."),
        { type: "clause", attrs: { id: "c0000000000d2" }, content: [{ type: "paragraph", content: [bracket("first", "b0000000000d1"), { type: "text", text: " and " }, bracket("second", "b0000000000d2")] }] },
      ),
    ]);
    // documentJson writes plain preamble paragraphs: one with a bracket goes in by hand.
    content.content?.splice(1, 1, { type: "preamble", content: [{ type: "paragraph", content: [{ type: "text", text: "Whereas " }, bracket("all", "b0000000000d3")] }] });
    const bracketed = await createDraft({ actor: owner, title: "Bracketed desk", content });
    const html = (await (await secretariat.get(`/drafts/${bracketed.slug}/desk`)).text()).replace(/<!-- -->/g, "");
    expect(html).toMatch(/data-testid="desk-brackets">3 open brackets</);
    expect(html).toContain("Preamble: 1 open bracket");
    expect(html).toContain("Clause 1.2: 2 open brackets");
    const none = (await (await secretariat.get(`/drafts/${draft.slug}/desk`)).text()).replace(/<!-- -->/g, "");
    expect(none).toMatch(/data-testid="desk-brackets">No brackets are open in this text.</);
  });
});
