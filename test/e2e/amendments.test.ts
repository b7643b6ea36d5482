import type { Browser, BrowserContext, Page } from "playwright-core";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";

import { tableAmendment } from "../../server/domain/amendments";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser } from "./browser";
import { draftText, openDraft as openDraftPage, selectWords, signedInContext as signedInAs } from "./draft-pages";
import { rangeOf } from "../text-ranges";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let secretariat: User;
let british: User;

const CLAUSE = "Participating States shall assess the risk of serious violations of human rights before granting a licence.";

const signedInContext = (user: User): Promise<BrowserContext> => signedInAs(browser, server.url, user.id);
const openDraft = (context: BrowserContext): Promise<Page> => openDraftPage(context, server.url, draft.slug);

/** The editor's words, without others' cursor labels (drawn between word joiners). */
async function wordsOf(page: Page): Promise<string> {
  return ((await draftText(page).textContent()) ?? "").replace(/\u2060[^\u2060]*\u2060/g, "");
}

/** The ProseMirror range of `words` in the draft's stored text. */

describe.skipIf(!HAVE_CHROMIUM)("amendments in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    british = await buildUser({ delegation: "uk", displayName: "Harriet Clarke" });
    draft = await createDraft({
      actor: secretariat,
      title: "Code of Conduct (amendments test)",
      content: documentJson("Code of Conduct (amendments test)", ["The partner States adopt this code."], [section("Assessment", clause(CLAUSE))]),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lets a British delegate table an amendment that the secretariat sees arrive, adopts, and both browsers show the new text", async () => {
    const sec = await openDraft(await signedInContext(secretariat));
    const uk = await openDraft(await signedInContext(british));

    await selectWords(uk, "serious violations");
    await uk.getByRole("button", { name: "Table an amendment" }).click();
    const form = uk.getByRole("region", { name: "Table an amendment" });
    await expect.poll(() => form.locator("q").textContent()).toBe("serious violations");
    await form.getByLabel("Proposed text").fill("gross or systematic violations");
    await form.getByLabel("Rationale").fill("Aligns the code with the Arms Trade Treaty's wording.");
    await checkPage(uk, "amendments-tabling");
    await form.getByRole("button", { name: "Table the amendment" }).click();

    // The British page lists it and draws it in the text as a redline.
    const ukItem = uk.locator("li.amendment[data-amendment='A-1']");
    await expect.poll(() => ukItem.getAttribute("data-status")).toBe("open");
    await expect.poll(() => draftText(uk).locator(".redline-deleted").textContent()).toBe("serious violations");
    await expect.poll(() => draftText(uk).locator(".redline-inserted").textContent()).toBe("gross or systematic violationsA-1");
    expect(await ukItem.textContent()).toContain("Tabled by United Kingdom");

    // The secretariat's open page receives it without a reload, with the redline.
    const secItem = sec.locator("li.amendment[data-amendment='A-1']");
    await expect.poll(() => secItem.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => draftText(sec).locator(".redline-deleted").textContent()).toBe("serious violations");
    await checkPage(sec, "amendments-secretariat");
    // The redline can be hidden and shown again.
    await sec.getByLabel("Show open amendments in the text").uncheck();
    await expect.poll(() => draftText(sec).locator(".redline-deleted").count()).toBe(0);
    await sec.getByLabel("Show open amendments in the text").check();
    await expect.poll(() => draftText(sec).locator(".redline-deleted").count()).toBe(1);

    // "Show in the text" selects the words where they stand.
    await secItem.getByRole("button", { name: "Show A-1 in the text" }).click();
    await expect.poll(() => sec.evaluate(() => window.getSelection()?.toString())).toBe("serious violations");

    await secItem.getByRole("button", { name: "Adopt A-1" }).click();
    const adopted = "assess the risk of gross or systematic violations of human rights before granting a licence.";
    for (const page of [sec, uk]) {
      await expect.poll(() => wordsOf(page), { timeout: 10_000 }).toContain(adopted);
      await expect.poll(() => page.locator("li.amendment[data-amendment='A-1']").getAttribute("data-status"), { timeout: 10_000 }).toBe("adopted");
      // An adopted amendment is no longer drawn as a proposal.
      await expect.poll(() => draftText(page).locator(".redline-deleted, .redline-inserted").count()).toBe(0);
    }
    expect(await wordsOf(uk)).not.toContain("serious violations");
    await checkPage(uk, "amendments-adopted");
  });

  it("shows the secretariat a side-by-side when the words changed since tabling, and adopts as proposed once confirmed", async () => {
    const delegate = await buildUser({ delegation: "fr", displayName: "Camille Roux" });
    const range = await rangeOf(draft.id, "before granting a licence");
    await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "replace", range, proposed: "before any licence is granted", rationale: "Clearer." });
    await server.accord.collab.texts.editDocument({
      draftId: draft.id,
      author: { userId: british.id, delegationCode: "uk" },
      edit: (doc) => {
        const sectionElement = doc.getXmlFragment("prosemirror").get(2) as Y.XmlElement;
        const text = ((sectionElement.get(1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
        text.insert(text.toString().indexOf("licence"), "national ");
      },
    });

    const sec = await openDraft(await signedInContext(secretariat));
    const item = sec.locator("li.amendment[data-amendment='A-2']");
    await expect.poll(() => item.textContent()).toContain("The text has changed since this amendment was tabled.");
    await item.getByRole("button", { name: "Adopt A-2" }).click();
    const compare = item.locator(".side-by-side");
    await expect.poll(() => compare.count()).toBe(1);
    expect(await compare.locator("dd").allTextContents()).toEqual([
      "before granting a licence",
      "before granting a national licence",
      "before any licence is granted",
    ]);
    await checkPage(sec, "amendments-side-by-side");
    await item.getByRole("button", { name: "Adopt A-2 as proposed" }).click();
    await expect.poll(() => item.getAttribute("data-status"), { timeout: 10_000 }).toBe("adopted");
    await expect.poll(() => wordsOf(sec)).toContain("of human rights before any licence is granted.");
  });
});
