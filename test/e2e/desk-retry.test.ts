import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { acceptAppends } from "../append-faults";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { stuckMotion } from "../stuck-motion";
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
    // The database refuses the draft's updates: the adoption's edit cannot be stored, three times.
    ({ draft } = await stuckMotion(server, secretariat, "Stuck in the desk"));
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
