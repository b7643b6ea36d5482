import { isSecretariat, type RuleSet } from "../actor";
import { coreRules } from "./core";

type DraftResource = { type: "draft"; id?: string };

/** Square brackets in a draft's text: what is not yet agreed. */
export interface BracketActions {
  "bracket.resolve": DraftResource;
  "bracket.view": DraftResource;
}

export const bracketRules: RuleSet<BracketActions> = {
  // Keeping one alternative, or dropping the passage, settles what the room agreed: the secretariat's
  // act (or a motion's result).
  "bracket.resolve": isSecretariat,
  "bracket.view": (actor, draft) => coreRules["draft.read"](actor, draft),
};
