import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { listDraftClauses } from "../../server/domain/clause-status";
import { createDraft, findDraftById, type Draft } from "../../server/domain/drafts";
import { castBallot, closeMotion, putMotion, type Motion } from "../../server/domain/motions";
import { createRound } from "../../server/domain/rounds";
import type { User } from "../../server/domain/users";
import { eventually } from "../../test/collab-client";
import { openEventStream } from "../../test/event-stream";
import { buildUser } from "../../test/factories";
import { signedInClient, startTestServer, type TestClient, type TestServer } from "../../test/server";

let server: TestServer;
let owner: User;
let draft: Draft;
let motion: Motion;
let head: User;

const EXPLANATION = "Norway votes no: the licence clause is too weak.";

beforeAll(async () => {
  server = await startTestServer();
  owner = await buildUser({ role: "secretariat" });
  const created = await createDraft({ actor: owner, title: "Observed vote", content: documentJson("Observed vote", ["Preamble."], [section("Scope", clause("States should assess the risk."))]) });
  await createRound(server.live, { actor: owner, draftId: created.id, round: { name: "Vote", phase: "voting", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false } });
  const found = await findDraftById(created.id);
  if (!found) throw new Error("gone");
  draft = found;
  const [first] = await listDraftClauses(draft.id);
  motion = await putMotion(server.live, { actor: owner, draftId: draft.id, subject: { kind: "clause", clauseId: first?.id ?? "" }, rule: "majority", quorum: 1, deadline: new Date(Date.now() + 86_400_000) });
  head = await buildUser({ role: "head", delegation: "no" });
  await castBallot(server.live, { actor: head, motion, choice: "no", explanation: EXPLANATION });
});
afterAll(async () => {
  await server.stop();
});

const as = (user: User): Promise<TestClient> => signedInClient(server, user);

/** The motion page, and the same loader's data (`.data`, what the page fetches when navigating). */
async function pageAndData(client: TestClient): Promise<{ status: number; text: string }[]> {
  const path = `/drafts/${draft.slug}/motions/${motion.number}`;
  const page = await client.get(path);
  const data = await client.get(`${path}.data`);
  return [
    { status: page.status, text: await page.text() },
    { status: data.status, text: await data.text() },
  ];
}

describe("an observer and the ballots", () => {
  it("sees no ballot before the result, not even that of the delegation they are attached to", async () => {
    const attached = await as(await buildUser({ role: "observer", delegation: "no" }));
    for (const answer of await pageAndData(attached)) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(EXPLANATION);
      // The loader's data is a turbo-stream: a key, then its value (an object, or a code for null).
      expect(answer.text).toContain("ownBallot");
      expect(answer.text).not.toMatch(/\\?"ownBallot\\?",\{/);
    }
    // The delegation's own people do see it.
    const delegate = await as(await buildUser({ role: "delegate", delegation: "no" }));
    const [, data] = await pageAndData(delegate);
    expect(data?.text).toContain(EXPLANATION);
    expect(data?.text).toMatch(/"ownBallot",\{/);
  });

  it("is not told through the event stream that a ballot was cast, while a delegate is", async () => {
    const observer = await as(await buildUser({ role: "observer", delegation: "no" }));
    const delegate = await as(await buildUser({ role: "delegate", delegation: "fr" }));
    const [watching, voting] = [openEventStream(observer, `/drafts/${draft.slug}/events`), openEventStream(delegate, `/drafts/${draft.slug}/events`)];
    await Promise.all([watching.ready, voting.ready]);
    await eventually(() => watching.stream.raw.includes(": connected") && voting.stream.raw.includes(": connected"));
    await castBallot(server.live, { actor: await buildUser({ role: "head", delegation: "dk" }), motion, choice: "yes", explanation: "" });
    await eventually(() => voting.stream.raw.includes('"change":"ballot"'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(watching.stream.raw).not.toContain("event: motion");
    watching.stream.close();
    voting.stream.close();
  });

  it("sees every ballot once the motion has closed", async () => {
    await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: owner });
    const attached = await as(await buildUser({ role: "observer", delegation: "no" }));
    const [page] = await pageAndData(attached);
    expect(page?.text).toContain(EXPLANATION);
  });
});
