import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { applyDueTransitions, createRound } from "../../server/domain/rounds";
import type { User } from "../../server/domain/users";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser } from "./browser";
import { draftText, openDraft as openDraftPage, signedInContext as signedInAs } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let draft: Draft;

const signedInContext = (user: User): Promise<BrowserContext> => signedInAs(browser, server.url, user.id);

/** Opens the draft and waits until the page listens to the draft's events. */
async function openDraft(user: User, slug = draft.slug): Promise<Page> {
  const page = await openDraftPage(await signedInContext(user), server.url, slug);
  // A step that cannot happen fails with its locator, well before the test's own timeout.
  page.setDefaultTimeout(8_000);
  await page.locator('.annotations[data-live="true"]').waitFor();
  return page;
}

/** Selects `words` in the editor as a person would with the mouse; `caret` puts the cursor just before them instead. */
async function select(page: Page, words: string, options: { caret?: boolean } = {}): Promise<void> {
  await draftText(page).focus();
  await draftText(page)
    .locator("p", { hasText: words })
    .first()
    .evaluate(
      (element, { wanted, caret }) => {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const index = (node.textContent ?? "").indexOf(wanted);
          if (index === -1) continue;
          const range = document.createRange();
          range.setStart(node, index);
          range.setEnd(node, caret ? index : index + wanted.length);
          const selection = window.getSelection();
          selection?.removeAllRanges();
          selection?.addRange(range);
          return;
        }
        throw new Error(`no "${wanted}" in the paragraph`);
      },
      { wanted: words, caret: options.caret ?? false },
    );
}

/** Selects `words` and asks to comment on them. */
async function commentOn(page: Page, words: string): Promise<void> {
  await select(page, words);
  await page.getByRole("toolbar", { name: /Selected text/ }).getByRole("button", { name: "Comment" }).click();
}

const card = (page: Page, text: string): Locator => page.locator(".thread-card", { hasText: text });

