import type { Actor, Rule } from "./actor";
import { amendmentRules, type AmendmentActions } from "./rules/amendments";
import { annotationRules, type AnnotationActions } from "./rules/annotations";
import { clauseStatusRules, type ClauseStatusActions } from "./rules/clause-status";
import { coreRules, type CoreActions } from "./rules/core";
import { publicationRules, type PublicationActions } from "./rules/publications";
import { versionRules, type VersionActions } from "./rules/versions";
import { roundRules, type RoundActions } from "./rules/rounds";
import { motionRules, type MotionActions } from "./rules/motions";

export type { Actor } from "./actor";
export type { AccountResource } from "./rules/core";

/**
 * Every action the policy decides, with the resource it applies to. Each area of the product
 * keeps its actions and rules in `rules/<area>.ts`; this is where they are put together.
 */
export interface Actions extends CoreActions, ClauseStatusActions, AnnotationActions, AmendmentActions, VersionActions, PublicationActions, RoundActions, MotionActions {}
export type Action = keyof Actions;

const rules: { [A in Action]: Rule<Actions[A]> } = {
  ...coreRules,
  ...clauseStatusRules,
  ...annotationRules,
  ...amendmentRules,
  ...versionRules,
  ...publicationRules,
  ...roundRules,
  ...motionRules,
};

/** Whether `actor` may do `action` to `resource`: the one permission policy of Accord. */
export function can<A extends Action>(actor: Actor | null, action: A, resource: Actions[A]): boolean {
  if (!actor) return false;
  return (rules[action] as Rule<Actions[A]>)(actor, resource);
}
