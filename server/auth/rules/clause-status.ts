import { isSecretariat, type RuleSet } from "../actor";
import { coreRules } from "./core";

type DraftResource = { type: "draft"; id?: string };

/** Where each clause of a draft stands: agreed, agreed ad referendum, pending or reserved. */
export interface ClauseStatusActions {
  "clause.set-status": DraftResource;
  "clause.view-status": DraftResource;
}

export const clauseStatusRules: RuleSet<ClauseStatusActions> = {
  "clause.set-status": isSecretariat,
  // Whoever reads the text sees where its clauses stand.
  "clause.view-status": (actor, draft) => coreRules["draft.read"](actor, draft),
};
