import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser } from "./browser";
import { draftText, openDraft as openDraftPage, signedInContext as signedInAs } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let secretariat: User;
let delegate: User;

const signedInContext = (user: User): Promise<BrowserContext> => signedInAs(browser, server.url, user.id);
const openDraft = (context: BrowserContext): Promise<Page> => openDraftPage(context, server.url, draft.slug);

const text = draftText;
const summary = (page: Page) => page.getByTestId("clause-status-summary");

describe.skipIf(!HAVE_CHROMIUM)("clause status in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    delegate = await buildUser({ delegation: "dk", displayName: "Freja Nielsen" });
    const title = "Code of Conduct (clause status test)";
    draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lets the secretariat mark a clause agreed, which a delegate's open page shows in the margin and the summary, and warns the delegate who edits it", async () => {
    const dk = await openDraft(await signedInContext(delegate));
    await expect.poll(() => summary(dk).textContent()).toMatch(/^.*0 agreed · \d+ pending · 0 reserved$/);
    // Delegates see the statuses, not the secretariat's panel.
    expect(await dk.getByRole("heading", { name: "Clause status", exact: true }).count()).toBe(0);

    const sec = await openDraft(await signedInContext(secretariat));
    const row = sec.locator(".clause-status-row").first();
    await row.locator("summary").click();
    await row.getByLabel("Status of clause 1.1").selectOption("agreed");
    await row.getByRole("button", { name: "Save status of clause 1.1" }).click();
    await expect.poll(() => row.getByRole("status").textContent()).toContain("Clause 1.1 is now Agreed.");
    await expect.poll(() => summary(sec).textContent()).toContain("1 agreed · ");
    await checkPage(sec, "clause-status-secretariat");

    // The delegate's page learns of it without a reload.
    const firstClause = text(dk).locator(".clause").first();
    await expect.poll(() => firstClause.getAttribute("data-status"), { timeout: 10_000 }).toBe("agreed");
    await expect.poll(() => summary(dk).textContent()).toContain("1 agreed · ");
    expect(await firstClause.locator(".clause-status-mark").textContent()).toContain("Agreed");

    // Typing into the agreed clause keeps the keystrokes and warns once.
    await firstClause.locator("p").first().click();
    await dk.keyboard.press("End");
    await dk.keyboard.type(" Danish wording.", { delay: 10 });
    const warning = dk.getByRole("status").filter({ hasText: "Clause 1.1 is agreed; changes reopen it" });
    await expect.poll(() => warning.count()).toBe(1);
    await expect.poll(() => firstClause.textContent()).toContain("Danish wording.");
    await checkPage(dk, "clause-status-delegate-warned");
    await warning.getByRole("button", { name: "Dismiss" }).click();
    await firstClause.locator("p").first().click();
    await dk.keyboard.press("End");
    await dk.keyboard.type(" More.", { delay: 10 });
    await expect.poll(() => firstClause.textContent()).toContain("More.");
    expect(await warning.count()).toBe(0);
  });
});
