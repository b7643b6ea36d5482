import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClient, eventually, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createSession } from "../auth/session";
import { createDraft } from "../domain/drafts";
import { createRound } from "../domain/rounds";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const REVIEW_FR = "Le texte ne peut pas être modifié pendant l’examen par les délégations.";
const REVIEW_EN = "Editing is closed while the draft is in delegation review.";

// A draft in delegation review, where delegates may read but not write.
async function draftInReview() {
  const secretariat = await buildUser({ role: "secretariat" });
  const draft = await createDraft({ actor: secretariat, title: "Langues" });
  await createRound(server.live, {
    actor: secretariat,
    draftId: draft.id,
    round: { name: "Review", phase: "review", startsAt: new Date(Date.now() - 1000), endsAt: null, instructions: "", observersComment: false },
  });
  return draft;
}

describe("what the collaboration server tells an editor, in the editor's language", () => {
  it("says why the text is read-only in the account's language, else the cookie's, else the browser's", async () => {
    const draft = await draftInReview();
    const cases: { language: "fr" | "en" | null; headers?: Record<string, string>; expected: string }[] = [
      { language: "fr", headers: { "accept-language": "en" }, expected: REVIEW_FR },
      { language: "en", headers: { "accept-language": "fr" }, expected: REVIEW_EN },
      { language: null, headers: { cookie: "accord_lang=fr", "accept-language": "en" }, expected: REVIEW_FR },
      { language: null, headers: { "accept-language": "fr-CA, en;q=0.5" }, expected: REVIEW_FR },
      { language: null, expected: REVIEW_EN },
    ];
    for (const { language, headers, expected } of cases) {
      const delegate = await buildUser({ delegation: "fr", language });
      const client = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(delegate.id)).token, headers });
      await synced(client);
      await eventually(() => client.denied !== null, 3000, "the read-only reason");
      expect(client.denied, `account ${language}, headers ${JSON.stringify(headers)}`).toBe(expected);
      client.destroy();
    }
  });

  it("closes a connection with its reason in the person's language, within a close frame's 123 bytes", async () => {
    const draft = await draftInReview();
    const delegate = await buildUser({ delegation: "fr", language: "fr" });
    const token = (await createSession(delegate.id)).token;
    const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/collab/${draft.id}`, {
      headers: { origin: server.url, cookie: `accord_session=${token}` },
    });
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    // Text frames are not part of the protocol.
    socket.send("bonjour");
    const { code, reason } = await closed;
    expect(code).toBe(1007);
    expect(reason).toBe("Les messages doivent être binaires.");
  });
});
