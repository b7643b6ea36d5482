import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyText, connectClient, eventually, storedText, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createSession } from "../auth/session";
import { createDraft } from "../domain/drafts";
import { advanceRound, createRound } from "../domain/rounds";
import { loadDraftState } from "./persistence";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("a change of phase on open editors", () => {
  it("makes them read-only within a second of the round's end, says why, and gives writing back when editing reopens", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Phases" });
    const delegate = await buildUser({ delegation: "dk" });
    const client = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(delegate.id)).token });
    await synced(client);

    const drafting = { name: "Drafting", phase: "drafting", instructions: "", observersComment: false } as const;
    const endsAt = new Date(Date.now() + 1500);
    await createRound({ actor: secretariat, draftId: draft.id, round: { ...drafting, startsAt: new Date(), endsAt } });
    await createRound({
      actor: secretariat,
      draftId: draft.id,
      round: { name: "Review", phase: "review", startsAt: endsAt, endsAt: new Date(Date.now() + 3_600_000), instructions: "", observersComment: false },
    });
    bodyText(client.doc).insert(0, "while drafting ");
    await eventually(async () => storedText((await loadDraftState(draft.id)).update).includes("while drafting"), 3000, "the edit to be stored");
    expect(client.denied).toBeNull();

    await eventually(() => client.denied !== null, 4000, "editing to close");
    const lag = Date.now() - endsAt.getTime();
    expect(client.denied).toBe("Editing is closed while the draft is in delegation review.");
    expect(lag).toBeLessThan(1000);
    // Writes sent anyway (a client that ignores the message) are dropped.
    const ignoresReadOnly = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(delegate.id)).token });
    await synced(ignoresReadOnly);
    await eventually(() => ignoresReadOnly.denied !== null, 2000, "the new connection to be read-only");
    bodyText(ignoresReadOnly.doc).insert(0, "during review ");
    await settle();
    expect(storedText((await loadDraftState(draft.id)).update)).not.toContain("during review");
    ignoresReadOnly.destroy();

    // The secretariat moves on to a new drafting round: writing comes back without reconnecting.
    await createRound({ actor: secretariat, draftId: draft.id, round: { ...drafting, name: "Second drafting", startsAt: new Date(Date.now() + 7_200_000), endsAt: null } });
    await advanceRound({ actor: secretariat, draftId: draft.id });
    await eventually(() => client.denied === null, 2000, "writing to come back");
    bodyText(client.doc).insert(0, "drafting again ");
    await eventually(async () => storedText((await loadDraftState(draft.id)).update).includes("drafting again"), 3000, "the new edit to be stored");
    client.destroy();
  });
});
