import { isSecretariat, type RuleSet } from "../actor";
import { phaseAllows, type Stage } from "../phases";
import { actsForDelegation, type Role } from "../roles";

/** An account as the policy sees it. */
export type AccountResource = { type: "account"; id: string; role: Role; delegationCode: string | null };

/** Drafts, delegations, administration, invitations and accounts. */
export interface CoreActions {
  "draft.list": { type: "site" };
  "draft.create": { type: "site" };
  "draft.read": { type: "draft"; id?: string };
  "draft.edit": { type: "draft"; id?: string; stage: Stage };
  "delegation.view": { type: "delegation"; code: string };
  "delegation.view-contacts": { type: "delegation"; code: string };
  "admin.view": { type: "site" };
  "invitation.create": { type: "invitation"; role: Role; delegationCode: string | null };
  "account.disable": AccountResource;
  "account.change-role": AccountResource;
}

export const coreRules: RuleSet<CoreActions> = {
  "draft.list": () => true,
  "draft.create": isSecretariat,
  "draft.read": () => true,
  // Observers read; everyone else co-edits while the phase is drafting (or before any round).
  "draft.edit": (actor, draft) => actor.role !== "observer" && phaseAllows(draft.stage, "edit"),
  "delegation.view": () => true,
  // Members' email addresses are for their own delegation and the secretariat.
  "delegation.view-contacts": (actor, delegation) => isSecretariat(actor) || actor.delegationCode === delegation.code,
  "admin.view": isSecretariat,
  "invitation.create": (actor, invitation) => {
    if (isSecretariat(actor)) {
      // Heads and delegates belong to a delegation; the secretariat to none; observers either way.
      if (actsForDelegation(invitation.role)) return invitation.delegationCode !== null;
      return invitation.role !== "secretariat" || invitation.delegationCode === null;
    }
    return (
      actor.role === "head" &&
      invitation.role === "delegate" &&
      actor.delegationCode !== null &&
      invitation.delegationCode === actor.delegationCode
    );
  },
  // The secretariat manages accounts but cannot lock itself out.
  "account.disable": (actor, account) => isSecretariat(actor) && account.id !== actor.id,
  "account.change-role": (actor, account) => isSecretariat(actor) && account.id !== actor.id,
};
