import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section, type DocJson } from "../../schema/content";
import { listClauseStatuses, listDraftClauses } from "../../server/domain/clause-status";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { loadStoredText } from "../../server/domain/versions";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser } from "./browser";
import { openDraft, signedInContext } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let chairUser: User;
let people: Record<"fr" | "ca" | "no" | "observer", User>;

const BRACKET = "b00000000e2e1";
const bracketed = (text: string, option: number, supporters: string): DocJson => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id: BRACKET, option, supporters } }] });
// Enough clauses that a reader's window holds only some of them: following the chair visibly moves it.
const filler = (n: number) => clause(`Filler clause ${n}: ${"States keep records of the licences they grant and refuse, with reasons. ".repeat(4)}`);

const panelOf = (page: Page) => page.getByRole("region", { name: /^Session 1: Formal session$/ });
const pointerOf = (page: Page) => page.getByTestId("meeting-pointer").innerText();
const speakersOf = async (page: Page) => ((await page.getByTestId("speakers-list").count()) ? (await page.getByTestId("speakers-list").locator("li .meeting__name").allInnerTexts()).map((text) => text.trim()) : []);
const inView = (page: Page, clauseId: string) =>
  page.evaluate((id) => {
    const element = document.querySelector(`.ProseMirror [data-clause-id="${id}"]`);
    if (!element) return false;
    const box = element.getBoundingClientRect();
    return box.top < window.innerHeight && box.bottom > 0;
  }, clauseId);

/** Presses Tab until the focused element is the button named `name` (at most 200 times), then Enter. */
async function pressByKeyboard(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => (document.activeElement instanceof HTMLButtonElement ? document.activeElement.textContent?.trim() : null));
    if (focused === name) {
      await page.keyboard.press("Enter");
      return;
    }
  }
  throw new Error(`No button "${name}" was reached with the keyboard.`);
}

