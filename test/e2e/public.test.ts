import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft } from "../../server/domain/drafts";
import { publishVersion } from "../../server/domain/publications";
import { saveVersion } from "../../server/domain/versions";
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
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("The email or password is not correct.");
    expect(await page.getByLabel("Email").inputValue()).toBe(user.email);
    expect(await page.getByLabel("Password").inputValue()).toBe("");
    // The refused sign-in answers 401, which Chromium logs as a failed resource: that is the answer, not a fault.
    await checkPage(page, "sign-in-refused", { allowConsole: [/status of 401/] });
    await context.close();
  });

  it("reads a published version served from the cache, whose inline scripts run under a policy that allows them by hash", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Cached for readers", content: codeOfConductOpeningText("Code of Conduct") });
    await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "First reading", kind: "manual" });
    await publishVersion(server.live, { actor: secretariat, draftId: draft.id, versionNumber: 1, publicTitle: "Cached for readers", summary: "", statusLabel: "Draft", attribution: "anonymous" });
    const address = `${server.url}/p/${draft.slug}/v/1`;
    // Another reader's visit puts the page in the cache.
    expect((await fetch(address)).status).toBe(200);

    const context = await browser.newContext();
    const page = await openPage(context);
    const response = await page.goto(address);
    expect(response?.status()).toBe(200);
    expect(await response?.headerValue("x-accord-cache")).toBe("hit");
    const policy = (await response?.headerValue("content-security-policy")) ?? "";
    expect(policy).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/);
    expect(policy).not.toContain("nonce-");
    // The inline scripts ran (the route modules and the context they set), and the page hydrated.
    await page.waitForFunction(() => "__remixRouter" in window && "__remixRouteModules" in window && "__remixContext" in window);
    expect(await page.getByRole("heading", { level: 1, name: "Cached for readers" }).isVisible()).toBe(true);
    // A CSP refusal would be logged as a console error, which fails the check.
    await checkPage(page, "public-version-cached");
    await context.close();
  });
});
