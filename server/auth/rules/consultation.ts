import { isSecretariat, type Actor, type RuleSet } from "../actor";
import { phaseAllows, type Stage } from "../phases";
import { actsForDelegation } from "../roles";

type DraftResource = { type: "draft"; id: string };

/**
 * A published version as someone from the public would comment on it: where its draft stands, and
 * which version the current consultation round opened (null when none is open).
 */
export type FeedbackResource = { type: "version"; draftId: string; versionId: string; stage: Stage; consultationVersionId: string | null };

/** Public consultation: feedback from the public, its moderation, and the disposition table. */
export interface ConsultationActions {
  /** Send feedback on a published version: anyone, signed in or not. */
  "submission.create": FeedbackResource;
  /** Read every submission with the sender's e-mail, and accept, reject or mark it as spam. */
  "submission.moderate": DraftResource;
  /** Write the disposition of an accepted submission, and publish the disposition table. */
  "disposition.answer": DraftResource;
  /** Read (and export) the disposition table: accepted submissions and their answers, without e-mails. */
  "disposition.view": DraftResource;
}

/**
 * Whether feedback may be sent on a version: only while the draft's phase is public consultation,
 * and only on the version that round opened. It does not depend on who sends it.
 */
export function feedbackOpen(version: FeedbackResource): boolean {
  return phaseAllows(version.stage, "feedback") && version.consultationVersionId === version.versionId;
}

// The table is the initiative's answer to the public, prepared for the delegations that decide.
// Observers (invited experts) read it once the secretariat publishes it, like the public.
const viewsDispositions = (actor: Actor): boolean => isSecretariat(actor) || (actsForDelegation(actor.role) && actor.delegationCode !== null);

export const consultationRules: RuleSet<ConsultationActions> = {
  "submission.create": (_actor, version) => feedbackOpen(version),
  "submission.moderate": isSecretariat,
  "disposition.answer": isSecretariat,
  "disposition.view": viewsDispositions,
};

/** The consultation actions open to anyone, with or without an account: decided by the resource alone. */
export const openConsultationRules: { [A in "submission.create"]: (resource: ConsultationActions[A]) => boolean } = {
  "submission.create": feedbackOpen,
};
