import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section, type DocJson } from "../../schema/content";
import { schema } from "../../schema/prosemirror";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";

import { startRoundScheduler } from "../scheduler/round-scheduler";
import { adoptAmendment, findAmendment, tableAmendment, type AmendmentView } from "./amendments";
import { loadTextSnapshot } from "./annotation-anchors";
import { listClauseStatuses, listDraftClauses } from "./clause-status";
import { createDraft, type Draft } from "./drafts";
import {
  castBallot,
  closeDueMotions,
  closeMotion,
  confirmMotionsOnAmendment,
  findMotion,
  listBallots,
  MotionClosedError,
  MotionInputError,
  putMotion,
  sendMotionReminders,
  withdrawBallot,
  type Motion,
  type MotionSubject,
} from "./motions";
import { listNotifications } from "./notifications";
import { listVersions, saveVersion } from "./versions";
import type { User } from "./users";
import { editText } from "./live-texts";

let server: TestServer;
let secretariat: User;
const heads: Record<string, User> = {};

beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 100 });
  secretariat = await buildUser({ role: "secretariat" });
  for (const code of ["fr", "dk", "no", "uk"]) heads[code] = await buildUser({ role: "head", delegation: code });
});
afterAll(async () => {
  await server.stop();
});

const HOUR = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR);
const head = (code: string): User => {
  const user = heads[code];
  if (!user) throw new Error(`no head for ${code}`);
  return user;
};

async function newDraft(): Promise<Draft> {
  return createDraft({
    actor: secretariat,
    title: "Voted draft",
    content: documentJson("Voted draft", ["Preamble text."], [section("Assessment", clause("States shall assess the serious risk."), clause("Licences shall be refused."))]),
  });
}

async function liveText(draftId: string): Promise<string> {
  const text = await loadTextSnapshot(draftId);
  text.destroy();
  return text.node.textContent;
}

async function tableOn(draft: Draft, words: string, proposed: string): Promise<AmendmentView> {
  const text = await loadTextSnapshot(draft.id);
  let range = { from: 0, to: 0 };
  text.node.descendants((node, pos) => {
    const index = node.isText ? (node.text ?? "").indexOf(words) : -1;
    if (index !== -1 && range.to === 0) range = { from: pos + index, to: pos + index + words.length };
  });
  text.destroy();
  return tableAmendment(server.live, { actor: await buildUser({ delegation: "uk" }), draftId: draft.id, kind: "replace", range, proposed, rationale: "Clearer." });
}

async function put(draft: Draft, subject: MotionSubject, rule: Motion["rule"] = "majority", quorum = 3, deadline = inHours(48)): Promise<Motion> {
  return putMotion(server.live, { actor: secretariat, draftId: draft.id, subject, rule, quorum, deadline });
}

async function reload(motion: Motion): Promise<Motion> {
  const found = await findMotion({ draftId: motion.draftId, number: motion.number });
  if (!found) throw new Error("gone");
  return found;
}

