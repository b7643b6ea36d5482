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
  /** Try again now a step of a draft's work that keeps failing (a motion's result not applied). */
  "desk.retry": DraftResource;
}

export const roundRules: RuleSet<RoundActions> = {
  "round.manage": isSecretariat,
  // Whoever reads the draft sees its phase, deadline and instructions.
  "round.view": (actor, draft) => coreRules["draft.read"](actor, draft),
  "desk.view": isSecretariat,
  // The secretariat runs the process; a retry changes nothing a step would not do on its own.
  "desk.retry": isSecretariat,
};
