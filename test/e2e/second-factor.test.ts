import fs from "node:fs";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP, generateTOTP } from "@oslojs/otp";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { createSession } from "../../server/auth/session";
import { confirmTotpEnrolment, startTotpEnrolment } from "../../server/auth/totp";
import { tableAmendment } from "../../server/domain/amendments";
import { createDraft } from "../../server/domain/drafts";
import { listBallots, putMotion } from "../../server/domain/motions";
import { createRound } from "../../server/domain/rounds";
import type { User } from "../../server/domain/users";
import { buildUser, TEST_PASSWORD } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { rangeOf } from "../text-ranges";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";

let server: TestServer;
let browser: Browser;
/**
 * Where the browser goes: the test server's port on localhost, not 127.0.0.1, because WebAuthn
 * takes the page's host name as the relying party's id and an IP address is not a valid one.
 */
let site: string;

const STEP_SECONDS = 30;

/** The key an authenticator app learns from the key typed off the security page. */
function keyOf(typed: string): Uint8Array {
  return decodeBase32IgnorePadding(typed.replace(/\s+/g, ""));
}

/** The code an authenticator app holding `key` shows now. */
function appCode(key: Uint8Array): string {
  return generateTOTP(key, STEP_SECONDS, 6);
}

/**
 * Sets up an authenticator app for `user` as if they had done it five minutes ago: the server
 * accepts each 30-second code once, so the code spent on setting it up must not be the one the
 * test then types. Returns the app's key.
 */
async function withApp(user: User): Promise<Uint8Array> {
  const earlier = new Date(Date.now() - 5 * 60_000);
  const key = keyOf((await startTotpEnrolment(user, earlier)).secret);
  const code = generateHOTP(key, BigInt(Math.floor(earlier.getTime() / 1000 / STEP_SECONDS)), 6);
  expect(await confirmTotpEnrolment(user.id, code, earlier)).toEqual({ ok: true });
  return key;
}

/** A browser context signed in as `user` with a session whose second factor was checked just now. */
async function signedInWithFactor(user: User): Promise<BrowserContext> {
  const context = await browser.newContext();
  const { token } = await createSession(user.id, "password+totp");
  await context.addCookies([{ name: "accord_session", value: token, url: site, httpOnly: true, sameSite: "Lax" }]);
  return context;
}

