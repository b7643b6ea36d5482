import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocJson } from "../../schema/content";
import { schema } from "../../schema/prosemirror";

import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";
import { signedInContext } from "./draft-pages";
import { editText } from "../../server/domain/live-texts";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let secretariat: User;

/** Saves the draft's current text as a version, from the versions page. */
async function saveVersion(page: Page, name: string): Promise<void> {
  await page.goto(`${server.url}/drafts/${draft.slug}`);
  await page.getByRole("link", { name: "Versions", exact: true }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Save a version" }).click();
  await expect.poll(() => page.getByRole("heading", { level: 1 }).first().textContent()).toContain(name);
}

/** Publishes the version on screen, from its page; lands on its public page. */
async function publish(page: Page, number: number, publicTitle: string, statusLabel: string): Promise<void> {
  await page.getByLabel("Public title").fill(publicTitle);
  await page.getByLabel("Summary").fill(`Version ${number} of the code, for comment by academia, industry and civil society.`);
  await page.getByLabel("Status").fill(statusLabel);
  await page.getByLabel("Amendments and positions in public views").selectOption("anonymous");
  await page.getByRole("button", { name: `Publish version ${number}` }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(`/p/${draft.slug}/v/${number}`);
}

describe.skipIf(!HAVE_CHROMIUM)("publication in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    const title = "Code of Conduct (publication test)";
    draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lets the secretariat publish two versions, and an anonymous reader read, follow a clause, compare and download", async () => {
    const sec = await openPage(await signedInContext(browser, server.url, secretariat.id));
    await saveVersion(sec, "First reading");
    await checkPage(sec, "publication-form");
    await publish(sec, 1, "Code of Conduct: first consultation", "Consultation draft");

    // The text moves on (a clause added to the last section), and the next version is published.
    await editText(server.live.texts, {
      draftId: draft.id,
      author: { userId: secretariat.id, delegationCode: null },
      change: (current) => {
        const json = current.toJSON() as DocJson;
        const last = json.content?.filter((node) => node.type === "section").at(-1);
        last?.content?.push({
          type: "clause",
          attrs: { id: "c-review-conference" },
          content: [{ type: "paragraph", content: [{ type: "text", text: "A review conference will be held in 2029." }] }],
        });
        return schema.nodeFromJSON(json);
      },
    });
    await saveVersion(sec, "Second reading");
    await publish(sec, 2, "Code of Conduct: second consultation", "Consultation draft");
    await sec.context().close();

    // Someone with no account finds the text on the home page.
    const reader = await openPage(await browser.newContext());
    await reader.goto(server.url);
    await reader.getByRole("link", { name: "Code of Conduct: second consultation" }).click();
    await expect.poll(() => new URL(reader.url()).pathname).toBe(`/p/${draft.slug}`);
    await expect.poll(() => reader.getByRole("heading", { level: 1 }).textContent()).toBe("Code of Conduct: second consultation");
    expect(await reader.locator(".published__facts code").textContent()).toMatch(/^[0-9a-f]{64}$/);
    await checkPage(reader, "publication-latest");

    // The contents link to a clause by its stable anchor.
    await reader.getByRole("navigation", { name: "Contents" }).getByRole("link", { name: "5.3", exact: true }).click();
    await expect.poll(() => new URL(reader.url()).hash).toBe("#clause-c-review-conference");
    const clause = reader.locator("#clause-c-review-conference");
    await expect.poll(() => clause.evaluate((element) => element.matches(":target"))).toBe(true);
    expect(await clause.isVisible()).toBe(true);
    expect(await clause.textContent()).toContain("A review conference will be held in 2029.");

    // It compares the two publications.
    await reader.getByRole("link", { name: "Compare v1 with v2" }).click();
    await expect.poll(() => new URL(reader.url()).pathname).toBe(`/p/${draft.slug}/compare/1/2`);
    await expect.poll(() => reader.getByRole("status").textContent()).toContain("1 clause added");
    expect(await reader.locator("#clause-c-review-conference ins").textContent()).toContain("review conference");
    await checkPage(reader, "publication-compare");

    // It downloads the PDF of version 2, whose text has the new clause under its number.
    await reader.getByRole("link", { name: "Read version 2" }).click();
    await expect.poll(() => new URL(reader.url()).pathname).toBe(`/p/${draft.slug}/v/2`);
    const [download] = await Promise.all([reader.waitForEvent("download"), reader.getByRole("link", { name: "PDF", exact: true }).click()]);
    expect(download.suggestedFilename()).toBe(`${draft.slug}-v2.pdf`);
    const bytes = fs.readFileSync(await download.path());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
    expect(text.replace(/\s+/g, " ")).toContain("5.3 A review conference will be held in 2029.");
    await reader.context().close();
  });

  it("reads and compares without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/p/${draft.slug}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Code of Conduct: second consultation");
    await page.getByRole("group", { name: "Compare two published versions" }).getByRole("button", { name: "Compare" }).click();
    await page.waitForURL(`${server.url}/p/${draft.slug}/compare/1/2`);
    expect(await page.getByRole("status").textContent()).toContain("1 clause added");
    await context.close();
  });
});
