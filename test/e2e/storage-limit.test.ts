import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { yjsStateFromJson } from "../../server/text-store/initial-state";
import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser } from "./browser";
import { draftText, openDraft, signedInContext } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let delegate: User;

const TITLE = "Storage limit";
// A keystroke stores a few tens of bytes: the draft's budget is its first text and about a hundred
// keystrokes, with the warning about fifteen keystrokes in.
const FIRST_TEXT_BYTES = yjsStateFromJson(codeOfConductOpeningText(TITLE)).byteLength;
const BUDGET = FIRST_TEXT_BYTES + 3000;
const WARN_AT = FIRST_TEXT_BYTES + 400;

describe.skipIf(!HAVE_CHROMIUM)("a draft at its storage budget", () => {
  beforeAll(async () => {
    server = await startTestServer({ collabBudgets: { draftStoredBytes: BUDGET, draftWarnRatio: WARN_AT / BUDGET } });
    browser = await launchBrowser();
    const secretariat = await buildUser({ role: "secretariat" });
    delegate = await buildUser({ delegation: "au", displayName: "Olivia Grant" });
    draft = await createDraft({ actor: secretariat, title: TITLE, content: codeOfConductOpeningText(TITLE) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("warns the writer as the draft nears its budget, then stops the editor and says why", async () => {
    const page = await openDraft(await signedInContext(browser, server.url, delegate.id), server.url, draft.slug);
    await draftText(page).locator("p").first().click();
    await page.keyboard.type("Noting the partners' commitments, ", { delay: 20 });
    await expect.poll(() => page.getByTestId("collab-notice").textContent(), { timeout: 10_000 }).toMatch(/nearing its limit/);
    await checkPage(page, "storage-near");

    for (let i = 0; i < 8 && (await draftText(page).getAttribute("contenteditable")) === "true"; i += 1) {
      await page.keyboard.type("and recalling their obligations ", { delay: 20 });
    }
    await expect.poll(() => draftText(page).getAttribute("contenteditable"), { timeout: 10_000 }).toBe("false");
    await expect.poll(() => page.getByText("reached the limit of its stored text").count()).toBeGreaterThan(0);
    await checkPage(page, "storage-full");
  });
});