/** Types the email and password on the sign-in page; the caller waits for where it leads. */
async function submitPassword(page: Page, email: string): Promise<void> {
  await page.goto(`${site}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in with the password and then a code from the authenticator app. */
async function signInWithCode(page: Page, email: string, code: string): Promise<void> {
  await submitPassword(page, email);
  await page.waitForURL(`${site}/login/second-factor`);
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Confirm" }).click();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await page.waitForURL(`${site}/`);
}

/**
 * Gives the page Chromium's virtual authenticator: a platform authenticator that keeps
 * discoverable credentials, verifies its user and answers without anyone touching it.
 */
async function addVirtualAuthenticator(page: Page): Promise<() => Promise<{ isResidentCredential: boolean }[]>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
}

/** The recovery codes the security page shows just after a first factor was set up. */
function recoveryCodes(page: Page) {
  return page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
}

/** A draft in its voting phase with motion M-1 open on its amendment A-1. */
async function openMotion(name: string) {
  const secretariat = await buildUser({ role: "secretariat" });
  const title = `Code of Conduct (${name})`;
  const draft = await createDraft({ actor: secretariat, title, content: documentJson(title, ["Preamble."], [section("Assessment", clause("States should assess the risk."))]) });
  const uk = await buildUser({ delegation: "uk" });
  await tableAmendment(server.live, { actor: uk, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "should"), proposed: "shall", rationale: "Binding." });
  await createRound(server.live, { actor: secretariat, draftId: draft.id, round: { name: "Vote", phase: "voting", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false } });
  const motion = await putMotion(server.live, { actor: secretariat, draftId: draft.id, subject: { kind: "amendment", number: 1 }, rule: "majority", quorum: 1, deadline: new Date(Date.now() + 86_400_000) });
  return { draft, motion };
}

describe.skipIf(!HAVE_CHROMIUM)("the second factor in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer({ secondFactorPolicy: true });
    site = `http://localhost:${new URL(server.url).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("holds a head of delegation without a factor at the security page until they set up an authenticator app, and shows ten recovery codes once", async () => {
    const head = await buildUser({ role: "head", delegation: "fr", displayName: "Claire Dubois" });
    const context = await browser.newContext();
    const page = await openPage(context);
    await submitPassword(page, head.email);
    await page.waitForURL(/\/account\/security/);
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("you need a second factor to use Accord");
    await page.goto(`${site}/drafts`);
    await page.waitForURL(`${site}/account/security?redirectTo=%2Fdrafts`);
    await checkPage(page, "security-must-enrol");

    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    const typedKey = page.locator("code.totp-setup__secret");
    await typedKey.waitFor();
    await checkPage(page, "security-totp-setup");
    const key = keyOf((await typedKey.textContent()) ?? "");
    await page.getByLabel("The code the app shows now").fill(appCode(key));
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect.poll(() => page.getByText("Your authenticator app is turned on.").isVisible()).toBe(true);
    await expect.poll(() => recoveryCodes(page).count()).toBe(10);
    const shown = await recoveryCodes(page).allTextContents();
    expect(new Set(shown).size).toBe(10);
    await checkPage(page, "security-recovery-codes");
    // The codes can be kept as a text file, which holds the same ten.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download as a text file" }).click();
    const file = await (await download).path();
    const kept = fs.readFileSync(file, "utf8");
    for (const code of shown) expect(kept).toContain(code.trim());

    await page.reload();
    await expect.poll(() => page.getByText("You have 10 unused recovery codes.").isVisible()).toBe(true);
    expect(await recoveryCodes(page).count()).toBe(0);
    await checkPage(page, "security-enrolled");
    await page.getByRole("link", { name: "Continue" }).click();
    await page.waitForURL(`${site}/drafts`);
    await page.goto(`${site}/drafts`);
    expect(page.url()).toBe(`${site}/drafts`);
    await context.close();
  });

  it("adds, renames and removes a passkey, and signs in with it after the password and alone", async () => {
    const head = await buildUser({ role: "head", delegation: "dk", displayName: "Freja Nielsen" });
    const context = await browser.newContext();
    const page = await openPage(context);
    const credentials = await addVirtualAuthenticator(page);
    await submitPassword(page, head.email);
    await page.waitForURL(/\/account\/security/);

    await page.getByLabel("Name", { exact: true }).fill("Office laptop");
    await page.getByLabel("Let this passkey sign me in without my password").check();
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("The passkey “Office laptop” was added.");
    await expect.poll(() => recoveryCodes(page).count()).toBe(10);
    expect(await page.locator(".factor-list__item").textContent()).toContain("Signs in alone");
    expect(await credentials()).toEqual([expect.objectContaining({ isResidentCredential: true })]);
    await checkPage(page, "security-passkey-added");

    await page.getByLabel("New name for “Office laptop”").fill("Delegation laptop");
    await page.getByRole("button", { name: "Rename" }).click();
    await expect.poll(() => page.locator(".factor-list__item strong").textContent()).toBe("Delegation laptop");
    await signOut(page);

    await submitPassword(page, head.email);
    await page.waitForURL(`${site}/login/second-factor`);
    await checkPage(page, "second-factor-sign-in-passkey");
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await page.waitForURL(`${site}/drafts`);
    await signOut(page);

    await page.goto(`${site}/login`);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(`${site}/drafts`);
    await expect.poll(() => page.getByText("Signed in as Freja Nielsen").isVisible()).toBe(true);

    // Her only factor stays: her role needs one.
    await page.goto(`${site}/account/security`);
    await expect.poll(() => page.getByText("This session was signed in with: a passkey").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Remove the passkey “Delegation laptop”" }).click();
    await expect.poll(() => page.getByRole("alert").first().textContent()).toBe("Your role needs a second factor: add another before removing this one.");
    expect(await page.locator(".factor-list__item strong").textContent()).toBe("Delegation laptop");
    // The refusal's answer is a 409, which the browser logs.
    const refused = { allowConsole: [/status of 409/] };
    await checkPage(page, "security-last-factor-kept", refused);

    // With an authenticator app as well, the passkey may go.
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    const typedKey = page.locator("code.totp-setup__secret");
    await typedKey.waitFor();
    await page.getByLabel("The code the app shows now").fill(appCode(keyOf((await typedKey.textContent()) ?? "")));
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect.poll(() => page.getByText("Your authenticator app is turned on.").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Remove the passkey “Delegation laptop”" }).click();
    await expect.poll(() => page.getByText("The passkey was removed.").isVisible()).toBe(true);
    await expect.poll(() => page.getByText("You have no passkey yet.").isVisible()).toBe(true);
    await checkPage(page, "security-passkey-removed", refused);
    await context.close();
  });

  it("asks a head for a code before a ballot once the last check is more than ten minutes old, and casts the ballot as typed", async () => {
    const head = await buildUser({ role: "head", delegation: "no", displayName: "Ingrid Berg" });
    const key = await withApp(head);
    const { draft, motion } = await openMotion("step-up test");

    const page = await openPage(await signedInWithFactor(head));
    await server.database.sql`UPDATE sessions SET second_factor_at = now() - interval '11 minutes' WHERE user_id = ${head.id}`;
    await page.goto(`${site}/drafts/${draft.slug}/motions/1`);
    const explanation = "Norway accepts a binding text.";
    await page.getByRole("radio", { name: "Yes", exact: true }).check();
    await page.getByLabel("Explanation of vote (optional)").fill(explanation);
    await page.getByRole("button", { name: "Cast the ballot" }).click();

    const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
    await dialog.waitFor();
    expect(await page.getByLabel("Explanation of vote (optional)").inputValue()).toBe(explanation);
    expect(await listBallots(motion.id)).toEqual([]);
    await checkPage(page, "step-up-dialog");
    await dialog.getByLabel("Code").fill(appCode(key));
    await dialog.getByRole("button", { name: "Confirm" }).click();

    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Your delegation's ballot is recorded.");
    await expect.poll(() => page.getByText("Your delegation voted: Yes.").isVisible()).toBe(true);
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect(await page.locator('tr[data-delegation="no"]').textContent()).toContain(explanation);
    expect(await listBallots(motion.id)).toEqual([expect.objectContaining({ delegationCode: "no", choice: "yes", explanation, castBy: head.id })]);
    await page.context().close();
  });

  it("asks for a passkey before a ballot once the last check is old, and casts the ballot the head typed", async () => {
    const head = await buildUser({ role: "head", delegation: "ca", displayName: "Claire Tremblay" });
    const { draft, motion } = await openMotion("passkey step-up");
    const context = await browser.newContext();
    const page = await openPage(context);
    await addVirtualAuthenticator(page);
    await submitPassword(page, head.email);
    await page.waitForURL(/\/account\/security/);
    await page.getByLabel("Name", { exact: true }).fill("Work phone");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect.poll(() => recoveryCodes(page).count()).toBe(10);

    await server.database.sql`UPDATE sessions SET second_factor_at = now() - interval '11 minutes' WHERE user_id = ${head.id}`;
    await page.goto(`${site}/drafts/${draft.slug}/motions/1`);
    const explanation = "Canada objects to the wording.";
    await page.getByRole("radio", { name: "No", exact: true }).check();
    await page.getByLabel("Explanation of vote (optional)").fill(explanation);
    await page.getByRole("button", { name: "Cast the ballot" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
    await dialog.waitFor();
    expect(await listBallots(motion.id)).toEqual([]);
    await dialog.getByRole("button", { name: "Use a passkey" }).click();
    await expect.poll(() => page.getByText("Your delegation voted: No.").isVisible()).toBe(true);
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect(await listBallots(motion.id)).toEqual([expect.objectContaining({ delegationCode: "ca", choice: "no", explanation, castBy: head.id })]);
    await checkPage(page, "ballot-after-passkey-step-up");
    await context.close();
  });

  it("asks the secretariat for a code before the audit export and then downloads it; without the dialog, the confirm page leads back to it", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const key = await withApp(secretariat);
    const context = await signedInWithFactor(secretariat);
    const page = await openPage(context);
    await server.database.sql`UPDATE sessions SET second_factor_at = now() - interval '11 minutes' WHERE user_id = ${secretariat.id}`;
    await page.goto(`${site}/admin/audit`);
    await page.getByRole("link", { name: "Download as CSV" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
    await dialog.waitFor();
    await dialog.getByLabel("Code").fill("000000" === appCode(key) ? "111111" : "000000");
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toContain("That code is not right");
    const download = page.waitForEvent("download");
    await dialog.getByLabel("Code").fill(appCode(key));
    await dialog.getByRole("button", { name: "Confirm" }).click();
    expect((await download).suggestedFilename()).toMatch(/\.csv$/);

    // A browser that follows the link itself (no dialog) confirms on a page of its own, then downloads.
    await server.database.sql`UPDATE sessions SET second_factor_at = now() - interval '11 minutes' WHERE user_id = ${secretariat.id}`;
    await page.goto(`${site}/account/confirm?redirectTo=${encodeURIComponent("/admin/audit")}`);
    // The wrong code above was answered 401, which the browser logs.
    await checkPage(page, "confirm-second-factor", { allowConsole: [/status of 401/] });
    const step = Math.floor(Date.now() / 30_000) + 1;
    await page.getByLabel("Code").fill(generateHOTP(key, BigInt(step), 6));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.waitForURL(`${site}/admin/audit`);
    const [session] = await server.database.sql<{ at: Date }[]>`SELECT second_factor_at AS at FROM sessions WHERE user_id = ${secretariat.id}`;
    expect(Date.now() - (session?.at.getTime() ?? 0)).toBeLessThan(60_000);
    await context.close();
  });

  it("lets the secretariat reset a head's lost factor after writing how it checked, so that the head sets up a new one at the next sign-in", async () => {
    const secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    const secretariatKey = await withApp(secretariat);
    const head = await buildUser({ role: "head", delegation: "ca", displayName: "Ryan MacLeod" });
    await withApp(head);
    const headBefore = await openPage(await signedInWithFactor(head));
    await headBefore.goto(`${site}/drafts`);
    await expect.poll(() => headBefore.getByText("Signed in as Ryan MacLeod").isVisible()).toBe(true);

    const admin = await openPage(await browser.newContext());
    await signInWithCode(admin, secretariat.email, appCode(secretariatKey));
    await admin.waitForURL(`${site}/drafts`);
    await admin.goto(`${site}/admin/security`);
    await checkPage(admin, "admin-security");
    await admin.getByRole("link", { name: "Reset the second factor of Ryan MacLeod" }).click();
    await admin.waitForURL(`${site}/accounts/${head.id}/second-factor`);
    const check = "Called him on the number in the delegation list; he confirmed he lost his phone.";
    await admin.getByLabel("How you checked it was them").fill(check);
    await checkPage(admin, "reset-second-factor");
    await admin.getByRole("button", { name: "Reset the second factor" }).click();
    await expect.poll(() => admin.getByRole("status").first().textContent()).toContain("Done. Ryan MacLeod was signed out and told by e-mail");
    await checkPage(admin, "reset-second-factor-done");

    // His open session ended; signing in again asks for no code and leads to setting up a factor.
    await headBefore.goto(`${site}/drafts`);
    await headBefore.waitForURL(/\/login\?redirectTo=/);
    const headAfter = await openPage(await browser.newContext());
    await submitPassword(headAfter, head.email);
    await headAfter.waitForURL(/\/account\/security/);
    await expect.poll(() => headAfter.getByText("No authenticator app is set up.").isVisible()).toBe(true);

    const mail = await server.database.sql<{ subject: string }[]>`SELECT subject FROM outbox WHERE recipient = ${head.email}`;
    expect(mail).toEqual([{ subject: "Your second factor on Accord was reset" }]);
    const audit = await server.database.sql<{ actorId: string; details: { check: string } }[]>`
      SELECT actor_id AS "actorId", details FROM audit_events WHERE action = 'second-factor.reset' AND target_id = ${head.id}`;
    expect(audit).toEqual([{ actorId: secretariat.id, details: expect.objectContaining({ check }) }]);
    await Promise.all([headBefore.context().close(), headAfter.context().close(), admin.context().close()]);
  });

  it("refuses an authenticator code at sign-in that was already used to sign in", async () => {
    const head = await buildUser({ role: "head", delegation: "nl" });
    const code = appCode(await withApp(head));
    const first = await openPage(await browser.newContext());
    await signInWithCode(first, head.email, code);
    await first.waitForURL(`${site}/drafts`);

    const second = await openPage(await browser.newContext());
    await signInWithCode(second, head.email, code);
    await expect.poll(() => second.getByText("That code is not right, or has been used already.").isVisible()).toBe(true);
    expect(second.url()).toBe(`${site}/login/second-factor`);
    await checkPage(second, "second-factor-code-refused", { allowConsole: [/status of 401/] });
    await Promise.all([first.context().close(), second.context().close()]);
  });
});
