import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { publishVersion } from "../../server/domain/publications";
import type { User } from "../../server/domain/users";
import { saveVersion } from "../../server/domain/versions";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser, openPage } from "./browser";
import { signedInContext } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let secretariat: User;
let delegate: User;

describe.skipIf(!HAVE_CHROMIUM)("public consultation in the browser", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    secretariat = await buildUser({ role: "secretariat", displayName: "Sam Secretariat" });
    delegate = await buildUser({ role: "delegate", delegation: "dk", displayName: "Dana Delegate" });
    const title = "Code of Conduct (consultation test)";
    draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
    await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "For consultation", kind: "manual" });
    await publishVersion(server.live, {
      actor: secretariat,
      draftId: draft.id,
      versionNumber: 1,
      publicTitle: "Code of Conduct: consultation draft",
      summary: "",
      statusLabel: "Consultation draft",
      attribution: "anonymous",
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("runs a consultation: opened by the secretariat, answered by the public, moderated and answered, read by a delegate", async () => {
    // The secretariat opens a public consultation round on the published version 1.
    const sec = await openPage(await signedInContext(browser, server.url, secretariat.id));
    await sec.goto(`${server.url}/drafts/${draft.slug}/rounds`);
    await sec.getByLabel("Name").fill("Public consultation");
    await sec.getByLabel("Phase").selectOption("consultation");
    await sec.getByLabel("Version open to public feedback").selectOption({ label: "v1: Code of Conduct: consultation draft" });
    await sec.getByLabel("Ends").fill("2099-06-30T17:00");
    await checkPage(sec, "consultation-round-form");
    await sec.getByRole("button", { name: "Schedule the round" }).click();
    await expect.poll(() => sec.getByRole("status").first().textContent()).toContain("The round “Public consultation” was scheduled.");
    await expect.poll(() => sec.getByRole("row", { name: /Public consultation/ }).textContent()).toContain("on v1");

    // Someone with no account reads the version and comments on its first clause.
    const reader = await openPage(await browser.newContext());
    await reader.goto(`${server.url}/p/${draft.slug}/v/1`);
    await expect.poll(() => reader.getByRole("region", { name: "Public consultation" }).textContent()).toContain("The consultation closes on");
    await checkPage(reader, "consultation-public-page");
    await reader.getByRole("link", { name: "Comment on clause 1.1" }).click();
    await expect.poll(() => reader.getByRole("heading", { level: 1 }).textContent()).toBe("Comment on clause 1.1");
    await reader.getByLabel("Your name").fill("Ada Lovelace");
    await reader.getByLabel("Organisation (optional)").fill("Analytical Engines Ltd");
    await reader.getByLabel("Sector").selectOption("industry");
    await reader.getByLabel("E-mail").fill("ada.private@example.org");
    await reader.getByLabel("Your comment").fill("Please define “human-rights criteria” in this clause.");
    await reader.getByLabel("My name and organisation may be published").check();
    await checkPage(reader, "consultation-feedback-form");
    await reader.getByRole("button", { name: "Send my comment" }).click();
    await expect.poll(() => reader.getByRole("heading", { level: 1 }).textContent()).toBe("Thank you for your comment");
    await checkPage(reader, "consultation-thanks");
    await reader.context().close();

    // The secretariat finds it pending in moderation, accepts it and writes the disposition.
    await sec.goto(`${server.url}/drafts/${draft.slug}/consultation`);
    const submission = sec.getByTestId("submission").first();
    await expect.poll(() => submission.textContent()).toContain("Please define “human-rights criteria” in this clause.");
    expect(await submission.textContent()).toContain("ada.private@example.org");
    expect(await submission.getAttribute("data-status")).toBe("pending");
    await checkPage(sec, "consultation-moderation");
    await submission.getByRole("button", { name: "Accept" }).click();
    await expect.poll(() => sec.getByRole("status").first().textContent()).toContain("The submission was accepted");
    const row = sec.getByTestId("disposition-row").first();
    await row.getByLabel("Disposition").selectOption("partly");
    await row.getByLabel("Reason").fill("A definition is added to the glossary.");
    await row.getByRole("button", { name: "Save the answer" }).click();
    await expect.poll(() => sec.getByRole("status").first().textContent()).toContain("The answer was saved.");
    await sec.context().close();

    // A delegate reads the disposition table, without the sender's e-mail.
    const dk = await openPage(await signedInContext(browser, server.url, delegate.id));
    await dk.goto(`${server.url}/drafts/${draft.slug}`);
    await dk.getByRole("link", { name: "Public consultation" }).click();
    const answered = dk.getByTestId("disposition-row").first();
    await expect.poll(() => answered.textContent()).toContain("A definition is added to the glossary.");
    expect(await answered.textContent()).toContain("Partly accepted");
    expect(await answered.textContent()).toContain("Ada Lovelace (Analytical Engines Ltd)");
    expect(await dk.content()).not.toContain("ada.private@example.org");
    expect(await dk.getByRole("button", { name: "Accept" }).count()).toBe(0);
    await checkPage(dk, "consultation-dispositions-delegate");
    await dk.context().close();
  });
});
