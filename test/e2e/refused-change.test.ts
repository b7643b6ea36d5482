import * as encoding from "lib0/encoding";
import type { Browser } from "playwright-core";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { buildUser } from "../factories";
import { startTestServer, type TestServer } from "../server";
import { checkPage, HAVE_CHROMIUM, launchBrowser } from "./browser";
import { draftText, openDraft, signedInContext } from "./draft-pages";

let server: TestServer;
let browser: Browser;
let draft: Draft;
let delegate: User;
let colleague: User;

// An update no editor writes: an element the schema does not define, at the document's end.
function unknownElementMessage(): Uint8Array {
  const doc = new Y.Doc();
  doc.getXmlFragment("prosemirror").insert(0, [new Y.XmlElement("marquee")]);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(encoder);
}

describe.skipIf(!HAVE_CHROMIUM)("a change the server refuses", () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const secretariat = await buildUser({ role: "secretariat" });
    delegate = await buildUser({ delegation: "dk", displayName: "Anders Holm" });
    colleague = await buildUser({ delegation: "no", displayName: "Ingrid Berg" });
    const title = "Refused change";
    draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("tells its writer why and stops their editor, while another delegate's page goes on", async () => {
    const context = await signedInContext(browser, server.url, delegate.id);
    let inject: ((message: Uint8Array) => void) | null = null;
    // The page's own socket carries the update, as if its editor had written it.
    await context.routeWebSocket(/\/collab\//, (socket) => {
      const toServer = socket.connectToServer();
      inject = (message) => toServer.send(Buffer.from(message));
    });
    const page = await openDraft(context, server.url, draft.slug);
    const other = await openDraft(await signedInContext(browser, server.url, colleague.id), server.url, draft.slug);
    expect(inject).not.toBeNull();
    (inject as ((message: Uint8Array) => void) | null)?.(unknownElementMessage());

    await expect.poll(() => page.getByRole("alert").filter({ hasText: "A change was refused" }).count()).toBe(1);
    await expect.poll(() => draftText(page).getAttribute("contenteditable")).toBe("false");
    // A connection closed for good does not promise to send changes later.
    expect(await page.getByText("Keep working").count()).toBe(0);
    await checkPage(page, "refused-change");

    await draftText(other).locator("p").first().click();
    await other.keyboard.type("Still drafting. ");
    await expect.poll(() => other.locator('[data-connection="connected"]').count()).toBe(1);
    await expect.poll(() => other.locator("[data-unconfirmed]").getAttribute("data-unconfirmed")).toBe("0");
  });
});
