import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { createSession } from "../../server/auth/session";
import { openPage } from "./browser";

/**
 * A browser context already signed in as `userId` (a session made directly, not through the form),
 * in a given time zone if asked (else the machine's).
 */
export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  userId: string,
  options: { timezoneId?: string } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const { token } = await createSession(userId);
  await context.addCookies([{ name: "accord_session", value: token, url: baseUrl, httpOnly: true, sameSite: "Lax" }]);
  return context;
}

/** Opens a draft's page and waits until its text has arrived over the collaboration socket. */
export async function openDraft(context: BrowserContext, baseUrl: string, slug: string): Promise<Page> {
  const page = await openPage(context);
  await page.goto(`${baseUrl}/drafts/${slug}`);
  await page.locator('.editor__mount[data-synced="true"]').waitFor();
  return page;
}

/** The editor's text box. */
export function draftText(page: Page): Locator {
  return page.getByRole("textbox", { name: "Text of the draft" });
}

/** Selects `words` in the editor as a person would with the mouse, so that the editor sees the selection. */
export async function selectWords(page: Page, words: string): Promise<void> {
  await draftText(page).locator("p", { hasText: words }).first().click();
  await page.evaluate((target) => {
    const root = document.querySelector(".draft-text");
    if (!root) throw new Error("no editor");
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = node.textContent?.indexOf(target) ?? -1;
      if (index === -1) continue;
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + target.length);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      return;
    }
    throw new Error(`"${target}" is not in the editor`);
  }, words);
}