describe.skipIf(!HAVE_CHROMIUM)("annotations in the browser", () => {
  let secretariat: User;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat" });
    const title = "Code of Conduct (annotations test)";
    draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows a Dutch delegate's comment to a Danish delegate's open page, highlighted in the text, and the Danish reply to the Dutch", async () => {
    const dutch = await buildUser({ delegation: "nl", displayName: "Sanne de Vries" });
    const danish = await buildUser({ delegation: "dk", displayName: "Freja Nielsen" });
    const dk = await openDraft(danish);
    const nl = await openDraft(dutch);

    await commentOn(nl, "political commitments");
    await nl.getByLabel("Your comment").fill("Should this not say legal commitments?");
    await nl.getByRole("button", { name: "Post comment" }).click();
    await expect.poll(() => card(nl, "Should this not say legal commitments?").count()).toBe(1);
    await expect.poll(() => draftText(nl).locator(".annotation-highlight").first().textContent()).toBe("political commitments");

    const threadId = await card(nl, "Should this not say legal commitments?").getAttribute("data-thread-id");
    const dutchCard = nl.locator(`.thread-card[data-thread-id="${threadId}"]`);
    const danishCard = dk.locator(`.thread-card[data-thread-id="${threadId}"]`);

    // The Danish page learns of it without a reload: the card, and the words highlighted.
    await expect.poll(() => danishCard.count(), { timeout: 5_000 }).toBe(1);
    await expect.poll(() => draftText(dk).locator(".annotation-highlight").first().textContent()).toBe("political commitments");
    expect(await danishCard.textContent()).toContain("Sanne de Vries");
    expect(await danishCard.textContent()).toContain("“political commitments”");
    await checkPage(dk, "annotations-danish-sees-thread");

    // Clicking the highlight makes its card the active one.
    await draftText(dk).locator(".annotation-highlight").first().click();
    await expect.poll(() => danishCard.getAttribute("class")).toContain("thread-card--active");

    await danishCard.getByLabel("Reply to Sanne de Vries").fill("Political is the agreed wording. @Netherlands");
    await danishCard.getByRole("button", { name: "Reply" }).click();
    await expect.poll(() => danishCard.locator(".comment").count()).toBe(2);

    await expect.poll(() => dutchCard.textContent(), { timeout: 5_000 }).toContain("Political is the agreed wording.");
    expect(await dutchCard.textContent()).toContain("Freja Nielsen");
    await checkPage(nl, "annotations-dutch-sees-reply");

    // The highlight follows its words through the other's typing before them.
    await select(nl, "This Code sets out", { caret: true });
    await nl.keyboard.type("In short, ", { delay: 10 });
    await expect.poll(() => draftText(dk).locator("p", { hasText: "political commitments" }).first().textContent()).toMatch(/^In short, /);
    expect(await draftText(dk).locator(".annotation-highlight").first().textContent()).toBe("political commitments");
    expect(await draftText(nl).locator(".annotation-highlight").first().textContent()).toBe("political commitments");

    // Each edits or deletes their own comment; the other page shows it.
    await dutchCard.getByRole("button", { name: "Edit" }).click();
    await dutchCard.getByLabel("Edit your comment").fill("Should this not say legally binding commitments?");
    await dutchCard.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => danishCard.textContent(), { timeout: 5_000 }).toContain("legally binding commitments?");
    expect(await danishCard.textContent()).toContain("edited");
    expect(await danishCard.getByRole("button", { name: "Edit" }).count()).toBe(1);
    await danishCard.getByRole("button", { name: "Delete" }).click();
    await danishCard.getByRole("group", { name: "Delete this comment?" }).getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => dutchCard.textContent(), { timeout: 5_000 }).toContain("This comment was deleted.");
    expect(await dutchCard.textContent()).not.toContain("Political is the agreed wording.");

    // Filters: threads one is in, threads from one delegation.
    await dk.getByLabel("Only threads I am in").check();
    expect(await danishCard.count()).toBe(1);
    await dk.getByLabel("From").selectOption("dk");
    await expect.poll(() => danishCard.count()).toBe(0);
    await dk.getByLabel("From").selectOption("nl");
    await expect.poll(() => danishCard.count()).toBe(1);

    // The reply mentioned the Netherlands: the Dutch header counts it at once, and the list marks it read.
    await expect.poll(() => nl.getByTestId("unread-count").locator(".visually-hidden").textContent(), { timeout: 5_000 }).toBe("1 unread");
    await nl.getByRole("button", { name: /^Notifications/ }).click();
    const panel = nl.getByRole("region", { name: "Notifications" });
    await expect.poll(() => panel.textContent()).toContain("Freja Nielsen mentioned your delegation on “political commitments”");
    await expect.poll(() => nl.getByTestId("unread-count").count()).toBe(0);
    await checkPage(nl, "annotations-dutch-notifications");
  });

  it("keeps a Norwegian private note from the French delegate's page, which sees the Norwegian public comment made after it", async () => {
    const norwegian = await buildUser({ delegation: "no", displayName: "Ingrid Berg" });
    const french = await buildUser({ delegation: "fr", displayName: "Camille Martin" });
    const fr = await openDraft(french);
    const no = await openDraft(norwegian);
    const secret = "Oslo would accept dropping this clause.";

    await commentOn(no, "dual-use items");
    // An empty comment, and one the server refuses as too long, are refused beside the form, the text kept.
    const composer = no.locator(".annotation-composer");
    await no.getByRole("button", { name: "Post comment" }).click();
    await expect.poll(() => composer.getByRole("alert").textContent()).toBe("Write a comment first.");
    await no.getByLabel("Your comment").fill("x".repeat(5001));
    await no.getByRole("button", { name: "Post comment" }).click();
    await expect.poll(() => composer.getByRole("alert").textContent()).toBe("A comment has at most 5000 characters.");
    expect(await no.getByLabel("Your comment").inputValue()).toHaveLength(5001);
    await no.getByLabel("Your comment").fill(secret);
    await no.getByLabel("Only Norway (a private note)").check();
    await no.getByRole("button", { name: "Post comment" }).click();
    const privateCard = card(no, secret);
    await expect.poll(() => privateCard.count()).toBe(1);
    expect(await privateCard.textContent()).toContain("Private to Norway");
    await expect.poll(() => draftText(no).locator(".annotation-highlight--private").textContent()).toBe("dual-use items");

    await commentOn(no, "multilateral export control regimes");
    await no.getByLabel("Your comment").fill("Which regimes are meant?");
    await no.getByRole("button", { name: "Post comment" }).click();

    // Events reach a page in order: once the public comment is there, the private one would be too.
    await expect.poll(() => card(fr, "Which regimes are meant?").count(), { timeout: 5_000 }).toBe(1);
    expect(await fr.content()).not.toContain(secret);
    expect(await draftText(fr).locator(".annotation-highlight").allTextContents()).not.toContain("dual-use items");
    expect(await draftText(fr).locator(".annotation-highlight--private").count()).toBe(0);
    await fr.reload();
    await fr.locator('.annotations[data-live="true"]').waitFor();
    await expect.poll(() => card(fr, "Which regimes are meant?").count()).toBe(1);
    expect(await fr.content()).not.toContain(secret);
    await checkPage(fr, "annotations-french-without-private-note");

    // Norway resolves its public thread: it leaves the open list of both pages.
    await card(no, "Which regimes are meant?").getByRole("button", { name: "Resolve" }).click();
    await expect.poll(() => card(fr, "Which regimes are meant?").count(), { timeout: 5_000 }).toBe(0);
    await fr.getByLabel("Status").selectOption("resolved");
    await expect.poll(() => card(fr, "Which regimes are meant?").textContent()).toContain("Resolved");
    await checkPage(no, "annotations-norwegian-private-note", { allowConsole: [/status of 400/] });
  });

  it("moves a thread whose words are deleted to its own group on the other page, and catches up after the stream reconnects", async () => {
    const dutch = await buildUser({ delegation: "nl", displayName: "Daan Visser" });
    const danish = await buildUser({ delegation: "dk", displayName: "Mads Jensen" });
    const dk = await openDraft(danish);
    const nl = await openDraft(dutch);

    // From the keyboard: select the words, Alt+F10 to the actions, Enter on Comment.
    const words = "rights and obligations";
    await select(nl, words, { caret: true });
    for (let i = 0; i < words.length; i += 1) await nl.keyboard.press("Shift+ArrowRight");
    await nl.keyboard.press("Alt+F10");
    await expect.poll(() => nl.evaluate(() => document.activeElement?.textContent)).toBe("Comment");
    await nl.keyboard.press("Enter");
    await expect.poll(() => nl.evaluate(() => document.activeElement?.id)).toBe("composer-body");
    await nl.keyboard.type("Which obligations?");
    await nl.getByRole("button", { name: "Post comment" }).click();
    const danishCard = card(dk, "Which obligations?");
    await expect.poll(() => danishCard.count(), { timeout: 5_000 }).toBe(1);
    expect(await danishCard.textContent()).toContain(`“${words}”`);

    // The Dutch delegate deletes the words: the Danish page lists the thread apart, with its quote.
    await draftText(nl).focus();
    await nl.keyboard.press("Backspace");
    await expect.poll(() => draftText(dk).textContent(), { timeout: 5_000 }).not.toContain(words);
    const detached = dk.locator(".annotations__list--detached .thread-card", { hasText: "Which obligations?" });
    await expect.poll(() => detached.count()).toBe(1);
    expect(await detached.textContent()).toContain(`“${words}”`);

    // While the Danish page is cut off (its stream ended, the network gone), a thread is started; it
    // appears once the stream is back.
    await dk.context().setOffline(true);
    server.live.drafts.closeAll();
    await expect.poll(() => dk.locator(".annotations").getAttribute("data-live"), { timeout: 10_000 }).toBe("false");
    await commentOn(nl, "international law");
    await nl.getByLabel("Your comment").fill("Customary law too?");
    await nl.getByRole("button", { name: "Post comment" }).click();
    await expect.poll(() => card(nl, "Customary law too?").count()).toBe(1);
    await dk.waitForTimeout(500);
    expect(await card(dk, "Customary law too?").count()).toBe(0);
    await dk.context().setOffline(false);
    await expect.poll(() => card(dk, "Customary law too?").count(), { timeout: 10_000 }).toBe(1);

    // On a narrow screen the cards are a plain list below the text.
    expect(await dk.locator(".annotations--aligned").count()).toBe(1);
    await dk.setViewportSize({ width: 700, height: 900 });
    await expect.poll(() => dk.locator(".annotations--aligned").count()).toBe(0);
    expect(await dk.locator(".annotations__item").first().evaluate((item) => getComputedStyle(item).position)).toBe("static");
    await checkPage(dk, "annotations-narrow", { allowConsole: [/ERR_INTERNET_DISCONNECTED/] });
  });

  it("lets a delegate comment on a text that is read-only while the draft is in delegation review", async () => {
    const title = "Code of Conduct (review)";
    const reviewed = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
    const round = { name: "Review", phase: "review", instructions: "", observersComment: false } as const;
    await createRound(server.live, { actor: secretariat, draftId: reviewed.id, round: { ...round, startsAt: new Date(), endsAt: null } });
    await applyDueTransitions(server.live, { draftId: reviewed.id });
    const canadian = await buildUser({ delegation: "ca", displayName: "Olivia Tremblay" });
    const ca = await openDraft(canadian, reviewed.slug);
    await expect.poll(() => draftText(ca).getAttribute("contenteditable")).toBe("false");

    await commentOn(ca, "Universal Declaration of Human Rights");
    await ca.getByLabel("Your comment").fill("Cite the article too.");
    await ca.getByRole("button", { name: "Post comment" }).click();
    await expect.poll(() => card(ca, "Cite the article too.").count()).toBe(1);
    await expect.poll(() => draftText(ca).locator(".annotation-highlight").textContent()).toBe("Universal Declaration of Human Rights");
    await checkPage(ca, "annotations-read-only-text");
  });
});
