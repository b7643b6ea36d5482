import { formatMoment } from "../../i18n/format";
import { t } from "../../i18n/translate";
import type { Actor } from "../auth/policy";
import type { Queryable } from "../db/connection";
import type { Live } from "../live";
import {
  AmendmentChangedError,
  AmendmentClosedError,
  AmendmentGoneError,
  adoptAmendment,
  findAmendment,
  rejectAmendment,
  resumeAdoption,
  type Amendment,
} from "./amendments";
import { OpenBracketsError, setClauseStatus, UnknownClauseError } from "./clause-status";
import type { Motion, MotionApplication, MotionBracket } from "./motions";
import { BracketGoneError, resolveBracketInText, resolvedByMotion } from "./brackets";
import { writeNotifications, type NotificationKind } from "./notifications";
import { isEditNotStored } from "./live-texts";
import { message, type Message } from "./messages";
import { findOpenAdoptionStep } from "./pending-steps";
import { findUser } from "./users";
import { saveVersion } from "./versions";

/**
 * What applying a motion's result did, and, when it did not simply apply or have nothing to do, a
 * note saying why; `retry` when it failed for a reason that may pass (storage, start-up).
 */
export type MotionResultEffect =
  | { application: Extract<MotionApplication, "applied" | "nothing">; note: null; retry: false }
  | { application: Extract<MotionApplication, "failed" | "needs-confirmation">; note: Message; retry: boolean };

/**
 * Applies a closed motion's result, as the secretariat's decision by vote (attributed to the member
 * of the secretariat who put the motion), and says what it did; the caller records it. An adopted
 * amendment is applied to the text and the text then saved as an `adopted` version (when its words
 * changed since tabling, the motion records that the secretariat must confirm it); a rejected one
 * is rejected. An adopted clause is marked agreed. An adopted version is marked adopted by the
 * motion itself (versions never change). A motion without a decision (quorum missed) changes
 * nothing. Safe to run again after a crash: an amendment's edit carries a key and is made once, an
 * adoption left half-done is finished, and the adopted version is saved once (keyed by the motion).
 */
export async function applyMotionResult(live: Live, motion: Motion): Promise<MotionResultEffect> {
  const putBy = await findUser(motion.putBy);
  if (!putBy) return failed(message("error.motion.authorMissing"));
  const actor: Actor = { id: putBy.id, role: putBy.role, delegationCode: putBy.delegationCode };
  return apply(live, motion, actor);
}

async function apply(live: Live, motion: Motion, actor: Actor): Promise<MotionResultEffect> {
  if (motion.outcome === "no-quorum" || motion.outcome === null) return done("nothing");
  const adopted = motion.outcome === "adopted";
  if (motion.subject === "amendment") {
    const amendment = motion.amendmentNumber === null ? null : await findAmendment({ draftId: motion.draftId, number: motion.amendmentNumber });
    if (!amendment) return failed(message("motions.application.amendmentMissing"));
    if (!adopted) {
      // Already rejected (an earlier attempt, or the secretariat by hand): nothing more to do.
      if (amendment.status === "rejected") return done("applied");
      try {
        await rejectAmendment(live, { actor, amendment });
        return done("applied");
      } catch (error) {
        if (error instanceof AmendmentClosedError && error.status === "rejected") return done("applied");
        if (error instanceof AmendmentClosedError) return failed(message(error.key, error.params));
        throw error;
      }
    }
    const adoption = await adoptForMotion(live, amendment, actor);
    if (adoption.application !== "applied") return adoption;
    // The text the delegations adopted is kept as a version of its own, once.
    const name = message("versionName.adoptedByMotion", { amendment: amendment.number, motion: motion.number });
    await saveVersion(live, { actor: null, draftId: motion.draftId, name, kind: "adopted", origin: `motion:${motion.id}` });
    return done("applied");
  }
  if (motion.subject === "clause") {
    if (!adopted || motion.clauseId === null) return done("nothing");
    try {
      await setClauseStatus(live, { actor, draftId: motion.draftId, clauseId: motion.clauseId, status: "agreed" });
      return done("applied");
    } catch (error) {
      if (error instanceof UnknownClauseError) return failed(message("motions.application.clauseMissing"));
      // Brackets still open in the clause say it is not agreed: they are resolved first.
      if (error instanceof OpenBracketsError) return failed(message(error.key, error.params));
      throw error;
    }
  }
  if (motion.subject === "bracket") {
    if (!adopted || motion.bracket === null) return done("nothing");
    return resolveForMotion(live, motion, motion.bracket, actor);
  }
  return done(adopted ? "applied" : "nothing");
}

