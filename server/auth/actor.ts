import type { Role } from "./roles";

/** Who is acting: what the policy needs to know of a person. */
export interface Actor {
  id: string;
  role: Role;
  delegationCode: string | null;
}

/** A permission rule: whether an actor may do one action to a resource. */
export type Rule<R> = (actor: Actor, resource: R) => boolean;

/** The rules of a set of actions, one per action. */
export type RuleSet<A> = { [K in keyof A]: Rule<A[K]> };

/** Whether the actor is the secretariat. */
export const isSecretariat = (actor: Actor): boolean => actor.role === "secretariat";
