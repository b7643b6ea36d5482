import fs from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAmendments } from "../../server/domain/amendments";
import { findDraftBySlug } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { loadStoredText } from "../../server/domain/versions";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { markUpAsCapital } from "../word-capital";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";
import { draftText, openDraft, signedInContext } from "./draft-pages";

const FIXTURE = new URL("../fixtures/word/numbered-auto.docx", import.meta.url);

let server: TestServer;
let browser: Browser;
let secretariat: User;
let delegate: User;

describe.skipIf(!HAVE_CHROMIUM)("Word files in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    delegate = await buildUser({ delegation: "fr", displayName: "Fatima France" });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("imports a draft through the preview; a delegation sends a redline to its capital and tables the capital's changes", async () => {
    // The secretariat starts the draft from its Word file.
    const sec = await openPage(await signedInContext(browser, server.url, secretariat.id));
    await sec.goto(`${server.url}/drafts`);
    await sec.getByRole("link", { name: "Start from a Word file" }).click();
    await checkPage(sec, "word-import");
    await sec.getByLabel("Word document (.docx)").setInputFiles(FIXTURE.pathname);
    await sec.getByRole("button", { name: "Read the file" }).click();
    await sec.getByRole("heading", { level: 1, name: "Preview of numbered-auto.docx" }).waitFor();
    const structure = sec.getByRole("region", { name: "Structure found" });
    await expect.poll(() => structure.textContent()).toContain("Purpose");
    expect(await structure.textContent()).toContain("1.1");
    await checkPage(sec, "word-import-preview");
    await sec.getByLabel("Title").fill("Code imported from Word");
    await sec.getByRole("button", { name: "Create the draft from this file" }).click();
    await expect.poll(() => new URL(sec.url()).pathname).toMatch(/^\/drafts\/code-imported-from-word$/);
    const draft = await findDraftBySlug("code-imported-from-word");
    if (!draft) throw new Error("the draft was not created");

    // A French delegate adds words, then downloads the comparison of version 1 with the live text.
    const paris = await openDraft(await signedInContext(browser, server.url, delegate.id), server.url, draft.slug);
    await draftText(paris).getByText("It complements national law.").click();
    await paris.keyboard.press("End");
    await paris.keyboard.type(" Fully.");
    await expect.poll(async () => (await loadStoredText(draft.id)).node.textContent, { timeout: 5000 }).toContain("national law. Fully.");
    await paris.goto(`${server.url}/drafts/${draft.slug}/compare/1/live`);
    await checkPage(paris, "word-compare");
    const [download] = await Promise.all([paris.waitForEvent("download"), paris.getByRole("button", { name: "Download as Word with tracked changes" }).click()]);
    expect(download.suggestedFilename()).toBe(`${draft.slug}-v1-live.docx`);
    const redline = fs.readFileSync(await download.path());

    // The capital marks it up in Word and sends it back; the delegate brings it into Accord.
    const marked = markUpAsCapital(redline, [{ find: "within a month", replace: "within two weeks", author: "Paris", comment: "Capitals need faster answers." }]);
    await paris.goto(`${server.url}/drafts/${draft.slug}`);
    await paris.getByRole("link", { name: "Bring back a marked-up Word file" }).click();
    await paris.getByLabel("Marked-up Word document (.docx)").setInputFiles({ name: "from-paris.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: Buffer.from(marked) });
    await paris.getByRole("button", { name: "Read the file" }).click();
    await paris.getByRole("heading", { level: 1, name: "Amendments from from-paris.docx" }).waitFor();
    await checkPage(paris, "word-markup-review");
    const proposal = paris.getByRole("group").filter({ hasText: "Changed by Paris" });
    await expect.poll(() => proposal.getByLabel("Table this amendment").isChecked()).toBe(true);
    await proposal.getByLabel("Proposed text").fill("ten working days");
    await paris.getByRole("button", { name: "Table the chosen amendments" }).click();
    await paris.getByRole("status").filter({ hasText: "1 amendment tabled" }).waitFor();

    const amendments = await listAmendments({ draftId: draft.id });
    expect(amendments.map((amendment) => [amendment.delegationCode, amendment.quote, amendment.proposed, amendment.rationale])).toEqual([
      ["fr", "a month", "ten working days", "Capitals need faster answers."],
    ]);
  }, 90_000);
});