describe.skipIf(!HAVE_CHROMIUM)("a chaired session in four browsers", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    chairUser = await buildUser({ role: "secretariat", displayName: "Ines Chair" });
    people = {
      fr: await buildUser({ role: "head", delegation: "fr", displayName: "Claire Martin" }),
      ca: await buildUser({ role: "delegate", delegation: "ca", displayName: "Sam Tremblay" }),
      no: await buildUser({ role: "delegate", delegation: "no", displayName: "Ola Nordmann" }),
      observer: await buildUser({ role: "observer", displayName: "Olu Observer" }),
    };
    draft = await createDraft({
      actor: chairUser,
      title: "Code of Conduct (session test)",
      content: documentJson("Code of Conduct (session test)", ["The partner States adopt this code."], [
        section("Scope", clause("This code applies to licences for dual-use items."), clause("Each State names a competent authority."), ...[1, 2, 3, 4, 5, 6].map(filler)),
        section("Criteria", {
          type: "clause",
          attrs: { id: "c00000000e2e1" },
          content: [{ type: "paragraph", content: [{ type: "text", text: "States refuse a licence where there is " }, bracketed("a clear risk", 0, "fr"), bracketed("a substantial risk", 1, "ca,no"), { type: "text", text: " of serious violations." }] }],
        }),
      ]),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("runs from the first clause to the summary record: pointer, floor requests, timer, an agreement, a bracket resolved", async () => {
    const clauses = await listDraftClauses(draft.id);
    const clauseId = (number: string) => clauses.find((item) => item.number === number)?.id ?? "";

    // The chair opens a formal session with a two-minute limit.
    const chair = await (await signedInContext(browser, server.url, chairUser.id)).newPage();
    await chair.goto(`${server.url}/drafts/${draft.slug}/sessions`);
    await checkPage(chair, "sessions-list");
    await chair.getByLabel("Formal session", { exact: true }).check();
    await chair.getByLabel("Speaking time limit, in minutes (optional)").fill("2");
    await chair.getByRole("button", { name: "Open the session" }).click();
    await chair.waitForURL(`${server.url}/drafts/${draft.slug}`);
    await chair.locator('.editor__mount[data-synced="true"]').waitFor();
    await expect.poll(() => panelOf(chair).isVisible()).toBe(true);

    // Three delegations and an observer follow in their own browsers.
    const paris = await openDraft(await signedInContext(browser, server.url, people.fr.id), server.url, draft.slug);
    const ottawa = await openDraft(await signedInContext(browser, server.url, people.ca.id), server.url, draft.slug);
    const oslo = await openDraft(await signedInContext(browser, server.url, people.no.id), server.url, draft.slug);
    const observer = await openDraft(await signedInContext(browser, server.url, people.observer.id), server.url, draft.slug);
    const delegations = [paris, ottawa, oslo];
    for (const page of [...delegations, observer]) await expect.poll(() => panelOf(page).isVisible()).toBe(true);
    await expect.poll(() => panelOf(chair).innerText()).toMatch(/Present: Canada, France, Norway/);

    // Ottawa reads freely; the chair takes up the bracketed clause at the bottom of the text.
    await panelOf(ottawa).getByRole("button", { name: "Read freely" }).click();
    await chair.getByLabel("Clause to take up").selectOption(clauseId("2.1"));
    await chair.getByRole("button", { name: "Take up the clause" }).click();
    for (const page of [chair, ...delegations, observer]) await expect.poll(() => pointerOf(page), { timeout: 2000 }).toContain("Now on: clause 2.1");
    await expect.poll(() => inView(paris, clauseId("2.1"))).toBe(true);
    await expect.poll(() => paris.locator(`[data-clause-id="${clauseId("2.1")}"]`).getAttribute("class")).toContain("clause--now");
    expect(await inView(ottawa, clauseId("2.1"))).toBe(false);
    await panelOf(ottawa).getByRole("button", { name: "Follow the chair" }).click();
    await expect.poll(() => inView(ottawa, clauseId("2.1"))).toBe(true);
    await expect.poll(() => paris.getByTestId("meeting-announcement").innerText()).toContain("The chair takes up clause 2.1.");

    // The observer follows but is not offered the floor.
    expect(await panelOf(observer).getByRole("button", { name: /Request the floor/ }).count()).toBe(0);
    await expect.poll(() => panelOf(observer).innerText()).toContain("Observers follow the session");
    await checkPage(observer, "session-observer");

    // France asks for the floor with the keyboard alone; Canada with a click; Norway for a right of reply.
    await pressByKeyboard(paris, "Request the floor for France");
    await expect.poll(() => speakersOf(chair)).toEqual(["France"]);
    await panelOf(ottawa).getByRole("button", { name: "Request the floor for Canada" }).click();
    await panelOf(oslo).getByRole("button", { name: "Ask for a right of reply" }).click();
    for (const page of [chair, ...delegations]) await expect.poll(() => speakersOf(page), { timeout: 2000 }).toEqual(["France", "Canada", "Norway (right of reply)"]);
    await expect.poll(() => chair.getByTestId("meeting-announcement").innerText()).toContain("asks for the floor");
    // Canada withdraws and asks again: it goes to the end of the list.
    await panelOf(ottawa).getByRole("button", { name: "Withdraw the request" }).click();
    await expect.poll(() => speakersOf(chair)).toEqual(["France", "Norway (right of reply)"]);
    await panelOf(ottawa).getByRole("button", { name: "Request the floor for Canada" }).click();
    await expect.poll(() => speakersOf(chair)).toEqual(["France", "Norway (right of reply)", "Canada"]);
    // The chair moves Canada up, by keyboard.
    await pressByKeyboard(chair, "Move Canada up");
    await expect.poll(() => speakersOf(paris)).toEqual(["France", "Canada", "Norway (right of reply)"]);
    await checkPage(chair, "session-chair");

    // The chair gives France the floor with the keyboard: everyone sees it, and the timer runs.
    await pressByKeyboard(chair, "Give the floor to France");
    for (const page of [chair, ...delegations, observer]) await expect.poll(() => page.getByTestId("meeting-speaker").innerText(), { timeout: 2000 }).toContain("France has the floor");
    await expect.poll(() => paris.getByTestId("meeting-timer").innerText()).toMatch(/left of 2:00/);
    const first = await ottawa.getByTestId("meeting-timer").innerText();
    await expect.poll(() => ottawa.getByTestId("meeting-timer").innerText(), { timeout: 4000 }).not.toBe(first);
    await expect.poll(() => speakersOf(paris)).toEqual(["Canada", "Norway (right of reply)"]);
    await checkPage(paris, "session-delegation");

    // The chair resolves the bracket (Canada's and Norway's wording) and agrees the clause.
    await expect.poll(() => panelOf(chair).innerText()).toContain("Clause 2.1 has 1 open bracket");
    const brackets = chair.getByRole("region", { name: "Open brackets" });
    await brackets.getByLabel("Keep alternative 2: “a substantial risk”").check();
    await brackets.getByRole("button", { name: "Resolve the bracket" }).click();
    await expect.poll(() => panelOf(chair).getByRole("button", { name: "Agree clause 2.1", exact: true }).count(), { timeout: 5000 }).toBe(1);
    await panelOf(chair).getByRole("button", { name: "Agree clause 2.1", exact: true }).click();
    await expect.poll(async () => (await listClauseStatuses(draft.id)).find((status) => status.clauseId === clauseId("2.1"))?.status).toBe("agreed");

    // Canada next; then the chair takes up clause 1.2 and gives Norway its right of reply there, and agrees 1.2 ad referendum.
    await panelOf(chair).getByRole("button", { name: "Give the floor to the next speaker" }).click();
    await expect.poll(() => oslo.getByTestId("meeting-speaker").innerText()).toContain("Canada has the floor");
    await chair.getByLabel("Clause to take up").selectOption(clauseId("1.2"));
    await chair.getByRole("button", { name: "Take up the clause" }).click();
    await expect.poll(() => pointerOf(oslo)).toContain("Now on: clause 1.2");
    await panelOf(chair).getByRole("button", { name: "Give the floor to Norway" }).click();
    await expect.poll(() => paris.getByTestId("meeting-speaker").innerText()).toContain("Norway has the floor (right of reply)");
    await panelOf(chair).getByRole("button", { name: "End the intervention" }).click();
    await expect.poll(() => oslo.locator(".meeting__floor").innerText()).toContain("No one has the floor.");
    await panelOf(chair).getByRole("button", { name: "Agree clause 1.2 ad referendum" }).click();
    await expect.poll(async () => (await listClauseStatuses(draft.id)).find((status) => status.clauseId === clauseId("1.2"))?.status).toBe("agreed-ad-referendum");

    // Suspended and resumed, then closed: the panel goes from every page.
    await panelOf(chair).getByRole("button", { name: "Suspend the session" }).click();
    for (const page of delegations) await expect.poll(() => panelOf(page).innerText()).toContain("The session is suspended.");
    await panelOf(chair).getByRole("button", { name: "Resume the session" }).click();
    await expect.poll(() => panelOf(paris).innerText()).not.toContain("The session is suspended.");
    chair.once("dialog", (dialog) => void dialog.accept());
    await panelOf(chair).getByRole("button", { name: "Close the session" }).click();
    for (const page of [chair, ...delegations, observer]) await expect.poll(() => page.getByRole("region", { name: /^Session 1/ }).count(), { timeout: 3000 }).toBe(0);
    await expect.poll(() => paris.getByTestId("meeting-announcement").innerText()).toContain("The session is closed.");

    // The session's page links the summary record, drafted with those facts in order.
    await chair.goto(`${server.url}/drafts/${draft.slug}/sessions/1`);
    await expect.poll(() => chair.getByTestId("meeting-speeches").innerText()).toMatch(/France on clause 2\.1\s+Canada on clause 2\.1\s+Norway on clause 1\.2 \(right of reply\)/);
    await checkPage(chair, "session-closed");
    await chair.getByRole("link", { name: "Open the summary record" }).click();
    await chair.locator('.editor__mount[data-synced="true"]').waitFor();
    await expect.poll(() => chair.getByTestId("record-of").innerText()).toContain("This draft is the summary record of session 1");
    await checkPage(chair, "session-record");
    const [record] = await server.database.sql<{ record_draft_id: string }[]>`SELECT record_draft_id FROM meetings WHERE draft_id = ${draft.id}`;
    const text = (await loadStoredText(record?.record_draft_id ?? "")).node.textContent;
    const inOrder = [
      "Chair: Ines Chair.",
      "Canada: Sam Tremblay.",
      "France: Claire Martin.",
      "Norway: Ola Nordmann.",
      "Also present: ",
      "Clause 2.1",
      "Speakers: France, Canada.",
      "A bracket in clause 2.1 was resolved: “a substantial risk” was kept.",
      "Clause 2.1 was agreed.",
      "Clause 1.2",
      "Speakers: Norway (right of reply).",
      "Clause 1.2 was agreed ad referendum.",
      "Open items",
    ];
    let at = -1;
    for (const words of inOrder) {
      const next = text.indexOf(words, at + 1);
      expect(next, `“${words}” after position ${at} in: ${text}`).toBeGreaterThan(at);
      at = next;
    }
  }, 180_000);
});
