import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser } from "./browser";
import { draftText, openDraft as openDraftPage, signedInContext as signedInAs } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let claire: User;
let ryan: User;
let olivia: User;

const signedInContext = (user: User): Promise<BrowserContext> => signedInAs(browser, server.url, user.id);
const openDraft = (context: BrowserContext): Promise<Page> => openDraftPage(context, server.url, draft.slug);

const text = draftText;

// The document's text without the remote cursors' labels.
function documentText(page: Page): Promise<string> {
  return text(page).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".remote-cursor").forEach((cursor) => cursor.remove());
    return copy.textContent ?? "";
  });
}

async function typeAtEndOfClause(page: Page, clauseIndex: number, words: string): Promise<void> {
  const paragraph = text(page).locator(".clause").nth(clauseIndex).locator("p").first();
  await paragraph.click();
  await page.keyboard.press("End");
  await page.keyboard.type(words, { delay: 15 });
}

describe.skipIf(!HAVE_CHROMIUM)("co-editing a draft in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const secretariat = await buildUser({ role: "secretariat" });
    claire = await buildUser({ delegation: "fr", displayName: "Claire Dubois" });
    ryan = await buildUser({ delegation: "ca", displayName: "Ryan MacLeod" });
    olivia = await buildUser({ role: "observer", displayName: "Olivia Observer" });
    const title = "Code of Conduct (browser test)";
    draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lets a French and a Canadian delegate type into one draft and see each other's text and labelled cursor", async () => {
    const fr = await openDraft(await signedInContext(claire));
    const ca = await openDraft(await signedInContext(ryan));
    await typeAtEndOfClause(fr, 0, " Amended by France.");
    await expect.poll(() => text(ca).textContent(), { timeout: 5000 }).toContain("Amended by France.");
    await typeAtEndOfClause(ca, 1, " Canada agrees.");
    await expect.poll(() => text(fr).textContent(), { timeout: 5000 }).toContain("Canada agrees.");
    await expect.poll(() => ca.locator(".remote-cursor__label").allTextContents(), { timeout: 5000 }).toContain("Claire Dubois · France");
    await expect.poll(() => fr.locator(".remote-cursor__label").allTextContents(), { timeout: 5000 }).toContain("Ryan MacLeod · Canada");
    const people = ca.getByRole("complementary", { name: "In this draft now" });
    await expect.poll(() => people.textContent()).toContain("Claire Dubois");
    await expect.poll(() => fr.getByRole("status").filter({ hasText: "Connected" }).textContent()).toContain("All changes saved");
    await checkPage(fr, "editor-france");
    await checkPage(ca, "editor-canada");
    // Undo takes back my own changes only.
    await text(fr).locator(".clause p").first().click();
    for (let i = 0; i < 5 && (await documentText(fr)).includes("Amended by France."); i += 1) {
      await fr.keyboard.press("Control+z");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await expect.poll(() => documentText(ca), { timeout: 5000 }).not.toContain("Amended by France.");
    expect(await documentText(fr)).toContain("Canada agrees.");
    expect(await documentText(ca)).toContain("Canada agrees.");
    await fr.context().close();
    await ca.context().close();
  });

  it("shows an observer the text changing live, in an editor that does not accept typing, and says why", async () => {
    const observer = await openDraft(await signedInContext(olivia));
    const fr = await openDraft(await signedInContext(claire));
    await expect.poll(() => observer.getByText("You can read this draft but not edit it.").isVisible()).toBe(true);
    expect(await text(observer).getAttribute("contenteditable")).toBe("false");
    await typeAtEndOfClause(fr, 2, " Live for observers.");
    await expect.poll(() => text(observer).textContent(), { timeout: 5000 }).toContain("Live for observers.");
    const before = await text(observer).textContent();
    await text(observer).locator(".clause p").first().click();
    await observer.keyboard.type("observer typing");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await text(observer).textContent()).toBe(before);
    expect(await text(fr).textContent()).not.toContain("observer typing");
    await checkPage(observer, "editor-observer");
    await observer.context().close();
    await fr.context().close();
  });

  it("keeps a client typing while it is offline and merges its changes when it reconnects", async () => {
    const frContext = await signedInContext(claire);
    const fr = await openDraft(frContext);
    const ca = await openDraft(await signedInContext(ryan));
    await frContext.setOffline(true);
    await expect.poll(() => fr.locator("[data-connection]").getAttribute("data-connection"), { timeout: 5000 }).toBe("offline");
    await typeAtEndOfClause(fr, 3, " Written offline.");
    await typeAtEndOfClause(ca, 4, " Written meanwhile in Ottawa.");
    await expect.poll(() => fr.locator("[data-unconfirmed]").getAttribute("data-unconfirmed")).not.toBe("0");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await text(ca).textContent()).not.toContain("Written offline.");
    await checkPage(fr, "editor-offline");
    await frContext.setOffline(false);
    await expect.poll(() => text(ca).textContent(), { timeout: 10_000 }).toContain("Written offline.");
    await expect.poll(() => text(fr).textContent(), { timeout: 10_000 }).toContain("Written meanwhile in Ottawa.");
    await expect.poll(() => fr.locator("[data-unconfirmed]").getAttribute("data-unconfirmed"), { timeout: 10_000 }).toBe("0");
    const frText = await documentText(fr);
    expect(frText).toBe(await documentText(ca));
    expect(frText.split("Written offline.").length).toBe(2);
    await frContext.close();
    await ca.context().close();
  });
});
