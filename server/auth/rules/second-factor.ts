import { isSecretariat, type RuleSet } from "../actor";
import type { AccountResource } from "./core";

/** Second factors: who sets the policy, and who resets the factors of someone who lost them. */
export interface SecondFactorActions {
  "second-factor.set-policy": { type: "site" };
  "second-factor.reset": AccountResource;
}

export const secondFactorRules: RuleSet<SecondFactorActions> = {
  "second-factor.set-policy": isSecretariat,
  // The secretariat resets anyone's but its own (another member of it does that); a head of
  // delegation resets their own delegates'. Nobody resets their own: that would be a way around it.
  "second-factor.reset": (actor, account) => {
    if (account.id === actor.id) return false;
    if (isSecretariat(actor)) return true;
    return actor.role === "head" && account.role === "delegate" && actor.delegationCode !== null && account.delegationCode === actor.delegationCode;
  },
};
