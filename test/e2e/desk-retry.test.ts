import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { tableAmendment } from "../../server/domain/amendments";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { castBallot, closeMotion, putMotion } from "../../server/domain/motions";
import { retryDueSteps } from "../../server/domain/step-runner";
import type { User } from "../../server/domain/users";
import { acceptAppends, refuseAppends } from "../append-faults";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { rangeOf } from "../text-ranges";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";
import { draftText, signedInContext } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let secretariat: User;
let draft: Draft;

// The secretariat finds a motion's result that keeps failing on the desk, and retries it once the
// cause is gone.
describe.skipIf(!HAVE_CHROMIUM)("the desk's work that keeps failing, in a browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat", displayName: "Claire Martin" });
    draft = await createDraft({ actor: secretariat, title: "Stuck in the desk", content: documentJson("Stuck in the desk", ["Preamble."], [section("Scope", clause("States should assess the risk."))]) });
    await tableAmendment(server.live, { actor: await buildUser({ delegation: "fr" }), draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "assess"), proposed: "weigh", rationale: "Plainer." });
    const motion = await putMotion(server.live, { actor: secretariat, draftId: draft.id, subject: { kind: "amendment", number: 1 }, rule: "majority", quorum: 1, deadline: new Date(Date.now() + 86_400_000) });
    await castBallot(server.live, { actor: await buildUser({ role: "head", delegation: "dk" }), motion, choice: "yes", explanation: "" });
    // The database refuses the draft's updates: the adoption's edit cannot be stored, three times.
    await refuseAppends(server.database, draft.id);
    await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await server.database.sql`UPDATE pending_steps SET next_attempt_at = now() WHERE motion_id = ${motion.id}`;
      await retryDueSteps(server.live);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the step with its reason, and Retry now applies the result once the cause is gone", async () => {
    const context = await signedInContext(browser, server.url, secretariat.id);
    const page = await openPage(context);
    await page.goto(`${server.url}/drafts/${draft.slug}/desk`);
    const panel = page.getByRole("region", { name: "Work that keeps failing" });
    await expect.poll(() => panel.textContent()).toMatch(/The result of M-1 is not applied after 3 attempts\. Last reason: the amendment's change could not be stored/);
    await checkPage(page, "desk-failing-step");

    await acceptAppends(server.database, draft.id);
    await panel.getByRole("button", { name: "Retry now" }).click();
    await expect.poll(() => page.getByRole("region", { name: "Work that keeps failing" }).count()).toBe(0);
    expect(page.url()).toBe(`${server.url}/drafts/${draft.slug}/desk`);
    await checkPage(page, "desk-after-retry");

    await page.goto(`${server.url}/drafts/${draft.slug}`);
    await expect.poll(() => draftText(page).textContent()).toContain("States should weigh the risk.");
    await page.goto(`${server.url}/drafts/${draft.slug}/motions/1`);
    await expect.poll(() => page.getByRole("main").textContent()).toContain("The amendment's change is now in the text.");
  });
});
