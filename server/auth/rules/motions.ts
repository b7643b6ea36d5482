import { isSecretariat, type Actor, type RuleSet } from "../actor";
import { phaseAllows, type Stage } from "../phases";
import { actsForDelegation } from "../roles";
import { coreRules } from "./core";

/** A motion as the policy sees it: its draft's stage, and whether it still takes ballots. */
export type MotionResource = {
  type: "motion";
  draftId: string;
  stage: Stage;
  status: "open" | "closed";
  /** Whether its deadline is still ahead. */
  beforeDeadline: boolean;
};

/** Motions put to the delegations, and their ballots. */
export interface MotionActions {
  /** Put a motion on an amendment, a clause or a version. */
  "motion.put": { type: "draft"; id: string; stage: Stage };
  /** See the motion, and its result once closed. */
  "motion.view": MotionResource;
  /** See each delegation's ballot while the motion is open. */
  "motion.view-ballots": MotionResource;
  /** See the actor's own delegation's ballot while the motion is open. */
  "motion.view-own-ballot": MotionResource;
  /** Cast, replace or withdraw the actor's delegation's ballot. */
  "motion.vote": MotionResource;
  /** Close the motion before its deadline. */
  "motion.close": MotionResource;
}

const read = (actor: Actor, draftId: string): boolean => coreRules["draft.read"](actor, { type: "draft", id: draftId });

export const motionRules: RuleSet<MotionActions> = {
  // The secretariat runs the vote; motions are put while the draft is in its voting phase.
  "motion.put": (actor, draft) => isSecretariat(actor) && read(actor, draft.id) && phaseAllows(draft.stage, "vote"),
  // Everyone who reads the draft sees its motions and their results.
  "motion.view": (actor, motion) => read(actor, motion.draftId),
  // Open ballots are for the delegations and the secretariat; once closed, the tally is on the record.
  "motion.view-ballots": (actor, motion) =>
    read(actor, motion.draftId) && (motion.status === "closed" || isSecretariat(actor) || actsForDelegation(actor.role)),
  // A delegation's ballot before the result is for those who act for it. An observer attached to a
  // delegation does not: observers see no ballot before the motion closes, their delegation's neither.
  "motion.view-own-ballot": (actor, motion) => read(actor, motion.draftId) && actsForDelegation(actor.role) && actor.delegationCode !== null,
  // A head of delegation votes for their own delegation only (the ballot is keyed by the actor's
  // delegation, never by a field of the request), while the motion is open, before its deadline,
  // and while the phase allows voting. The secretariat never votes.
  "motion.vote": (actor, motion) =>
    actor.role === "head" &&
    actor.delegationCode !== null &&
    read(actor, motion.draftId) &&
    motion.status === "open" &&
    motion.beforeDeadline &&
    phaseAllows(motion.stage, "vote"),
  // The secretariat may close an open motion early in any phase (its deadline closes it otherwise).
  "motion.close": (actor, motion) => isSecretariat(actor) && read(actor, motion.draftId) && motion.status === "open",
};
