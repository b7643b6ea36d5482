import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bracketsIn } from "../../schema/brackets";
import { documentJson, section, type DocJson } from "../../schema/content";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { resolveBracketInText } from "./brackets";
import { createDraft, type Draft } from "./drafts";
import { castBallot, closeMotion, findMotion, MotionInputError, putMotion, type Motion } from "./motions";
import type { User } from "./users";
import { loadStoredText } from "./versions";

let server: TestServer;
let secretariat: User;
let head: User;

const option = (id: string, text: string, index: number, supporters: string): DocJson => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id, option: index, supporters } }] });

beforeAll(async () => {
  server = await startTestServer();
  secretariat = await buildUser({ role: "secretariat" });
  head = await buildUser({ role: "head", delegation: "fr" });
});
afterAll(async () => {
  await server.stop();
});

async function bracketedDraft(): Promise<Draft> {
  return createDraft({
    actor: secretariat,
    title: "Bracket motions",
    content: documentJson("Bracket motions", ["Preamble."], [
      section("Scope", {
        type: "clause",
        attrs: { id: "c0000000000f1" },
        content: [{ type: "paragraph", content: [{ type: "text", text: "States assess " }, option("b0000000000f1", "each", 0, "fr"), option("b0000000000f1", "every", 1, "uk"), { type: "text", text: " licence " }, option("b0000000000f2", "at once", 0, "ca"), { type: "text", text: "." }] }],
      }),
    ]),
  });
}

const deadline = () => new Date(Date.now() + 3_600_000);
const put = (draft: Draft, bracketId: string, keep: number | null) =>
  putMotion(server.live, { actor: secretariat, draftId: draft.id, subject: { kind: "bracket", bracketId, keep }, rule: "majority", quorum: 1, deadline: deadline() });
const decide = async (motion: Motion, choice: "yes" | "no"): Promise<Motion | null> => {
  await castBallot(server.live, { actor: head, motion, choice, explanation: "" });
  await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat });
  return findMotion({ draftId: motion.draftId, number: motion.number });
};
const words = async (draft: Draft) => (await loadStoredText(draft.id)).node.child(2).child(1).textContent;

describe("a motion on a bracket", () => {
  it("asks to keep an alternative of a bracket open in the text, says what it asked, and is one open motion per bracket", async () => {
    const draft = await bracketedDraft();
    const motion = await put(draft, "b0000000000f1", 1);
    expect(motion.subject).toBe("bracket");
    expect(motion.bracket).toEqual({ id: "b0000000000f1", keep: 1, text: "every", clauseId: "c0000000000f1" });
    await expect(put(draft, "b0000000000f1", null)).rejects.toMatchObject({ key: "error.motion.alreadyOpen" });
    await expect(put(draft, "b0000000000ff", 0)).rejects.toBeInstanceOf(MotionInputError);
    await expect(put(draft, "b0000000000f2", 4)).rejects.toMatchObject({ field: "bracket", key: "error.motion.bracketUnknown" });
  });

  it("resolves the bracket as the motion asked when adopted, once, audited with the motion", async () => {
    const draft = await bracketedDraft();
    const adopted = await decide(await put(draft, "b0000000000f1", 1), "yes");
    expect(adopted).toMatchObject({ outcome: "adopted", application: "applied" });
    expect(await words(draft)).toBe("States assess every licence at once.");
    expect(bracketsIn((await loadStoredText(draft.id)).node).map((bracket) => bracket.id)).toEqual(["b0000000000f2"]);
    const audits = await server.database.sql<{ details: { motionId: string; kept: string } }[]>`
      SELECT details FROM audit_events WHERE action = 'bracket.resolved' AND target_id = ${draft.id}`;
    expect(audits.map((row) => [row.details.motionId, row.details.kept])).toEqual([[adopted?.id, "every"]]);
  });

  it("drops the passage when that is what was adopted, and changes nothing when rejected", async () => {
    const draft = await bracketedDraft();
    const rejected = await decide(await put(draft, "b0000000000f1", 0), "no");
    expect(rejected).toMatchObject({ outcome: "rejected", application: "nothing" });
    expect(await words(draft)).toBe("States assess eachevery licence at once.");
    const dropped = await decide(await put(draft, "b0000000000f2", null), "yes");
    expect(dropped).toMatchObject({ outcome: "adopted", application: "applied" });
    expect(await words(draft)).toBe("States assess eachevery licence .");
  });

  it("reports a bracket resolved by hand meanwhile instead of resolving anything", async () => {
    const draft = await bracketedDraft();
    const motion = await put(draft, "b0000000000f1", 1);
    await resolveBracketInText(server.live, { actor: secretariat, draftId: draft.id, bracketId: "b0000000000f1", keep: 0 });
    const closed = await decide(motion, "yes");
    expect(closed?.application).toBe("failed");
    expect(closed?.applicationNote?.key).toBe("brackets.gone");
    expect(await words(draft)).toBe("States assess each licence at once.");
  });
});
