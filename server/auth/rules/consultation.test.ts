import { describe, expect, it } from "vitest";
import { PHASES, type Stage } from "../phases";
import { can, type Actor } from "../policy";

const draft = { type: "draft", id: "d1" } as const;

const actors: [string, Actor | null][] = [
  ["the public", null],
  ["secretariat", { id: "s", role: "secretariat", delegationCode: null }],
  ["head", { id: "h", role: "head", delegationCode: "fr" }],
  ["delegate", { id: "d", role: "delegate", delegationCode: "no" }],
  ["observer", { id: "o", role: "observer", delegationCode: null }],
];

const version = (stage: Stage, versionId = "v1") => ({ type: "version", draftId: "d1", versionId, stage, consultationVersionId: "v1" }) as const;

describe("consultation rules", () => {
  it("let anyone, with or without an account, send feedback in public consultation only, on the round's version only", () => {
    for (const [who, actor] of actors) {
      for (const phase of [null, ...PHASES]) {
        const stage = { phase, observersComment: true };
        expect(can(actor, "submission.create", version(stage)), `${who} in ${phase ?? "no round"}`).toBe(phase === "consultation");
        expect(can(actor, "submission.create", version(stage, "v2")), `${who} on another version`).toBe(false);
      }
    }
  });

  it("let the secretariat alone moderate and answer, heads and delegates read the disposition table, observers and the public neither", () => {
    const expected: Record<string, [moderate: boolean, answer: boolean, view: boolean]> = {
      "the public": [false, false, false],
      secretariat: [true, true, true],
      head: [false, false, true],
      delegate: [false, false, true],
      observer: [false, false, false],
    };
    for (const [who, actor] of actors) {
      expect([can(actor, "submission.moderate", draft), can(actor, "disposition.answer", draft), can(actor, "disposition.view", draft)], who).toEqual(expected[who]);
    }
  });
});
