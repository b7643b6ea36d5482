import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { tableAmendment } from "../../server/domain/amendments";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { createRound } from "../../server/domain/rounds";
import type { User } from "../../server/domain/users";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";
import { draftText, openDraft, signedInContext as signedInAs } from "./draft-pages";
import { rangeOf } from "../text-ranges";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let secretariat: User;
const heads: Record<"fr" | "dk" | "no", User | null> = { fr: null, dk: null, no: null };

const signedInContext = (user: User): Promise<BrowserContext> => signedInAs(browser, server.url, user.id);

/** The ProseMirror range of `words` in the draft's stored text. */

async function vote(user: User, choice: "Yes" | "No", explanation: string): Promise<Page> {
  const page = await openPage(await signedInContext(user));
  await page.goto(`${server.url}/drafts/${draft.slug}/motions/1`);
  await page.getByRole("radio", { name: choice, exact: true }).check();
  await page.getByLabel("Explanation of vote (optional)").fill(explanation);
  await page.getByRole("button", { name: "Cast the ballot" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("Your delegation's ballot is recorded.");
  await expect.poll(() => page.getByText(`Your delegation voted: ${choice}.`).count()).toBe(1);
  return page;
}

describe.skipIf(!HAVE_CHROMIUM)("motions in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    heads.fr = await buildUser({ role: "head", delegation: "fr", displayName: "Camille Martin" });
    heads.dk = await buildUser({ role: "head", delegation: "dk", displayName: "Freja Nielsen" });
    heads.no = await buildUser({ role: "head", delegation: "no", displayName: "Ingrid Berg" });
    const title = "Code of Conduct (motions test)";
    draft = await createDraft({
      actor: secretariat,
      title,
      content: documentJson(title, ["Preamble."], [section("Assessment", clause("States should assess the risk of serious violations."))]),
    });
    // Tabled during a drafting round.
    await createRound(server.live, { actor: secretariat, draftId: draft.id, round: { name: "Drafting", phase: "drafting", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false } });
    const uk = await buildUser({ delegation: "uk", displayName: "Oliver Jones" });
    await tableAmendment(server.live, { actor: uk, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "should"), proposed: "shall", rationale: "A binding commitment." });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lets the secretariat open a voting round and a motion on an amendment, three heads vote in three browsers, and the adopted amendment is in the text", async () => {
    const sec = await openPage(await signedInContext(secretariat));
    // The secretariat opens the voting round now.
    await sec.goto(`${server.url}/drafts/${draft.slug}/rounds`);
    await sec.getByLabel("Name").fill("Vote on the amendments");
    await sec.getByLabel("Phase").selectOption("voting");
    await sec.getByRole("button", { name: "Schedule the round" }).click();
    await expect.poll(() => sec.getByRole("status").textContent()).toContain("Vote on the amendments");

    // … and puts a motion from the draft's motions page.
    await sec.goto(`${server.url}/drafts/${draft.slug}`);
    await sec.getByRole("link", { name: "Motions", exact: true }).click();
    await sec.getByLabel("Subject").selectOption("amendment");
    await sec.getByLabel("Amendment", { exact: true }).selectOption("1");
    await sec.getByLabel("Rule").selectOption("majority");
    await sec.getByLabel(/^Quorum/).fill("3");
    const deadline = await sec.evaluate(() => {
      const at = new Date(Date.now() + 2 * 3_600_000);
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
    });
    await sec.getByLabel("Deadline").fill(deadline);
    await sec.getByRole("button", { name: "Put a motion" }).click();
    await expect.poll(() => sec.getByRole("heading", { level: 1 }).textContent()).toBe("Motion M-1");
    expect(await sec.getByTestId("motion-state").textContent()).toBe("Open");
    await expect.poll(() => sec.locator(".motion-countdown").textContent()).toMatch(/closes in 1 h|closes in 2 h/);
    await checkPage(sec, "motion-open-secretariat");

    // Three heads of delegation, three browsers.
    const [fr, dk, no] = [heads.fr, heads.dk, heads.no];
    if (!fr || !dk || !no) throw new Error("heads missing");
    const french = await vote(fr, "Yes", "France supports a binding text.");
    await vote(dk, "Yes", "");
    await vote(no, "No", "Norway prefers the current wording.");
    await checkPage(french, "motion-head-voted");

    // The secretariat's open page hears of the ballots.
    await expect.poll(() => sec.getByTestId("not-voted").textContent(), { timeout: 10_000 }).toBe("Not voted yet: United States, Australia, Canada, Netherlands, United Kingdom");
    expect(await sec.locator('tr[data-delegation="no"]').textContent()).toContain("Norway prefers the current wording.");

    await sec.getByRole("button", { name: "Close the motion now" }).click();
    const result = sec.getByTestId("motion-result");
    await expect.poll(() => result.textContent()).toContain("Adopted");
    expect(await result.textContent()).toContain("More delegations voted yes than no.");
    expect(await result.textContent()).toContain("Yes 2 · No 1 · Abstain 0 · Not voted 5");
    expect(await result.textContent()).toContain("The amendment's change is now in the text.");
    await checkPage(sec, "motion-closed");

    // The head's open page shows the result without a reload, and the text carries the amendment.
    await expect.poll(() => french.getByTestId("motion-result").count(), { timeout: 10_000 }).toBe(1);
    const page = await openDraft(await signedInContext(fr), server.url, draft.slug);
    await expect.poll(() => draftText(page).textContent()).toContain("States shall assess the risk of serious violations.");
  });
});
