import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bracketsIn } from "../../schema/brackets";
import { clause, documentJson, section } from "../../schema/content";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { loadStoredText } from "../../server/domain/versions";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser } from "./browser";
import { draftText, openDraft, selectWords, signedInContext } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let secretariat: User;
let french: User;

// What a reader sees: innerText leaves out the alternatives the clean view hides.
const wordsOf = async (page: Page) => (await draftText(page).innerText()).replace(/\u2060[^\u2060]*\u2060/g, "");

describe.skipIf(!HAVE_CHROMIUM)("brackets in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    french = await buildUser({ delegation: "fr", displayName: "Fatima France" });
    draft = await createDraft({
      actor: secretariat,
      title: "Code of Conduct (brackets test)",
      content: documentJson("Code of Conduct (brackets test)", ["The partner States adopt this code."], [section("Assessment", clause("States assess each licence against human rights criteria."))]),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lets a delegate bracket words with an alternative, shows them bracketed or clean, and the secretariat resolve them", async () => {
    const paris = await openDraft(await signedInContext(browser, server.url, french.id), server.url, draft.slug);
    await selectWords(paris, "each");
    await paris.getByRole("button", { name: "Bracket", exact: true }).click();
    const form = paris.getByRole("region", { name: "Put the selected words in brackets" });
    await form.getByLabel("Other alternatives (one per line, optional)").fill("every");
    await checkPage(paris, "brackets-form");
    await form.getByRole("button", { name: "Put in brackets" }).click();
    await expect.poll(() => wordsOf(paris)).toContain("States assess [each / every] licence");
    await expect.poll(async () => bracketsIn((await loadStoredText(draft.id)).node).map((bracket) => bracket.options.map((item) => [item.text, item.supporters.join(",")])), { timeout: 5000 }).toEqual([
      [
        ["each", ""],
        ["every", "fr"],
      ],
    ]);

    // The writer's own list of open brackets follows the text without a reload.
    await expect.poll(() => paris.getByRole("region", { name: "Open brackets" }).textContent()).toContain("supported by France");

    // France also supports the first alternative, from the panel: an edit of the text, stored.
    await paris.getByRole("region", { name: "Open brackets" }).getByRole("button", { name: "Support alternative 1 for France" }).click();
    await expect.poll(async () => bracketsIn((await loadStoredText(draft.id)).node).map((bracket) => bracket.options.map((item) => item.supporters.join(","))), { timeout: 5000 }).toEqual([["fr", "fr"]]);
    await expect.poll(() => paris.getByRole("region", { name: "Open brackets" }).getByRole("button", { name: "Withdraw France’s support for alternative 1" }).count()).toBe(1);

    // The secretariat finds it listed, reads the clean text, and keeps the French alternative.
    const sec = await openDraft(await signedInContext(browser, server.url, secretariat.id), server.url, draft.slug);
    const panel = sec.getByRole("region", { name: "Open brackets" });
    await expect.poll(() => panel.textContent()).toContain("supported by France");
    await checkPage(sec, "brackets-panel");
    await panel.getByLabel("Read the clean text (first alternatives)").check();
    await expect.poll(() => wordsOf(sec)).toContain("States assess each licence");
    await panel.getByLabel("Show the brackets").check();
    await panel.getByLabel("Keep alternative 2: “every”").check();
    await panel.getByRole("button", { name: "Resolve the bracket" }).click();
    for (const page of [sec, paris]) await expect.poll(() => wordsOf(page), { timeout: 10_000 }).toContain("States assess every licence against");
    await expect.poll(() => panel.textContent()).toContain("No brackets are open in this text.");
    await expect.poll(() => paris.getByRole("region", { name: "Open brackets" }).textContent()).toContain("No brackets are open in this text.");
  }, 90_000);
});
