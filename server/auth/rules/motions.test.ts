import { describe, expect, it } from "vitest";
import { PHASES, type Phase, type Stage } from "../phases";
import { can, type Actor } from "../policy";
import type { MotionResource } from "./motions";

const secretariat: Actor = { id: "s", role: "secretariat", delegationCode: null };
const head: Actor = { id: "h", role: "head", delegationCode: "no" };
const delegate: Actor = { id: "d", role: "delegate", delegationCode: "fr" };
const observer: Actor = { id: "o", role: "observer", delegationCode: null };
// An observer invited through a delegation carries its code, and still acts for no one.
const attachedObserver: Actor = { id: "a", role: "observer", delegationCode: "no" };
const actors = { secretariat, head, delegate, observer, attachedObserver } as const;
type Who = keyof typeof actors;

const stageOf = (phase: Phase | null): Stage => ({ phase, observersComment: false });
const motion = (phase: Phase | null, status: "open" | "closed" = "open", beforeDeadline = true): MotionResource => ({
  type: "motion",
  draftId: "d1",
  stage: stageOf(phase),
  status,
  beforeDeadline,
});

// Who may do what to an open motion before its deadline, phase by phase (null: before any round).
const OPEN_TABLE: { action: "motion.put" | "motion.vote" | "motion.close" | "motion.view" | "motion.view-ballots" | "motion.view-own-ballot"; allowed: (phase: Phase | null) => Who[] }[] = [
  { action: "motion.put", allowed: (phase) => (phase === "voting" ? ["secretariat"] : []) },
  { action: "motion.vote", allowed: (phase) => (phase === "voting" ? ["head"] : []) },
  { action: "motion.close", allowed: () => ["secretariat"] },
  { action: "motion.view", allowed: () => ["secretariat", "head", "delegate", "observer", "attachedObserver"] },
  { action: "motion.view-ballots", allowed: () => ["secretariat", "head", "delegate"] },
  { action: "motion.view-own-ballot", allowed: () => ["head", "delegate"] },
];

describe("the motion rules", () => {
  for (const phase of [null, ...PHASES]) {
    for (const { action, allowed } of OPEN_TABLE) {
      it(`in ${phase ?? "no round"}: ${action} is for ${allowed(phase).join(", ") || "nobody"}`, () => {
        for (const [who, actor] of Object.entries(actors) as [Who, Actor][]) {
          const resource = action === "motion.put" ? { type: "draft" as const, id: "d1", stage: stageOf(phase) } : motion(phase);
          expect(can(actor, action, resource as never), `${who} ${action}`).toBe(allowed(phase).includes(who));
          expect(can(null, action, resource as never)).toBe(false);
        }
      });
    }
  }

  it("take no ballot once the deadline has passed or the motion has closed, and close a motion once", () => {
    expect(can(head, "motion.vote", motion("voting", "open", false))).toBe(false);
    expect(can(head, "motion.vote", motion("voting", "closed", true))).toBe(false);
    expect(can(secretariat, "motion.close", motion("voting", "closed"))).toBe(false);
    // A head without a delegation (a data error) votes for nobody.
    expect(can({ ...head, delegationCode: null }, "motion.vote", motion("voting"))).toBe(false);
  });

  it("show everyone who reads the draft the ballots once the motion has closed", () => {
    for (const actor of Object.values(actors)) expect(can(actor, "motion.view-ballots", motion("closed", "closed"))).toBe(true);
  });
});
