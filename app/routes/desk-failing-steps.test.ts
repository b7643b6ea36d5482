import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { findAmendment } from "../../server/domain/amendments";
import { loadTextSnapshot } from "../../server/domain/annotation-anchors";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { findMotion } from "../../server/domain/motions";
import type { User } from "../../server/domain/users";
import { acceptAppends } from "../../test/append-faults";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";
import { stuckMotion } from "../../test/stuck-motion";

let server: TestServer;
let owner: User;
let secretariat: TestClient;
let draft: Draft;
let stepId: string;

// A motion's result that cannot be applied (the draft's updates are refused) fails three times.
beforeAll(async () => {
  server = await startTestServer();
  owner = await buildUser({ role: "secretariat" });
  secretariat = server.client();
  await secretariat.signIn(owner.email);
  ({ draft, stepId } = await stuckMotion(server, owner, "Stuck draft"));
});
afterAll(async () => {
  await server.stop();
});

async function desk(client: TestClient): Promise<string> {
  const response = await client.get(`/drafts/${draft.slug}/desk`);
  expect(response.status).toBe(200);
  return (await response.text()).replace(/<!-- -->/g, "");
}

async function text(): Promise<string> {
  const snapshot = await loadTextSnapshot(draft.id);
  snapshot.destroy();
  return snapshot.node.textContent;
}

describe("the desk's work that keeps failing", () => {
  it("shows a step that failed three times with its reason, to the secretariat", async () => {
    const html = await desk(secretariat);
    expect(html).toContain("Work that keeps failing");
    expect(html).toMatch(/The result of M-1 is not applied after [3-9] attempts\. Last reason: the amendment&#x27;s change could not be stored/);
    expect(html).toContain(`value="${stepId}"`);
  });

  it("lets only the secretariat retry, and only a step of this draft", async () => {
    for (const role of ["head", "delegate"] as const) {
      const user = await buildUser({ role, delegation: "fr" });
      const client = server.client();
      await client.signIn(user.email);
      expect((await client.post(`/drafts/${draft.slug}/desk`, { intent: "retry", step: stepId })).status).toBe(403);
    }
    const anonymous = await server.client().post(`/drafts/${draft.slug}/desk`, { intent: "retry", step: stepId });
    expect([302, 401, 403]).toContain(anonymous.status);
    expect((await secretariat.post(`/drafts/${draft.slug}/desk`, { intent: "retry", step: "not-a-uuid" })).status).toBe(400);
    expect((await secretariat.post(`/drafts/${draft.slug}/desk`, { intent: "retry", step: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    const other = await createDraft({ actor: owner, title: "Other draft", content: documentJson("Other draft", ["Preamble."], [section("Scope", clause("Text."))]) });
    expect((await secretariat.post(`/drafts/${other.slug}/desk`, { intent: "retry", step: stepId })).status).toBe(404);
    expect(await text()).toContain("should assess the risk");
  });

  it("applies the result on retry once the cause is gone, and the panel empties", async () => {
    await acceptAppends(server.database, draft.id);
    const response = await secretariat.post(`/drafts/${draft.slug}/desk`, { intent: "retry", step: stepId });
    expect(response.status).toBe(302);
    expect(await findMotion({ draftId: draft.id, number: 1 })).toMatchObject({ application: "applied" });
    expect((await findAmendment({ draftId: draft.id, number: 1 }))?.status).toBe("adopted");
    expect(await text()).toContain("should weigh the risk");
    expect(await desk(secretariat)).not.toContain("Work that keeps failing");
    // Once done, a second retry finds nothing to do.
    expect((await secretariat.post(`/drafts/${draft.slug}/desk`, { intent: "retry", step: stepId })).status).toBe(404);
  });
});
