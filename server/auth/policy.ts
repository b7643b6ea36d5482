import { actsForDelegation, type Role } from "./roles";

/** Who is acting: what the policy needs to know of a person. */
export interface Actor {
  id: string;
  role: Role;
  delegationCode: string | null;
}

/** What an action is done to. */
export type Resource =
  | { type: "site" }
  | { type: "draft"; id?: string }
  | { type: "delegation"; code: string }
  | { type: "invitation"; role: Role; delegationCode: string | null }
  | { type: "account"; id: string; role: Role; delegationCode: string | null };

/** Every action the policy decides, with the resource it applies to. */
export interface Actions {
  "draft.list": { type: "site" };
  "draft.create": { type: "site" };
  "draft.read": { type: "draft"; id?: string };
  "draft.edit": { type: "draft"; id?: string };
  "delegation.view": { type: "delegation"; code: string };
  "delegation.view-contacts": { type: "delegation"; code: string };
  "admin.view": { type: "site" };
  "invitation.create": { type: "invitation"; role: Role; delegationCode: string | null };
  "account.disable": Extract<Resource, { type: "account" }>;
  "account.change-role": Extract<Resource, { type: "account" }>;
}
export type Action = keyof Actions;

type Rule<A extends Action> = (actor: Actor, resource: Actions[A]) => boolean;

const isSecretariat = (actor: Actor) => actor.role === "secretariat";

// One rule per action. Later issues add drafts' rounds, annotations and votes here.
const rules: { [A in Action]: Rule<A> } = {
  "draft.list": () => true,
  "draft.create": isSecretariat,
  "draft.read": () => true,
  // Observers read; everyone else co-edits (rounds will narrow this by phase).
  "draft.edit": (actor) => actor.role !== "observer",
  "delegation.view": () => true,
  // Members' email addresses are for their own delegation and the secretariat.
  "delegation.view-contacts": (actor, delegation) => isSecretariat(actor) || actor.delegationCode === delegation.code,
  "admin.view": isSecretariat,
  "invitation.create": (actor, invitation) => {
    if (isSecretariat(actor)) return !actsForDelegation(invitation.role) || invitation.delegationCode !== null;
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

/** Whether `actor` may do `action` to `resource`: the one permission policy of Accord. */
export function can<A extends Action>(actor: Actor | null, action: A, resource: Actions[A]): boolean {
  if (!actor) return false;
  return rules[action](actor, resource);
}
