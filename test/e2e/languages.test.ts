import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en, type MessageKey } from "../../i18n/en";
import { fr } from "../../i18n/fr";
import type { Language } from "../../i18n/languages";
import { clause, documentJson, section } from "../../schema/content";
import { createSession } from "../../server/auth/session";
import { setUserLanguage, type User } from "../../server/domain/users";
import { tableAmendment } from "../../server/domain/amendments";
import { createThread } from "../../server/domain/annotations";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { putMotion } from "../../server/domain/motions";
import { publishVersion } from "../../server/domain/publications";
import { saveVersion } from "../../server/domain/versions";
import { editText } from "../../server/domain/live-texts";
import { schema } from "../../schema/prosemirror";
import { listDraftClauses } from "../../server/domain/clause-status";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { rangeOf } from "../text-ranges";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";

let server: TestServer;
let browser: Browser;
let draft: Draft;
const people: Partial<Record<"secretariat" | "head" | "delegate" | "observer", User>> = {};

/**
 * The English interface text that French pages must never show: each message's fixed words (its
 * arguments taken out), where French says something else. Pieces shorter than a word or two would
 * match ordinary text by chance, and are left to the catalogue tests.
 */
const ENGLISH_PIECES: { key: MessageKey; piece: string }[] = (Object.keys(en) as MessageKey[]).flatMap((key) => {
  if (en[key] === fr[key]) return [];
  const pieces = en[key]
    .replace(/\{[^{}]*\{[^{}]*\}[^{}]*\}|\{[^{}]*\}/g, "\u0000")
    .split("\u0000")
    .map((piece) => piece.trim().replace(/^[\s.,:;·(—–-]+|[\s.,:;·)—–-]+$/g, ""));
  return pieces.filter((piece) => piece.length >= 8 && /\s/.test(piece) && !fr[key].includes(piece)).map((piece) => ({ key, piece }));
});

/** What a reader meets on the page in its own language: text and the labels read aloud, not what is marked as another language. */
async function pageWords(page: Page, options: { code: boolean } = { code: true }): Promise<string> {
  return page.evaluate(({ code }) => {
    const lang = document.documentElement.lang;
    const own = (element: Element | null) => (element?.closest("[lang]")?.getAttribute("lang") ?? lang) === lang;
    const words: string[] = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || ["SCRIPT", "STYLE", "NOSCRIPT"].includes(parent.tagName) || !own(parent)) continue;
      if (!code && parent.closest("code")) continue;
      words.push(node.textContent ?? "");
    }
    for (const element of document.body.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
      if (!own(element)) continue;
      for (const name of ["aria-label", "title", "placeholder", "alt"]) {
        const value = element.getAttribute(name);
        if (value) words.push(value);
      }
    }
    return words.join("\n").replace(/\s+/g, " ");
  }, options);
}

const KEYS = new Set<string>(Object.keys(en));

/** The catalogue keys that appear as such in a page's words: `drafts.textIn` shown instead of its message. */
function rawKeys(words: string): string[] {
  return [...words.matchAll(/[A-Za-z][\w-]*(?:\.[\w-]+)+/g)].map((match) => match[0]).filter((token) => KEYS.has(token));
}

type Reader = "public" | keyof typeof people;

/** The pages each kind of reader reaches, by address. */
function pagesOf(reader: Reader, slug: string): string[] {
  const draftPages = [`/drafts`, `/drafts/${slug}`, `/drafts/${slug}/versions`, `/drafts/${slug}/versions/1`, `/drafts/${slug}/compare/1/2`, `/drafts/${slug}/motions`, `/drafts/${slug}/motions/1`, "/account", "/account/security"];
  switch (reader) {
    case "public":
      return ["/", `/p/${slug}`, `/p/${slug}/v/1`, `/p/${slug}/compare/1/2`, "/login"];
    case "secretariat":
      return [...draftPages, `/drafts/${slug}/rounds`, `/drafts/${slug}/desk`, `/drafts/${slug}/consultation`, "/admin", "/admin/accounts", "/admin/invitations", "/admin/audit", "/admin/delegations", "/admin/security", "/delegations/fr"];
    case "head":
      return [...draftPages, "/delegations/fr"];
    case "delegate":
    case "observer":
      return draftPages;
  }
}

async function contextFor(reader: Reader, language: Language): Promise<BrowserContext> {
  const person = reader === "public" ? undefined : people[reader];
  // The browser asks for the other language: what decides is the person's setting, or the reader's switch.
  const locale = language === "fr" ? "en-GB" : "fr-FR";
  if (!person) {
    const context = await browser.newContext({ locale });
    await context.addCookies([{ name: "accord_lang", value: language, url: server.url }]);
    return context;
  }
  await setUserLanguage(person, language);
  const context = await browser.newContext({ locale });
  const { token } = await createSession(person.id);
  await context.addCookies([{ name: "accord_session", value: token, url: server.url, httpOnly: true, sameSite: "Lax" }]);
  return context;
}

