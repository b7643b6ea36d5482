import { isSecretariat, type Actor, type RuleSet } from "../actor";
import { phaseAllows, type Stage } from "../phases";
import { actsForDelegation } from "../roles";
import { coreRules } from "./core";

/** An amendment as the policy sees it: its draft, tabling delegation, co-sponsors and status. */
export type AmendmentResource = {
  type: "amendment";
  draftId: string;
  /** The tabling delegation. */
  delegationCode: string;
  cosponsors: readonly string[];
  status: "open" | "withdrawn" | "adopted" | "rejected";
  /** Where the amendment's draft stands in its rounds. */
  stage: Stage;
};

/** Formal amendments to a draft's text: tabling, co-sponsoring, withdrawing and deciding. */
export interface AmendmentActions {
  "amendment.table": { type: "draft"; id: string; stage: Stage };
  "amendment.view": AmendmentResource;
  "amendment.cosponsor": AmendmentResource;
  "amendment.withdraw-cosponsorship": AmendmentResource;
  "amendment.withdraw": AmendmentResource;
  "amendment.decide": AmendmentResource;
}

/** The delegation the actor acts for, if a head or delegate of one. */
function delegationOf(actor: Actor): string | null {
  return actsForDelegation(actor.role) ? actor.delegationCode : null;
}

const view = (actor: Actor, amendment: AmendmentResource): boolean =>
  coreRules["draft.read"](actor, { type: "draft", id: amendment.draftId });

export const amendmentRules: RuleSet<AmendmentActions> = {
  // Delegations table amendments while the phase allows it; the secretariat runs the process and
  // observers watch it.
  "amendment.table": (actor, draft) =>
    coreRules["draft.read"](actor, draft) && delegationOf(actor) !== null && phaseAllows(draft.stage, "amend"),
  // Amendments are formal and public among the participants.
  "amendment.view": view,
  "amendment.cosponsor": (actor, amendment) => {
    const code = delegationOf(actor);
    return (
      view(actor, amendment) &&
      amendment.status === "open" &&
      phaseAllows(amendment.stage, "amend") &&
      code !== null &&
      code !== amendment.delegationCode &&
      !amendment.cosponsors.includes(code)
    );
  },
  "amendment.withdraw-cosponsorship": (actor, amendment) => {
    const code = delegationOf(actor);
    return (
      view(actor, amendment) && amendment.status === "open" && phaseAllows(amendment.stage, "amend") && code !== null && amendment.cosponsors.includes(code)
    );
  },
  "amendment.withdraw": (actor, amendment) =>
    view(actor, amendment) && amendment.status === "open" && phaseAllows(amendment.stage, "amend") && delegationOf(actor) === amendment.delegationCode,
  // Adopting or rejecting, in any phase: the secretariat's decision (or a vote's, carried out by it).
  "amendment.decide": (actor, amendment) => view(actor, amendment) && amendment.status === "open" && isSecretariat(actor),
};
