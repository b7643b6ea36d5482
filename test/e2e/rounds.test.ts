import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";
import { draftText, openDraft, signedInContext } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let secretariat: User;
let delegate: User;

describe.skipIf(!HAVE_CHROMIUM)("rounds in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    delegate = await buildUser({ delegation: "dk", displayName: "Freja Nielsen" });
    const title = "Code of Conduct (rounds test)";
    draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lets the secretariat schedule rounds in its own time zone and move on, and makes a delegate's open editor read-only at once, saying why", async () => {
    const sec = await openPage(await signedInContext(browser, server.url, secretariat.id, { timezoneId: "Europe/Copenhagen" }));
    await sec.goto(`${server.url}/drafts/${draft.slug}/rounds`);
    await expect.poll(() => sec.getByTestId("round-time-zone").textContent()).toBe("Times are in Europe/Copenhagen.");
    await sec.getByLabel("Name").fill("First reading");
    await sec.getByRole("button", { name: "Schedule the round" }).click();
    await expect.poll(() => sec.getByRole("status").first().textContent()).toContain("The round “First reading” was scheduled.");

    // A review round tomorrow at 09:00 Copenhagen time, with instructions.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await sec.getByLabel("Name").fill("Delegation review");
    await sec.getByLabel("Phase").selectOption("review");
    await sec.getByLabel("Starts").fill(`${tomorrow}T09:00`);
    await sec.getByLabel("Instructions").fill("Annotate chapter II.");
    await sec.getByRole("button", { name: "Schedule the round" }).click();
    await expect.poll(() => sec.getByRole("status").first().textContent()).toContain("The round “Delegation review” was scheduled.");
    // Shown back in the reader's zone (the UTC time in the title).
    const start = sec.getByRole("row", { name: /Delegation review/ }).locator("time");
    await expect.poll(() => start.getAttribute("dateTime")).toBe(new Date(`${tomorrow}T08:00:00Z`).toISOString());
    expect(await start.textContent()).toMatch(/09:00/);
    await checkPage(sec, "rounds-secretariat");

    const dk = await openDraft(await signedInContext(browser, server.url, delegate.id), server.url, draft.slug);
    await expect.poll(() => dk.getByTestId("phase-banner").textContent()).toContain("Phase: Drafting");
    // Tomorrow at 09:00 is under a day away or more, depending on when the test runs.
    await expect.poll(() => dk.getByTestId("countdown").textContent()).toMatch(/in (\d+ d \d+ h|\d+ h \d+ min)/);
    await draftText(dk).locator("p").first().click();
    await dk.keyboard.type("Typed while drafting. ");
    await checkPage(dk, "rounds-draft-drafting");

    await sec.getByRole("button", { name: "Move to the next phase now" }).click();
    await expect.poll(() => sec.getByRole("status").first().textContent()).toContain("The draft moved on to its next phase.");

    // The delegate's page: the editor turns read-only and says why; the banner shows the new phase.
    await expect.poll(() => dk.getByText("Editing is closed while the draft is in delegation review.").count(), { timeout: 5000 }).toBeGreaterThan(0);
    await expect.poll(() => dk.getByTestId("phase-banner").textContent(), { timeout: 5000 }).toContain("Phase: Delegation review");
    expect(await dk.getByTestId("phase-banner").textContent()).toContain("Annotate chapter II.");
    expect(await draftText(dk).getAttribute("contenteditable")).toBe("false");
    expect(await draftText(dk).textContent()).toContain("Typed while drafting.");
    await checkPage(dk, "rounds-draft-review");
  });
});
