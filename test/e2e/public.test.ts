import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";

let server: TestServer;
let browser: Browser;

describe.skipIf(!HAVE_CHROMIUM)("an anonymous visitor", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("reads the home page: what the initiative and the code are, and the published texts", async () => {
    const context = await browser.newContext();
    const page = await openPage(context);
    await page.goto(server.url);
    await expect.poll(() => page.title()).toContain("Accord");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("code of conduct");
    expect(await page.getByRole("heading", { name: "Published texts" }).isVisible()).toBe(true);
    expect(await page.getByText("No text has been published yet").isVisible()).toBe(true);
    expect(await page.getByRole("listitem").filter({ hasText: "Norway" }).count()).toBe(1);
    await checkPage(page, "home");
    await context.close();
  });

  it("sees a friendly page for an address that does not exist", async () => {
    const context = await browser.newContext();
    const page = await openPage(context);
    const response = await page.goto(`${server.url}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { name: "Page not found" }).isVisible()).toBe(true);
    await page.getByRole("link", { name: "Back to the home page" }).click();
    await page.waitForURL(`${server.url}/`);
    await context.close();
  });

  it("is told when the password is wrong, and keeps the email typed", async () => {
    const user = await buildUser();
    const context = await browser.newContext();
    const page = await openPage(context);
    await page.goto(`${server.url}/login`);
    await checkPage(page, "sign-in");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("not my password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("The email or password is not correct.");
    expect(await page.getByLabel("Email").inputValue()).toBe(user.email);
    expect(await page.getByLabel("Password").inputValue()).toBe("");
    // The refused sign-in answers 401, which Chromium logs as a failed resource: that is the answer, not a fault.
    await checkPage(page, "sign-in-refused", { allowConsole: [/status of 401/] });
    await context.close();
  });
});