// The bracket resolved as the motion asked, once: a bracket already gone counts as resolved only when
// this motion resolved it (an earlier attempt that stopped after the edit); otherwise it was resolved
// or deleted by hand meanwhile, which the motion reports.
async function resolveForMotion(live: Live, motion: Motion, bracket: MotionBracket, actor: Actor): Promise<MotionResultEffect> {
  try {
    await resolveBracketInText(live, { actor, draftId: motion.draftId, bracketId: bracket.id, keep: bracket.keep, motionId: motion.id });
    return done("applied");
  } catch (error) {
    if (error instanceof BracketGoneError) return (await resolvedByMotion(motion.id)) ? done("applied") : failed(message(error.key, error.params));
    if (isEditNotStored(error)) return { application: "failed", note: message("motions.application.notStored"), retry: true };
    throw error;
  }
}

// The amendment adopted, or found adopted: by an earlier attempt that stopped (whose adoption, if
// unfinished, is finished now) or by the secretariat by hand.
async function adoptForMotion(live: Live, amendment: Amendment, actor: Actor): Promise<MotionResultEffect> {
  if (amendment.status === "adopted") {
    const unfinished = await findOpenAdoptionStep(amendment.id);
    if (!unfinished) return done("applied");
    const resumed = await resumeAdoption(live, unfinished.id);
    if (resumed.outcome === "adopted") return done("applied");
    if (resumed.outcome === "pending") return { application: "failed", note: resumed.reason, retry: true };
    return effectOfRefusal(resumed.error) ?? failed(message(resumed.error.key, resumed.error.params));
  }
  try {
    await adoptAmendment(live, { actor, amendment });
    return done("applied");
  } catch (error) {
    const effect = effectOfRefusal(error);
    if (effect) return effect;
    throw error;
  }
}

// What an adoption's refusal means for the motion; null for an error nobody expected.
function effectOfRefusal(error: unknown): MotionResultEffect | null {
  if (error instanceof AmendmentChangedError) return { application: "needs-confirmation", note: message("motions.application.changed"), retry: false };
  if (error instanceof AmendmentClosedError && error.status === "adopted") return done("applied");
  if (error instanceof AmendmentGoneError || error instanceof AmendmentClosedError) return failed(message(error.key, error.params));
  // The amendment stays open and the text unchanged: the step is tried again, and meanwhile the
  // secretariat may adopt it by hand.
  if (isEditNotStored(error)) return { application: "failed", note: message("motions.application.notStored"), retry: true };
  return null;
}

function done(application: "applied" | "nothing"): MotionResultEffect {
  return { application, note: null, retry: false };
}

// A failure that trying again would not mend.
function failed(note: Message): MotionResultEffect {
  return { application: "failed", note, retry: false };
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
  return writeNotifications(
    tx,
    recipients.map((recipient) => ({ recipientId: recipient.id, kind: input.kind, draftId: motion.draft_id, motionId: input.motionId, actorId: input.actorId })),
    () => {
      const params = {
        motion: `M-${motion.number}`,
        draft: motion.title,
        deadline: formatMoment(motion.deadline, { timeZone: "UTC" }),
        outcome: motion.outcome ? t(`motions.outcome.${motion.outcome as "adopted" | "rejected" | "no-quorum"}`) : "",
        path: `/drafts/${motion.slug}/motions/${motion.number}`,
      };
      return { subject: t(`notifications.mail.${input.kind}.subject`, params), body: t(`notifications.mail.${input.kind}.body`, params) };
    },
  );
}
