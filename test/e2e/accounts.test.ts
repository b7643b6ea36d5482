import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDraft } from "../../server/domain/drafts";
import { buildUser, TEST_PASSWORD } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";

let server: TestServer;
let browser: Browser;

async function signIn(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${server.url}/drafts`);
}

describe.skipIf(!HAVE_CHROMIUM)("accounts in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("signs a French delegate in to the dashboard of drafts, and shows their delegation", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    await createDraft({ actor: secretariat, title: "Code of Conduct on Export Controls" });
    await buildUser({ role: "head", delegation: "fr", displayName: "Claire Dubois" });
    const delegate = await buildUser({ delegation: "fr", displayName: "Julien Moreau" });
    const context = await browser.newContext();
    const page = await openPage(context);
    await signIn(page, delegate.email);
    await expect.poll(() => page.getByText("Signed in as Julien Moreau").isVisible()).toBe(true);
    await expect.poll(() => page.getByRole("link", { name: "Code of Conduct on Export Controls" }).isVisible()).toBe(true);
    await checkPage(page, "dashboard");
    await page.getByRole("link", { name: "My delegation" }).click();
    await page.waitForURL(`${server.url}/delegations/fr`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("France");
    await expect.poll(() => page.getByText("Claire Dubois").isVisible()).toBe(true);
    await checkPage(page, "delegation");
    await page.getByRole("link", { name: "Account" }).click();
    await page.waitForURL(`${server.url}/account`);
    await checkPage(page, "account");
    await page.getByRole("button", { name: "Sign out" }).first().click();
    await page.waitForURL(`${server.url}/`);
    await expect.poll(() => page.getByRole("link", { name: "Sign in" }).first().isVisible()).toBe(true);
    await context.close();
  });

  it("lets the secretariat invite a Canadian delegate, who accepts and signs in", async () => {
    const secretariat = await buildUser({ role: "secretariat", displayName: "Hélène Secretariat" });
    const admin = await openPage(await browser.newContext());
    await signIn(admin, secretariat.email);
    await admin.getByRole("link", { name: "Administration" }).click();
    await admin.waitForURL(`${server.url}/admin/accounts`);
    await checkPage(admin, "admin-accounts");
    await admin.getByRole("link", { name: "Invitations" }).click();
    await admin.waitForURL(`${server.url}/admin/invitations`);
    await admin.getByLabel("Email").fill("ryan.macleod@example.org");
    await admin.getByLabel("Role").selectOption("delegate");
    await admin.getByLabel("Delegation").selectOption("ca");
    await admin.getByRole("button", { name: "Create invitation" }).click();
    const linkBox = admin.locator(".link-box");
    await linkBox.waitFor();
    const link = (await linkBox.textContent())?.trim() ?? "";
    expect(link).toMatch(/\/invite\/[a-z2-7]{32}$/);
    await checkPage(admin, "admin-invitations");
    await admin.context().close();

    const invitee = await openPage(await browser.newContext());
    await invitee.goto(link.replace(/^https?:\/\/[^/]+/, server.url));
    await expect.poll(() => invitee.getByText("ryan.macleod@example.org").isVisible()).toBe(true);
    await checkPage(invitee, "accept-invitation");
    await invitee.getByLabel("Your name").fill("Ryan MacLeod");
    await invitee.getByLabel("Password", { exact: true }).fill("a long Canadian password");
    await invitee.getByLabel("Password again").fill("a long Canadian password");
    await invitee.getByRole("button", { name: "Create my account" }).click();
    await invitee.waitForURL(`${server.url}/drafts`);
    await expect.poll(() => invitee.getByText("Signed in as Ryan MacLeod").isVisible()).toBe(true);
    await invitee.getByRole("button", { name: "Sign out" }).first().click();
    await invitee.waitForURL(`${server.url}/`);
    await signIn(invitee, "ryan.macleod@example.org", "a long Canadian password");
    await invitee.getByRole("link", { name: "My delegation" }).click();
    await invitee.waitForURL(`${server.url}/delegations/ca`);
    await expect.poll(() => invitee.getByRole("heading", { level: 1 }).textContent()).toContain("Canada");
    await invitee.context().close();
  });
});
