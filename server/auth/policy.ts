import type { Actor, Rule } from "./actor";
import { amendmentRules, type AmendmentActions } from "./rules/amendments";
import { annotationRules, type AnnotationActions } from "./rules/annotations";
import { bracketRules, type BracketActions } from "./rules/brackets";
import { clauseStatusRules, type ClauseStatusActions } from "./rules/clause-status";
import { consultationRules, openConsultationRules, type ConsultationActions } from "./rules/consultation";
import { coreRules, type CoreActions } from "./rules/core";
import { publicationRules, type PublicationActions } from "./rules/publications";
import { versionRules, type VersionActions } from "./rules/versions";
import { roundRules, type RoundActions } from "./rules/rounds";
import { motionRules, type MotionActions } from "./rules/motions";
import { meetingRules, type MeetingActions } from "./rules/meetings";
import { secondFactorRules, type SecondFactorActions } from "./rules/second-factor";

export type { Actor } from "./actor";
export type { AccountResource } from "./rules/core";

/**
 * Every action the policy decides, with the resource it applies to. Each area of the product
 * keeps its actions and rules in `rules/<area>.ts`; this is where they are put together.
 */
export interface Actions
  extends CoreActions,
    ClauseStatusActions,
    BracketActions,
    AnnotationActions,
    AmendmentActions,
    VersionActions,
    PublicationActions,
    RoundActions,
    MotionActions,
    MeetingActions,
    SecondFactorActions,
    ConsultationActions {}
export type Action = keyof Actions;

const rules: { [A in Action]: Rule<Actions[A]> } = {
  ...coreRules,
  ...clauseStatusRules,
  ...bracketRules,
  ...annotationRules,
  ...amendmentRules,
  ...versionRules,
  ...publicationRules,
  ...roundRules,
  ...motionRules,
  ...meetingRules,
  ...secondFactorRules,
  ...consultationRules,
};

// The few actions anyone may take without an account, decided by the resource alone.
const openRules: { [A in Action]?: (resource: Actions[A]) => boolean } = {
  ...openConsultationRules,
};

/** Whether `actor` may do `action` to `resource`: the one permission policy of Accord. */
export function can<A extends Action>(actor: Actor | null, action: A, resource: Actions[A]): boolean {
  if (!actor) return (openRules[action] as ((resource: Actions[A]) => boolean) | undefined)?.(resource) ?? false;
  return (rules[action] as Rule<Actions[A]>)(actor, resource);
}
