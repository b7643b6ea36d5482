import { describe, expect, it } from "vitest";
import type { Actor } from "./actor";
import { OPEN_STAGE, PHASES, type Phase, type Stage } from "./phases";
import { can } from "./policy";
import type { ThreadResource } from "./rules/annotations";

const people: Record<string, Actor> = {
  secretariat: { id: "s", role: "secretariat", delegationCode: null },
  head: { id: "h", role: "head", delegationCode: "fr" },
  delegate: { id: "d", role: "delegate", delegationCode: "fr" },
  observer: { id: "o", role: "observer", delegationCode: null },
};

const stage = (phase: Phase | null, observersComment = false): Stage => ({ phase, observersComment });

// What each role may do in each phase: E edit, A annotate (start, reply, resolve own delegation's), R manage rounds.
const expected: Record<string, Record<string, string>> = {
  none: { secretariat: "EAR", head: "EA", delegate: "EA", observer: "" },
  drafting: { secretariat: "EAR", head: "EA", delegate: "EA", observer: "" },
  review: { secretariat: "AR", head: "A", delegate: "A", observer: "" },
  consultation: { secretariat: "R", head: "", delegate: "", observer: "" },
  voting: { secretariat: "R", head: "", delegate: "", observer: "" },
  closed: { secretariat: "R", head: "", delegate: "", observer: "" },
};

function allowed(actor: Actor, current: Stage): string {
  const draft = { type: "draft" as const, id: "x", stage: current };
  const thread: ThreadResource = { type: "thread", draftId: "x", visibility: "all", delegationCode: "fr", stage: current };
  const annotate =
    can(actor, "annotation.create", { ...draft, visibility: "all" }) && can(actor, "annotation.reply", thread) && can(actor, "annotation.resolve", thread);
  return [can(actor, "draft.edit", draft) ? "E" : "", annotate ? "A" : "", can(actor, "round.manage", draft) ? "R" : ""].join("");
}

describe("the phase of a draft, through the policy", () => {
  for (const phase of [null, ...PHASES]) {
    for (const [role, actor] of Object.entries(people)) {
      const want = expected[phase ?? "none"]?.[role] ?? "";
      it(`${phase ?? "before any round"} × ${role} → ${want || "read only"}`, () => {
        expect(allowed(actor, phase === null ? OPEN_STAGE : stage(phase))).toBe(want);
      });
    }
  }

  it("lets observers comment only in a round that allows it, and only while annotating is open", () => {
    const observer = people.observer as Actor;
    const resource = (current: Stage) => ({ type: "draft" as const, id: "x", visibility: "all" as const, stage: current });
    expect(can(observer, "annotation.create", resource(stage("review", true)))).toBe(true);
    expect(can(observer, "annotation.create", resource(stage("drafting", true)))).toBe(true);
    expect(can(observer, "annotation.create", resource(stage("voting", true)))).toBe(false);
    expect(can(observer, "annotation.create", resource(stage("review", false)))).toBe(false);
    // Observers never edit, whatever the round.
    expect(can(observer, "draft.edit", { type: "draft", id: "x", stage: stage("drafting", true) })).toBe(false);
  });

  it("lets everyone who reads the draft see its rounds", () => {
    for (const actor of Object.values(people)) expect(can(actor, "round.view", { type: "draft", id: "x" })).toBe(true);
    expect(can(null, "round.view", { type: "draft", id: "x" })).toBe(false);
  });
});
