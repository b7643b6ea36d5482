import { isSecretariat, type RuleSet } from "../actor";
import { coreRules } from "./core";

type DraftResource = { type: "draft"; id?: string };

/** Consultation rounds: the phases of a draft, and who sets them. */
export interface RoundActions {
  /** Schedule, cancel and advance rounds. */
  "round.manage": DraftResource;
  "round.view": DraftResource;
  /** The secretariat's desk for a draft: where the process stands and what waits for it. */
  "desk.view": DraftResource;
}

export const roundRules: RuleSet<RoundActions> = {
  "round.manage": isSecretariat,
  // Whoever reads the draft sees its phase, deadline and instructions.
  "round.view": (actor, draft) => coreRules["draft.read"](actor, draft),
  "desk.view": isSecretariat,
};
