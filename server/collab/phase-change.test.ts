import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendText, bodyText, connectClient, eventually, storedText, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createSession } from "../auth/session";
import { createDraft } from "../domain/drafts";
import { advanceRound, createRound } from "../domain/rounds";
import { findVersion, listVersions } from "../domain/versions";
import { loadDraftState } from "../text-store/persistence";

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
    await createRound(server.live, { actor: secretariat, draftId: draft.id, round: { ...drafting, startsAt: new Date(), endsAt } });
    await createRound(server.live, {
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
    await createRound(server.live, { actor: secretariat, draftId: draft.id, round: { ...drafting, name: "Second drafting", startsAt: new Date(Date.now() + 7_200_000), endsAt: null } });
    await advanceRound(server.live, { actor: secretariat, draftId: draft.id });
    await eventually(() => client.denied === null, 2000, "writing to come back");
    bodyText(client.doc).insert(0, "drafting again ");
    await eventually(async () => storedText((await loadDraftState(draft.id)).update).includes("drafting again"), 3000, "the new edit to be stored");
    client.destroy();
  });
});

describe("a change of phase that closes editing while someone types", () => {
  it("takes the phase's version with exactly what was accepted before it, and stores nothing after", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const draft = await createDraft({ actor: secretariat, title: "Exact phases" });
    const delegate = await buildUser({ delegation: "nl" });
    await createRound(server.live, { actor: secretariat, draftId: draft.id, round: { name: "Drafting", phase: "drafting", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false } });
    await createRound(server.live, {
      actor: secretariat,
      draftId: draft.id,
      round: { name: "Review", phase: "review", startsAt: new Date(Date.now() + 3_600_000), endsAt: null, instructions: "", observersComment: false },
    });
    const writer = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(delegate.id)).token });
    await synced(writer);
    // A writer that types every 10 ms and ignores being made read-only, as a hostile client would.
    const typing = setInterval(() => appendText(writer, "x"), 10);
    try {
      await eventually(async () => storedText((await loadDraftState(draft.id)).update).length > 20, 5000, "typing to be stored");
      await advanceRound(server.live, { actor: secretariat, draftId: draft.id });
      const [phaseVersion] = await listVersions(draft.id);
      expect(phaseVersion).toMatchObject({ kind: "phase", name: { key: "versionName.phaseStarted", params: { phase: "review", round: "Review" } } });
      const version = await findVersion(draft.id, phaseVersion?.number ?? 0);
      const stored = await storedUpdates(draft.id);
      expect(storedText(version?.yjsState ?? new Uint8Array())).toBe(storedText((await loadDraftState(draft.id)).update));
      // The writer goes on sending for longer than the permission check's period: nothing is stored.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(await storedUpdates(draft.id)).toBe(stored);
      expect(storedText((await loadDraftState(draft.id)).update)).toBe(storedText(version?.yjsState ?? new Uint8Array()));
      expect(writer.denied).toBe("Editing is closed while the draft is in delegation review.");
      expect(writer.text().length).toBeGreaterThan(storedText(version?.yjsState ?? new Uint8Array()).length);
    } finally {
      clearInterval(typing);
      writer.destroy();
    }
  });
});

async function storedUpdates(draftId: string): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM draft_updates WHERE draft_id = ${draftId}`;
  return row?.n ?? 0;
}
