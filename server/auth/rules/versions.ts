import { isSecretariat, type RuleSet } from "../actor";
import type { Stage } from "../phases";
import { annotationRules } from "./annotations";
import { coreRules } from "./core";

type DraftResource = { type: "draft"; id?: string };

/** Versions of a draft: saving, reading and comparing them, and restoring one into the live text. */
export interface VersionActions {
  "version.save": DraftResource & { stage: Stage };
  "version.view": DraftResource;
  "version.restore": DraftResource;
}

export const versionRules: RuleSet<VersionActions> = {
  // Whoever may edit or annotate the draft, and the secretariat.
  "version.save": (actor, draft) =>
    isSecretariat(actor) ||
    coreRules["draft.edit"](actor, draft) ||
    annotationRules["annotation.create"](actor, { type: "draft", id: draft.id ?? "", visibility: "all", stage: draft.stage }),
  "version.view": (actor, draft) => coreRules["draft.read"](actor, draft),
  // Restoring changes everyone's live text: the secretariat's decision.
  "version.restore": (actor, draft) => isSecretariat(actor) && coreRules["draft.read"](actor, draft),
};
