import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { cosponsorAmendment, tableAmendment, withdrawAmendment } from "../../server/domain/amendments";
import { castBallot, closeMotion, putMotion } from "../../server/domain/motions";
import { listDraftClauses, setClauseStatus } from "../../server/domain/clause-status";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { publishVersion } from "../../server/domain/publications";
import { saveVersion } from "../../server/domain/versions";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { rangeOf } from "../../test/text-ranges";

let server: TestServer;
let draft: Draft;

async function pointAfter(draftId: string, words: string): Promise<{ from: number; to: number }> {
  const { to } = await rangeOf(draftId, words);
  return { from: to, to };
}

beforeAll(async () => {
  server = await startTestServer();
  const secretariat = await buildUser({ role: "secretariat" });
  const french = await buildUser({ delegation: "fr" });
  const norwegian = await buildUser({ delegation: "no" });
  draft = await createDraft({
    actor: secretariat,
    title: "Recorded code",
    content: documentJson("Recorded code", ["Preamble."], [
      section("Scope", clause("States should assess the risk of serious violations."), clause("Licences may be refused.")),
    ]),
  });
  const tabled = await tableAmendment(server.live, { actor: french, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "serious"), proposed: "grave", rationale: "Stronger." });
  await cosponsorAmendment(server.live, { actor: norwegian, amendment: tabled });
  const dropped = await tableAmendment(server.live, { actor: norwegian, draftId: draft.id, kind: "delete", range: await rangeOf(draft.id, "may be"), proposed: "", rationale: "Redundant." });
  await withdrawAmendment(server.live, { actor: norwegian, amendment: dropped });
  const [first, second] = await listDraftClauses(draft.id);
  if (!first || !second) throw new Error("no clauses");
  await setClauseStatus(server.live, { actor: secretariat, draftId: draft.id, clauseId: first.id, status: "agreed" });
  await setClauseStatus(server.live, { actor: secretariat, draftId: draft.id, clauseId: second.id, status: "reserved", reservingDelegations: ["no", "ca"] });
  // A motion on the first clause, decided before publication.
  const motion = await putMotion(server.live, { actor: secretariat, draftId: draft.id, subject: { kind: "clause", clauseId: first.id }, rule: "majority", quorum: 2, deadline: new Date(Date.now() + 86_400_000) });
  await castBallot(server.live, { actor: await buildUser({ role: "head", delegation: "dk" }), motion, choice: "yes", explanation: "" });
  await castBallot(server.live, { actor: await buildUser({ role: "head", delegation: "uk" }), motion, choice: "no", explanation: "" });
  await castBallot(server.live, { actor: await buildUser({ role: "head", delegation: "nl" }), motion, choice: "yes", explanation: "" });
  await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat });
  await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "One", kind: "manual" });
  await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "Two", kind: "manual" });
  const common = { actor: secretariat, draftId: draft.id, summary: "", statusLabel: "Consultation draft" };
  await publishVersion(server.live, { ...common, versionNumber: 1, publicTitle: "Anonymous", attribution: "anonymous" });
  await publishVersion(server.live, { ...common, versionNumber: 2, publicTitle: "Named", attribution: "named" });
});
afterAll(async () => {
  await server.stop();
});

async function publicPage(number: number): Promise<string> {
  const response = await fetch(`${server.url}/p/${draft.slug}/v/${number}`);
  expect(response.status).toBe(200);
  // React separates neighbouring texts with empty comments.
  return (await response.text()).replace(/<!-- -->/g, "");
}

describe("the record a publication keeps", () => {
  it("shows amendments and positions as “a delegation” in an anonymous publication, with no name or code anywhere in the page", async () => {
    const html = await publicPage(1);
    expect(html).toContain("Amendments and positions at publication");
    expect(html).toContain("<strong>A-1</strong>");
    expect(html).toContain("Tabled by a delegation, co-sponsored by one other delegation");
    expect(html).toContain("reserved by 2 delegations");
    // The withdrawn amendment is not part of the record.
    expect(html).not.toContain("<strong>A-2</strong>");
    expect(html).toContain("<strong>M-1</strong> Agree clause 1.1 · Simple majority · Adopted");
    expect(html).toContain("Yes 2 · No 1 · Abstained 0 · Did not vote 5");
    expect(html).not.toContain("Ballots:");
    // The language switch and the page's other languages name the language "fr", not France.
    const page = html.replace(/<form[^>]*class="language-switch"[\s\S]*?<\/form>/, "").replace(/<link rel="alternate" hrefLang="[^"]*"[^>]*>/g, "");
    for (const name of ["France", "Norway", "Canada", "Denmark", "United Kingdom", "Netherlands", '"fr"', '"no"', '"ca"', '"dk"']) {
      expect(page, name).not.toContain(name);
    }
  });

  it("names the delegations in a named publication", async () => {
    const html = await publicPage(2);
    expect(html).toContain("Tabled by France, co-sponsored by Norway");
    expect(html).toContain("Ballots: Denmark: yes, Netherlands: yes, United Kingdom: no");
    expect(html).toContain("Clause 1.1</a>: Agreed");
    expect(html).toContain("Reserved, reserved by Canada, Norway");
    expect(html).toMatch(/Proposes <ins lang="en">grave<\/ins> in place of <del lang="en">serious<\/del>/);
  });

  it("keeps the record as it stood: later changes do not reach a publication", async () => {
    const french = await buildUser({ delegation: "fr" });
    await tableAmendment(server.live, { actor: french, draftId: draft.id, kind: "insert", range: await pointAfter(draft.id, "refused"), proposed: " in writing", rationale: "Clarity." });
    expect(await publicPage(2)).not.toContain("<strong>A-3</strong>");
  });
});
