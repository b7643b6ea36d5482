import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import type { Database } from "../db/connection";
import { createDraft } from "./drafts";
import { listNotifications } from "./notifications";
import { advanceRound, createRound } from "./rounds";
import { createLive } from "../live";
import { inLanguage } from "../language";
import { setBrowserLanguage, setUserLanguage } from "./users";
import { closeMotion, putMotion } from "./motions";
import { loadDraftText } from "../text-store/current-text";
import { t } from "../../i18n/translate";

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

describe("notification e-mails", () => {
  it("reach each recipient in their own language, whoever's request sent them", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const french = await buildUser({ delegation: "fr" });
    const english = await buildUser({ delegation: "uk" });
    const browsers = await buildUser({ delegation: "no" });
    const frenchBrowser = await buildUser({ delegation: "ca" });
    await setBrowserLanguage(frenchBrowser.id, "fr");
    await setUserLanguage(french, "fr");
    await setUserLanguage(english, "en");
    const draft = await createDraft({ actor: secretariat, title: "Bilingual draft" });
    // The change is made in an English request; the French delegate's e-mail is French all the same.
    await inLanguage("en", () =>
      createRound(live, { actor: secretariat, draftId: draft.id, round: { name: "Review", phase: "review", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false } }),
    );
    const mailTo = async (email: string) =>
      (await database.sql<{ subject: string; body: string }[]>`SELECT subject, body FROM outbox WHERE recipient = ${email} AND body LIKE '%Bilingual draft%' ORDER BY id`)[0];
    expect((await mailTo(french.email))?.subject).toBe(t("notifications.mail.phase.subject", { draft: "Bilingual draft", phase: t("rounds.phase.review", {}, "fr").toLowerCase() }, "fr"));
    expect((await mailTo(french.email))?.subject).toMatch(/examen par les délégations/);
    expect((await mailTo(english.email))?.subject).toBe("Bilingual draft is now in delegation review");
    // One who follows their browser's language is written to in the one it asked for at sign-in;
    // English when no browser ever said.
    expect((await mailTo(frenchBrowser.email))?.subject).toBe((await mailTo(french.email))?.subject);
    expect((await mailTo(browsers.email))?.subject).toBe("Bilingual draft is now in delegation review");
  });

  it("tell a French head of delegation of a motion and its result in French, with the deadline as French writes it", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const head = await buildUser({ role: "head", delegation: "fr", language: "fr" });
    const draft = await createDraft({ actor: secretariat, title: "Projet soumis au vote" });
    let clauseId = "";
    (await loadDraftText(draft.id)).descendants((node) => {
      if (node.type.name === "clause" && !clauseId) clauseId = String(node.attrs.id);
      return !clauseId;
    });
    const deadline = new Date(Date.UTC(2031, 11, 1, 14, 30));
    const motion = await putMotion(live, { actor: secretariat, draftId: draft.id, subject: { kind: "clause", clauseId }, rule: "majority", quorum: 0, deadline });
    await closeMotion(live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat });
    const mail = await database.sql<{ subject: string; body: string }[]>`
      SELECT subject, body FROM outbox WHERE recipient = ${head.email} AND body LIKE '%Projet soumis au vote%' ORDER BY id`;
    expect(mail.map((row) => row.subject)).toEqual([
      `La motion M-${motion.number} relative à « Projet soumis au vote » est ouverte`.replaceAll("« ", "«\u202f").replaceAll(" »", "\u202f»"),
      expect.stringMatching(/^Motion M-1 relative à «\u202fProjet soumis au vote\u202f»\u202f: /),
    ]);
    expect(mail[0]?.body).toContain("jusqu’au 1er\u00a0décembre 2031, 14\u00a0h\u00a030 UTC");
    expect(mail[1]?.body).toMatch(/est close\u202f: .+\. Le décompte des voix/);
    expect(mail.map((row) => row.body).join(" ")).not.toMatch(/\b(the|is|closed|open)\b/);
  });
});