async function rows(query: "motions" | "ballots" | "outbox"): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${server.database.sql(query)}`;
  return row?.n ?? 0;
}

describe("putting a motion", () => {
  it("refuses an unknown or decided subject, a quorum outside 0–8 and a past deadline, writing nothing", async () => {
    const draft = await newDraft();
    const before = await rows("motions");
    const refused = async (attempt: Promise<unknown>, field: string) => {
      const error = await attempt.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MotionInputError);
      expect((error as MotionInputError).field).toBe(field);
    };
    await refused(put(draft, { kind: "amendment", number: 9 }), "amendment");
    await refused(put(draft, { kind: "clause", clauseId: "no-such-clause" }), "clause");
    await refused(put(draft, { kind: "version", number: 1 }), "version");
    const amendment = await tableOn(draft, "serious", "grave");
    await refused(put(draft, { kind: "amendment", number: amendment.number }, "majority", 9), "quorum");
    await refused(put(draft, { kind: "amendment", number: amendment.number }, "majority", -1), "quorum");
    await refused(put(draft, { kind: "amendment", number: amendment.number }, "majority", 3, inHours(-1)), "deadline");
    expect(await rows("motions")).toBe(before);
    // One open motion at a time on the same amendment.
    await put(draft, { kind: "amendment", number: amendment.number });
    await refused(put(draft, { kind: "amendment", number: amendment.number }), "amendment");
  });

  it("numbers motions per draft and tells every delegation's members, each also by a message in the outbox", async () => {
    const draft = await newDraft();
    const member = await buildUser({ delegation: "ca" });
    const outbox = await rows("outbox");
    const [first] = await listDraftClauses(draft.id);
    const motion = await put(draft, { kind: "clause", clauseId: first?.id ?? "" }, "consensus", 0);
    expect(motion).toMatchObject({ number: 1, subject: "clause", status: "open", rule: "consensus", quorum: 0 });
    const version = await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "Text for adoption", kind: "manual" });
    expect((await put(draft, { kind: "version", number: version.number })).number).toBe(2);
    const { notifications } = await listNotifications(member);
    expect(notifications.map((item) => [item.kind, item.motionNumber, item.draftSlug])).toEqual([
      ["motion-opened", 2, draft.slug],
      ["motion-opened", 1, draft.slug],
    ]);
    expect(await rows("outbox")).toBeGreaterThan(outbox);
    const [mail] = await server.database.sql<{ subject: string }[]>`SELECT subject FROM outbox WHERE recipient = ${member.email} ORDER BY id LIMIT 1`;
    expect(mail?.subject).toBe("Motion M-1 on Voted draft is open");
    // The secretariat is not asked to vote.
    expect((await listNotifications(secretariat)).notifications.filter((item) => item.draftId === draft.id)).toEqual([]);
  });
});

describe("ballots", () => {
  it("are one per delegation: any head replaces it, concurrent ballots upsert, and each is audited", async () => {
    const draft = await newDraft();
    const amendment = await tableOn(draft, "serious", "grave");
    const motion = await put(draft, { kind: "amendment", number: amendment.number });
    const secondHead = await buildUser({ role: "head", delegation: "fr" });
    await Promise.all([
      castBallot(server.live, { actor: head("fr"), motion, choice: "yes", explanation: "" }),
      castBallot(server.live, { actor: secondHead, motion, choice: "no", explanation: "On second thoughts." }),
      castBallot(server.live, { actor: head("fr"), motion, choice: "abstain", explanation: "" }),
    ]);
    const ballots = await listBallots(motion.id);
    expect(ballots.map((ballot) => ballot.delegationCode)).toEqual(["fr"]);
    await castBallot(server.live, { actor: secondHead, motion, choice: "yes", explanation: "  Supported.  " });
    expect(await listBallots(motion.id)).toMatchObject([{ delegationCode: "fr", choice: "yes", explanation: "Supported.", castBy: secondHead.id }]);
    const audits = await server.database.sql<{ action: string }[]>`
      SELECT action FROM audit_events WHERE target_id = ${motion.id} AND action LIKE 'ballot.%' ORDER BY id`;
    expect(audits.map((row) => row.action)).toEqual(["ballot.cast", "ballot.changed", "ballot.changed", "ballot.changed"]);
    expect(await withdrawBallot(server.live, { actor: head("fr"), motion })).toBe(true);
    expect(await listBallots(motion.id)).toEqual([]);
    expect(await withdrawBallot(server.live, { actor: head("fr"), motion })).toBe(false);
  });

  it("are refused after the deadline and once the motion is closed, and an explanation has at most 2000 characters", async () => {
    const draft = await newDraft();
    const amendment = await tableOn(draft, "serious", "grave");
    const motion = await put(draft, { kind: "amendment", number: amendment.number });
    await expect(castBallot(server.live, { actor: head("dk"), motion, choice: "yes", explanation: "x".repeat(2001) })).rejects.toBeInstanceOf(MotionInputError);
    await expect(castBallot(server.live, { actor: head("dk"), motion, choice: "yes", explanation: "", now: inHours(49) })).rejects.toBeInstanceOf(MotionClosedError);
    await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat });
    await expect(castBallot(server.live, { actor: head("dk"), motion, choice: "yes", explanation: "" })).rejects.toBeInstanceOf(MotionClosedError);
    expect(await listBallots(motion.id)).toEqual([]);
    // Closing twice closes once.
    expect(await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat })).toBeNull();
  });
});

describe("closing a motion", () => {
  it("computes the result with its tally, stores it, adopts the amendment into the text and tells everyone", async () => {
    const draft = await newDraft();
    const amendment = await tableOn(draft, "serious", "grave");
    const motion = await put(draft, { kind: "amendment", number: amendment.number }, "majority", 3);
    await castBallot(server.live, { actor: head("fr"), motion, choice: "yes", explanation: "" });
    await castBallot(server.live, { actor: head("dk"), motion, choice: "yes", explanation: "" });
    await castBallot(server.live, { actor: head("no"), motion, choice: "no", explanation: "Too weak." });
    await castBallot(server.live, { actor: head("uk"), motion, choice: "abstain", explanation: "" });
    const observer = await buildUser({ role: "observer" });
    const closed = await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat });
    expect(closed).toMatchObject({ status: "closed", outcome: "adopted", reason: "majority-more-yes", closedBy: "secretariat", application: "applied" });
    expect(closed?.tally).toMatchObject({ yes: 2, no: 1, abstain: 1, cast: 4, quorumMet: true, ballots: { fr: "yes", dk: "yes", no: "no", uk: "abstain" } });
    expect(closed?.tally?.notVoted).toEqual(["us", "au", "ca", "nl"]);
    expect((await findAmendment({ draftId: draft.id, number: amendment.number }))?.status).toBe("adopted");
    expect(await liveText(draft.id)).toContain("States shall assess the grave risk.");
    // The adopted text is kept as a version.
    const [latest] = await listVersions(draft.id);
    expect(latest).toMatchObject({ kind: "adopted", name: { key: "versionName.adoptedByMotion", params: { amendment: amendment.number, motion: motion.number } }, authorId: null });
    expect((await listNotifications(observer)).notifications[0]).toMatchObject({ kind: "motion-result", motionNumber: motion.number, outcome: "adopted" });
  });

  it("rejects the amendment when the motion is not adopted, and leaves it open when the quorum is missed", async () => {
    const draft = await newDraft();
    const objected = await tableOn(draft, "serious", "grave");
    const missed = await tableOn(draft, "refused", "denied");
    const consensus = await put(draft, { kind: "amendment", number: objected.number }, "consensus", 0);
    await castBallot(server.live, { actor: head("no"), motion: consensus, choice: "no", explanation: "We object." });
    expect(await closeMotion(server.live, { motionId: consensus.id, closedBy: "secretariat", actor: secretariat })).toMatchObject({ outcome: "rejected", reason: "consensus-objection" });
    expect((await findAmendment({ draftId: draft.id, number: objected.number }))?.status).toBe("rejected");
    const majority = await put(draft, { kind: "amendment", number: missed.number }, "majority", 5);
    await castBallot(server.live, { actor: head("fr"), motion: majority, choice: "yes", explanation: "" });
    expect(await closeMotion(server.live, { motionId: majority.id, closedBy: "secretariat", actor: secretariat })).toMatchObject({ outcome: "no-quorum", reason: "quorum-missed", application: "nothing" });
    expect((await findAmendment({ draftId: draft.id, number: missed.number }))?.status).toBe("open");
    expect(await liveText(draft.id)).toContain("serious risk");
  });

  it("records that the secretariat must confirm an adopted amendment whose words changed since tabling", async () => {
    const draft = await newDraft();
    const amendment = await tableOn(draft, "serious", "grave");
    await editText(server.live.texts, {
      draftId: draft.id,
      author: { userId: secretariat.id, delegationCode: null },
      change: (current) => schema.nodeFromJSON(replaceText(current.toJSON() as DocJson, "serious", "sErious")),
    });
    const motion = await put(draft, { kind: "amendment", number: amendment.number }, "majority", 1);
    await castBallot(server.live, { actor: head("fr"), motion, choice: "yes", explanation: "" });
    const closed = await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat });
    expect(closed).toMatchObject({ outcome: "adopted", application: "needs-confirmation" });
    const open = await findAmendment({ draftId: draft.id, number: amendment.number });
    expect(open?.status).toBe("open");
    expect(await liveText(draft.id)).toContain("sErious risk");
    // The secretariat confirms against the side-by-side: the motion is then applied.
    if (!open) throw new Error("no amendment");
    await adoptAmendment(server.live, { actor: secretariat, amendment: open, confirmChanged: true });
    await confirmMotionsOnAmendment({ actor: secretariat, amendmentId: open.id });
    expect(await findMotion({ draftId: draft.id, number: motion.number })).toMatchObject({ application: "applied", applicationNote: null });
    expect(await liveText(draft.id)).toContain("grave risk");
  });

  it("closes at the deadline (silence is consent under consensus) and marks the clause agreed; a version motion marks the version adopted", async () => {
    const draft = await newDraft();
    const [first] = await listDraftClauses(draft.id);
    const clauseMotion = await put(draft, { kind: "clause", clauseId: first?.id ?? "" }, "consensus", 8, inHours(2));
    await castBallot(server.live, { actor: head("fr"), motion: clauseMotion, choice: "yes", explanation: "" });
    const version = await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "Final", kind: "manual" });
    const versionMotion = await put(draft, { kind: "version", number: version.number }, "two-thirds", 2, inHours(2));
    await castBallot(server.live, { actor: head("fr"), motion: versionMotion, choice: "yes", explanation: "" });
    await castBallot(server.live, { actor: head("dk"), motion: versionMotion, choice: "yes", explanation: "" });
    await castBallot(server.live, { actor: head("no"), motion: versionMotion, choice: "no", explanation: "" });
    // Not yet due.
    expect((await closeDueMotions(server.live, inHours(1))).filter((motion) => motion.draftId === draft.id)).toEqual([]);
    const closed = (await closeDueMotions(server.live, inHours(3))).filter((motion) => motion.draftId === draft.id);
    expect(closed.map((motion) => [motion.number, motion.outcome, motion.reason, motion.closedBy, motion.application])).toEqual([
      [clauseMotion.number, "adopted", "consensus-silence", "deadline", "applied"],
      [versionMotion.number, "adopted", "two-thirds-reached", "deadline", "applied"],
    ]);
    expect((await listClauseStatuses(draft.id)).find((status) => status.clauseId === first?.id)?.status).toBe("agreed");
  });
});

describe("reminders", () => {
  it("go once, a day before the deadline, to the members of the delegations that have not voted", async () => {
    const draft = await newDraft();
    const amendment = await tableOn(draft, "serious", "grave");
    const motion = await put(draft, { kind: "amendment", number: amendment.number }, "majority", 3, inHours(72));
    await castBallot(server.live, { actor: head("fr"), motion, choice: "yes", explanation: "" });
    const frenchDelegate = await buildUser({ delegation: "fr" });
    const dutchDelegate = await buildUser({ delegation: "nl" });
    const closing = async (user: User) => (await listNotifications(user)).notifications.filter((item) => item.kind === "motion-closing" && item.draftId === draft.id);
    await sendMotionReminders(server.live, inHours(24));
    expect(await closing(dutchDelegate)).toEqual([]);
    await sendMotionReminders(server.live, inHours(49));
    expect(await closing(dutchDelegate)).toHaveLength(1);
    expect(await closing(frenchDelegate)).toEqual([]);
    await sendMotionReminders(server.live, inHours(50));
    expect(await closing(dutchDelegate)).toHaveLength(1);
    expect((await reload(motion)).remindedAt).not.toBeNull();
    // A motion put less than a day before its deadline has no reminder beside its opening notice.
    const short = await put(draft, { kind: "clause", clauseId: (await listDraftClauses(draft.id))[0]?.id ?? "" }, "consensus", 0, inHours(20));
    await sendMotionReminders(server.live, inHours(1));
    expect((await reload(short)).remindedAt).toBeNull();
    expect(await closing(dutchDelegate)).toHaveLength(1);
  });
});

describe("the scheduler", () => {
  it("closes a motion when its deadline comes", async () => {
    const draft = await newDraft();
    const [first] = await listDraftClauses(draft.id);
    const motion = await put(draft, { kind: "clause", clauseId: first?.id ?? "" }, "consensus", 0, new Date(Date.now() + 1500));
    expect((await reload(motion)).status).toBe("open");
    await expect.poll(async () => (await reload(motion)).status, { timeout: 5000, interval: 100 }).toBe("closed");
    const closed = await reload(motion);
    expect(closed).toMatchObject({ closedBy: "deadline", outcome: "adopted", reason: "consensus-silence" });
    // On time: within a second of its deadline.
    expect((closed.closedAt?.getTime() ?? 0) - motion.deadline.getTime()).toBeLessThan(1000);
  });

  it("closes at start-up the motions whose deadline passed while the server was down", async () => {
    const draft = await newDraft();
    const amendment = await tableOn(draft, "serious", "grave");
    const motion = await put(draft, { kind: "amendment", number: amendment.number }, "majority", 1, inHours(2));
    await castBallot(server.live, { actor: head("dk"), motion, choice: "yes", explanation: "" });
    const scheduler = startRoundScheduler(server.live, { now: () => inHours(3) });
    await scheduler.ready;
    await scheduler.stop();
    expect(await reload(motion)).toMatchObject({ status: "closed", closedBy: "deadline", outcome: "adopted", application: "applied" });
    expect(await liveText(draft.id)).toContain("the grave risk");
  });
});

function replaceText(node: DocJson, from: string, to: string): DocJson {
  if (node.text !== undefined) return { ...node, text: node.text.replace(from, to) };
  return { ...node, content: node.content?.map((child) => replaceText(child, from, to)) };
}
