import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import type { Database } from "../db/connection";
import { createDraft } from "./drafts";
import { listNotifications } from "./notifications";
import { advanceRound, createRound } from "./rounds";
import { createLive } from "../live";

// No server runs in this file: the domain's live services are this process's own, with no live texts.
const live = createLive();

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe("phase notifications", () => {
  it("tell everyone with an account, once per change, with a message in the outbox", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const observer = await buildUser({ role: "observer" });
    const disabled = await buildUser({ delegation: "ca" });
    await database.sql`UPDATE users SET disabled = true WHERE id = ${disabled.id}`;
    const draft = await createDraft({ actor: secretariat, title: "Phased draft" });
    await createRound(live, { actor: secretariat, draftId: draft.id, round: { name: "Voting", phase: "voting", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false } });
    const phases = async () =>
      (await listNotifications(observer)).notifications.filter((item) => item.kind === "phase" && item.draftId === draft.id).map((item) => [item.phase, item.draftSlug]);
    expect(await phases()).toEqual([["voting", draft.slug]]);
    await advanceRound(live, { actor: secretariat, draftId: draft.id });
    expect(await phases()).toEqual([["closed", draft.slug], ["voting", draft.slug]]);
    const mail = await database.sql<{ recipient: string; subject: string }[]>`SELECT recipient, subject FROM outbox WHERE subject LIKE 'Phased draft is now in %' ORDER BY id`;
    expect(mail.filter((row) => row.recipient === observer.email).map((row) => row.subject)).toEqual(["Phased draft is now in voting", "Phased draft is now in closed"]);
    expect(mail.some((row) => row.recipient === disabled.email)).toBe(false);
    expect((await listNotifications(disabled)).notifications).toEqual([]);
  });
});