describe.skipIf(!HAVE_CHROMIUM)("every page in French and in English", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    people.secretariat = secretariat;
    people.head = await buildUser({ role: "head", delegation: "fr", displayName: "Camille Martin" });
    people.delegate = await buildUser({ role: "delegate", delegation: "fr", displayName: "Julien Petit" });
    people.observer = await buildUser({ role: "observer", delegation: null, displayName: "Olga Observer" });
    const title = "Code of Conduct (languages test)";
    draft = await createDraft({
      actor: secretariat,
      title,
      content: documentJson(title, ["Preamble."], [section("Assessment", clause("States should assess the risk of serious violations."), clause("States consult one another."))]),
    });
    await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "First reading", kind: "manual" });
    await editText(server.live.texts, {
      draftId: draft.id,
      author: { userId: secretariat.id, delegationCode: null },
      change: (current) => {
        const json = current.toJSON() as ReturnType<typeof documentJson>;
        const text = JSON.stringify(json).replace("consult one another", "consult one another in writing");
        return schema.nodeFromJSON(JSON.parse(text));
      },
    });
    await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "Second reading", kind: "manual" });
    const common = { actor: secretariat, draftId: draft.id, summary: "For comment.", attribution: "named" as const, statusLabel: "Text for comment" };
    await publishVersion(server.live, { ...common, versionNumber: 1, publicTitle: "Code of Conduct: first reading" });
    await publishVersion(server.live, { ...common, versionNumber: 2, publicTitle: "Code of Conduct: second reading" });
    await tableAmendment(server.live, { actor: people.delegate, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "should"), proposed: "shall", rationale: "A binding commitment." });
    await createThread(server.live, { actor: people.delegate, draftId: draft.id, range: await rangeOf(draft.id, "serious violations"), body: "Which violations?", visibility: "all" });
    const [first] = await listDraftClauses(draft.id);
    if (!first) throw new Error("no clause");
    await putMotion(server.live, { actor: secretariat, draftId: draft.id, subject: { kind: "clause", clauseId: first.id }, rule: "majority", quorum: 2, deadline: new Date(Date.now() + 86_400_000) });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const reader of ["public", "secretariat", "head", "delegate", "observer"] as const) {
    it(`shows ${reader === "public" ? "the public" : `a ${reader}`} no English on any page in French, and passes axe in both languages`, async () => {
      const found: string[] = [];
      // The same look at the English pages finds English: the check can fail.
      let englishSeen = 0;
      for (const language of ["fr", "en"] as const) {
        const context = await contextFor(reader, language);
        for (const path of pagesOf(reader, draft.slug)) {
          const page = await openPage(context);
          const response = await page.goto(`${server.url}${path}`);
          expect(response?.status(), path).toBeLessThan(400);
          expect(await page.evaluate(() => document.documentElement.lang), path).toBe(language);
          await checkPage(page, `${language}-${reader}${path.replaceAll("/", "-").replace(/-$/, "") || "-home"}`.replace(draft.slug, "draft"));
          const words = await pageWords(page);
          // No message is shown as its key (a key missing from the catalogue, or a key built wrongly);
          // codes set as code (the audit trail's actions) are identifiers, not messages.
          expect(rawKeys(await pageWords(page, { code: false })), path).toEqual([]);
          for (const { key, piece } of ENGLISH_PIECES) {
            if (!words.includes(piece)) continue;
            if (language === "fr") found.push(`${path}: ${key} “${piece}”`);
            else englishSeen += 1;
          }
          await page.close();
        }
        await context.close();
      }
      expect([...new Set(found)]).toEqual([]);
      expect(englishSeen).toBeGreaterThan(5 * pagesOf(reader, draft.slug).length);
    }, 240_000);
  }

  it("creates a draft in French from an English interface, and marks its text French, so the browser checks its spelling in French", async () => {
    const context = await contextFor("secretariat", "en");
    const page = await openPage(context);
    await page.goto(`${server.url}/drafts`);
    await page.getByLabel("Title", { exact: true }).fill("Code de conduite (essai)");
    await page.getByLabel("Language of the text").selectOption({ label: "French" });
    await page.getByRole("button", { name: "Create draft" }).click();
    await page.waitForURL(/\/drafts\/code-de-conduite-essai$/);
    const text = page.getByRole("textbox", { name: en["editor.label"] });
    await text.locator("p").first().waitFor();
    expect(await text.getAttribute("lang")).toBe("fr");
    expect(await text.getAttribute("spellcheck")).toBe("true");
    expect(await page.locator("#draft-title").getAttribute("lang")).toBe("fr");
    // The new draft's first section has no heading yet: it is named, in the interface's language.
    const heading = text.locator("h2.is-empty");
    expect(await heading.getAttribute("aria-label")).toBe("Section heading");
    expect(await heading.getAttribute("lang")).toBe("en");
    await expect.poll(() => page.getByText("Text in French").count()).toBe(1);
    await checkPage(page, "en-secretariat-french-draft");
    await context.close();
  }, 120_000);
});
