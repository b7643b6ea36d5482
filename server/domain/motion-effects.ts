import { t } from "../../app/i18n/translate";
import type { Actor } from "../auth/policy";
import { EditNotStoredError } from "../collab/server-edits";
import type { Queryable } from "../db/connection";
import { AmendmentChangedError, AmendmentClosedError, AmendmentGoneError, adoptAmendment, findAmendment, rejectAmendment } from "./amendments";
import { setClauseStatus, UnknownClauseError } from "./clause-status";
import type { Motion, MotionApplication } from "./motions";
import { writeNotifications, type NotificationKind } from "./notifications";
import { findUser } from "./users";
import { saveVersion } from "./versions";

/** What applying a motion's result did; `retry` when it failed for a reason that may pass (storage, start-up). */
export interface MotionResultEffect {
  application: MotionApplication;
  note: string;
  retry: boolean;
}

/**
 * Applies a closed motion's result, as the secretariat's decision by vote (attributed to the member
 * of the secretariat who put the motion), and says what it did; the caller records it. An adopted
 * amendment is applied to the text and the text then saved as an `adopted` version (when its words
 * changed since tabling, the motion records that the secretariat must confirm it); a rejected one
 * is rejected. An adopted clause is marked agreed. An adopted version is marked adopted by the
 * motion itself (versions never change). A motion without a decision (quorum missed) changes
 * nothing. Safe to run again after a crash: an amendment already decided as the motion decided is
 * not edited twice (its status is claimed before the edit and kept once the edit is stored).
 */
export async function applyMotionResult(motion: Motion): Promise<MotionResultEffect> {
  const putBy = await findUser(motion.putBy);
  if (!putBy) return { application: "failed", note: "The motion's author was not found.", retry: false };
  const actor: Actor = { id: putBy.id, role: putBy.role, delegationCode: putBy.delegationCode };
  return apply(motion, actor);
}

async function apply(motion: Motion, actor: Actor): Promise<MotionResultEffect> {
  if (motion.outcome === "no-quorum" || motion.outcome === null) return done("nothing");
  const adopted = motion.outcome === "adopted";
  if (motion.subject === "amendment") {
    const amendment = motion.amendmentNumber === null ? null : await findAmendment({ draftId: motion.draftId, number: motion.amendmentNumber });
    if (!amendment) return { application: "failed", note: t("motions.application.amendmentMissing"), retry: false };
    // Already decided as the motion decided: an earlier attempt stored the edit and stopped before
    // recording it (or the secretariat decided by hand). The text is not edited a second time.
    const decided = adopted ? "adopted" : "rejected";
    if (amendment.status === decided) return done("applied");
    try {
      if (!adopted) {
        await rejectAmendment({ actor, amendment });
        return done("applied");
      }
      await adoptAmendment({ actor, amendment });
      // The text the delegations adopted is kept as a version of its own.
      await saveVersion({ actor: null, draftId: motion.draftId, name: `A-${amendment.number} adopted by motion M-${motion.number}`, kind: "adopted" });
      return done("applied");
    } catch (error) {
      if (error instanceof AmendmentChangedError) return { application: "needs-confirmation", note: t("motions.application.changed"), retry: false };
      if (error instanceof AmendmentClosedError && error.status === decided) return done("applied");
      if (error instanceof AmendmentGoneError || error instanceof AmendmentClosedError) return { application: "failed", note: error.message, retry: false };
      // The amendment stays open and the text unchanged: the step is tried again, and meanwhile the
      // secretariat may adopt it by hand.
      if (error instanceof EditNotStoredError) return { application: "failed", note: t("motions.application.notStored"), retry: true };
      throw error;
    }
  }
  if (motion.subject === "clause") {
    if (!adopted || motion.clauseId === null) return done("nothing");
    try {
      await setClauseStatus({ actor, draftId: motion.draftId, clauseId: motion.clauseId, status: "agreed" });
      return done("applied");
    } catch (error) {
      if (error instanceof UnknownClauseError) return { application: "failed", note: t("motions.application.clauseMissing"), retry: false };
      throw error;
    }
  }
  return done(adopted ? "applied" : "nothing");
}

function done(application: MotionApplication): MotionResultEffect {
  return { application, note: "", retry: false };
}

/**
 * Notifies the people a motion concerns, inside the caller's transaction, each also by a message in
 * the outbox: when it opens, the members of every delegation; 24 hours before its deadline, the
 * members of the delegations that have not voted; its result, everyone with an account.
 */
export async function notifyMotion(
  tx: Queryable,
  input: { motionId: string; kind: Extract<NotificationKind, "motion-opened" | "motion-closing" | "motion-result">; actorId: string | null },
): Promise<string[]> {
  const [motion] = await tx<{ draft_id: string; number: number; slug: string; title: string; deadline: Date; outcome: string | null }[]>`
    SELECT m.draft_id, m.number, d.slug, d.title, m.deadline, m.outcome
    FROM motions m JOIN drafts d ON d.id = m.draft_id WHERE m.id = ${input.motionId}`;
  if (!motion) return [];
  const recipients =
    input.kind === "motion-result"
      ? await tx<{ id: string }[]>`SELECT id FROM users WHERE NOT disabled`
      : await tx<{ id: string }[]>`
          SELECT id FROM users WHERE NOT disabled AND role IN ('head', 'delegate') AND delegation_code IS NOT NULL
            AND (${input.kind === "motion-opened"} OR delegation_code NOT IN (SELECT delegation_code FROM ballots WHERE motion_id = ${input.motionId}))`;
  const params = {
    motion: `M-${motion.number}`,
    draft: motion.title,
    deadline: motion.deadline.toISOString().replace("T", " ").slice(0, 16) + " UTC",
    outcome: motion.outcome ? t(`motions.outcome.${motion.outcome as "adopted" | "rejected" | "no-quorum"}`) : "",
    path: `/drafts/${motion.slug}/motions/${motion.number}`,
  };
  return writeNotifications(
    tx,
    recipients.map((recipient) => ({ recipientId: recipient.id, kind: input.kind, draftId: motion.draft_id, motionId: input.motionId, actorId: input.actorId })),
    () => ({ subject: t(`notifications.mail.${input.kind}.subject`, params), body: t(`notifications.mail.${input.kind}.body`, params) }),
  );
}
