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
