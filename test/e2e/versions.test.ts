import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { loadStoredText } from "../../server/domain/versions";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";
import { draftText, openDraft as openDraftPage, signedInContext as signedInAs } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let secretariat: User;
let delegate: User;

// Pages answer more slowly while other suites share the machine.
const WAIT = { timeout: 10_000 };

const signedInContext = (user: User): Promise<BrowserContext> => signedInAs(browser, server.url, user.id);
const openDraft = (context: BrowserContext): Promise<Page> => openDraftPage(context, server.url, draft.slug);

async function saveVersion(page: Page, name: string, note: string): Promise<void> {
  await page.getByRole("link", { name: "Versions", exact: true }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Note").fill(note);
  await page.getByRole("button", { name: "Save a version" }).click();
  await expect.poll(() => page.getByRole("heading", { level: 1 }).first().textContent(), WAIT).toContain(name);
}

describe.skipIf(!HAVE_CHROMIUM)("versions in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    delegate = await buildUser({ delegation: "nl", displayName: "Daan de Vries" });
    const title = "Code of Conduct (versions test)";
    draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lets a delegate save two versions around an edit and compare them, and the secretariat restore the first", async () => {
    const nl = await openDraft(await signedInContext(delegate));
    await saveVersion(nl, "First reading", "Before the Dutch proposal.");
    await checkPage(nl, "versions-saved");
    expect(await nl.getByText("SHA-256 of the text").count()).toBe(1);

    // Back in the draft, the delegate adds words to the first clause.
    await nl.goto(`${server.url}/drafts/${draft.slug}`);
    await nl.locator('.editor__mount[data-synced="true"]').waitFor();
    const firstClause = draftText(nl).locator(".clause").first();
    await firstClause.locator("p").first().click();
    await nl.keyboard.press("End");
    await nl.keyboard.type(" Dutch addition.", { delay: 10 });
    // Saved versions are taken from the stored text: wait until the edit is stored.
    await expect.poll(async () => (await loadStoredText(draft.id)).node.textContent, WAIT).toContain("Dutch addition.");
    await saveVersion(nl, "Second reading", "With the Dutch proposal.");

    // Compare v1 with v2 through the picker.
    await nl.getByRole("link", { name: /All versions of/ }).click();
    await expect.poll(() => new URL(nl.url()).pathname, WAIT).toBe(`/drafts/${draft.slug}/versions`);
    await expect.poll(() => nl.getByRole("heading", { name: "Saved versions" }).count(), WAIT).toBe(1);
    const picker = nl.getByRole("form", { name: "Compare two versions" });
    await picker.getByLabel("From").selectOption("1");
    await picker.getByLabel("To").selectOption("2");
    await expect.poll(async () => [await picker.getByLabel("From").inputValue(), await picker.getByLabel("To").inputValue()], WAIT).toEqual(["1", "2"]);
    await picker.getByRole("button", { name: "Compare" }).click();
    await expect.poll(() => nl.url(), WAIT).toContain(`/drafts/${draft.slug}/compare/1/2`);
    await expect.poll(() => nl.locator(".redline-summary").textContent(), WAIT).toBe("1 clause changed");
    const inserted = nl.locator(".redline .clause ins");
    // "End" ends the visual line, so the words may land inside the paragraph: only they are marked.
    await expect.poll(async () => (await inserted.allTextContents()).join(" ").replace(/\s+/g, " ").trim(), WAIT).toBe("Dutch addition.");
    expect(await nl.locator(".redline .clause del").count()).toBe(0);
    await checkPage(nl, "versions-redline");

    // The secretariat restores v1; both live editors show the old text again.
    const dutchDraft = await openDraft(nl.context());
    await expect.poll(() => draftText(dutchDraft).textContent(), WAIT).toContain("Dutch addition.");
    const sec = await openPage(await signedInContext(secretariat));
    await sec.goto(`${server.url}/drafts/${draft.slug}/versions/1`);
    await sec.getByRole("link", { name: "Restore v1…" }).click();
    await expect.poll(() => sec.getByRole("heading", { name: "Restore v1?" }).count(), WAIT).toBe(1);
    await checkPage(sec, "versions-restore-confirm");
    await sec.getByRole("button", { name: "Yes, restore v1" }).click();
    await expect.poll(() => new URL(sec.url()).pathname, WAIT).toBe(`/drafts/${draft.slug}`);
    await sec.locator('.editor__mount[data-synced="true"]').waitFor();
    await expect.poll(() => draftText(sec).textContent(), WAIT).not.toContain("Dutch addition.");
    expect(await draftText(sec).textContent()).toContain("This Code sets out political commitments");
    await expect.poll(() => draftText(dutchDraft).textContent(), WAIT).not.toContain("Dutch addition.");
  });
});
