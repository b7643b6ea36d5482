import type { SessionUser } from "../../server/auth/session";
import { amendmentLabel, listAmendments } from "../../server/domain/amendments";
import { listThreads } from "../../server/domain/annotations";
import { listClauseStatuses, outlineClauses, summariseClauseStatuses } from "../../server/domain/clause-status";
import { bracketsIn } from "../../schema/brackets";
import { loadDraftText } from "../../server/text-store/current-text";
import { listDelegations } from "../../server/domain/delegations";
import { listBallots, listMotions, motionLabel } from "../../server/domain/motions";
import { isMessage } from "../../server/domain/messages";
import { listFailingSteps } from "../../server/domain/pending-steps";
import { retryStepNow } from "../../server/domain/step-runner";
import { countPendingSubmissions } from "../../server/domain/submissions";
import type { Draft } from "../../server/domain/drafts";
import { publicationsByVersion } from "../../server/domain/publications";
import { listVersions } from "../../server/domain/versions";
import { t } from "../../i18n/translate";
import { loadPhaseBanner } from "./rounds.server";
import { versionNameText } from "./versions";
import { authorize } from "./session.server";
import type { Live } from "../../server/live";

/**
 * The secretariat's desk for one draft: the phase and its deadline, where the clauses stand, the
 * open amendments, the comments waiting for an answer, and the latest versions and publications.
 */
export async function loadDesk(live: Live, user: SessionUser, draft: Draft) {
  authorize(user, "desk.view", { type: "draft", id: draft.id });
  const [phase, text, statuses, amendments, threads, versions, published, delegations, motions, pendingSubmissions] = await Promise.all([
    loadPhaseBanner(user, draft),
    loadDraftText(draft.id),
    listClauseStatuses(draft.id),
    listAmendments({ draftId: draft.id, status: "open" }),
    listThreads(live, { viewer: user, draftId: draft.id, status: "open" }),
    listVersions(draft.id),
    publicationsByVersion(draft),
    listDelegations(),
    listMotions(draft.id),
    countPendingSubmissions(draft.id),
  ]);
  const open = motions.filter((motion) => motion.status === "open");
  const clauses = outlineClauses(text);
  // The preamble's brackets count too: they are as open as a clause's.
  const preambleBrackets = bracketsIn(text).filter((bracket) => bracket.clauseId === null).length;
  const ballots = await Promise.all(open.map((motion) => listBallots(motion.id)));
  const names = new Map(delegations.map((delegation) => [delegation.code, delegation.shortName]));
  const reserved = statuses.filter((status) => status.status === "reserved");
  return {
    phase,
    pendingSubmissions,
    motions: open.map((motion, index) => {
      const voted = new Set((ballots[index] ?? []).map((ballot) => ballot.delegationCode));
      return {
        number: motion.number,
        label: motionLabel(motion),
        subject: motion.subject,
        subjectNumber:
          motion.subject === "amendment"
            ? String(motion.amendmentNumber)
            : motion.subject === "version"
              ? String(motion.versionNumber)
              : (clauses.find((clause) => clause.id === (motion.subject === "bracket" ? motion.bracket?.clauseId : motion.clauseId))?.number ?? null),
        rule: motion.rule,
        deadline: motion.deadline.toISOString(),
        cast: voted.size,
        notVoted: delegations.filter((delegation) => !voted.has(delegation.code)).map((delegation) => delegation.shortName),
      };
    }),
    awaitingConfirmation: motions
      .filter((motion) => motion.application === "needs-confirmation")
      .map((motion) => ({ number: motion.number, label: motionLabel(motion), note: motion.applicationNote ? t(motion.applicationNote.key, motion.applicationNote.params) : "" })),
    clauseSummary: summariseClauseStatuses(clauses, statuses),
    brackets: {
      total: preambleBrackets + clauses.reduce((sum, clause) => sum + clause.openBrackets, 0),
      inPreamble: preambleBrackets,
      byClause: clauses.filter((clause) => clause.openBrackets > 0).map((clause) => ({ number: clause.number, count: clause.openBrackets })),
    },
    reservations: reserved.map((status) => ({
      number: clauses.find((clause) => clause.id === status.clauseId)?.number ?? "?",
      delegations: status.reservingDelegations.map((code) => names.get(code) ?? code),
    })),
    amendments: amendments.map((amendment) => ({
      number: amendment.number,
      label: `A-${amendment.number}`,
      kind: amendment.kind,
      delegation: names.get(amendment.delegationCode) ?? amendment.delegationCode,
      cosponsors: amendment.cosponsors.length,
      changed: amendment.changed,
      gone: amendment.range === null,
      createdAt: amendment.createdAt.toISOString(),
    })),
    threads: {
      open: threads.filter((thread) => thread.detachedAt === null).length,
      detached: threads.filter((thread) => thread.detachedAt !== null).length,
      unanswered: threads.filter((thread) => thread.detachedAt === null && thread.comments.length === 1).length,
    },
    versions: versions.slice(0, 5).map((version) => ({
      number: version.number,
      name: versionNameText(version.name),
      kind: version.kind,
      createdAt: version.createdAt.toISOString(),
      published: published.has(version.id),
    })),
  };
}

/**
 * The steps of a draft's work that keep failing (a motion's result not applied, an adoption not
 * finished, a phase's version not saved, after several attempts), with the reason, for the desk's
 * panel; the secretariat's alone.
 */
export async function loadFailingSteps(user: SessionUser, draft: Draft) {
  authorize(user, "desk.view", { type: "draft", id: draft.id });
  const steps = await listFailingSteps(draft.id);
  const base = `/drafts/${draft.slug}`;
  return steps.map((step) => {
    const reason = step.lastError ? t(step.lastError.key, step.lastError.params) : "";
    const common = { id: step.id, attempts: step.attempts, reason, nextAttemptAt: step.nextAttemptAt.toISOString() };
    if (step.kind === "motion-result") {
      const label = motionLabel({ number: step.motionNumber ?? 0 });
      return { ...common, label, href: `${base}/motions/${step.motionNumber}`, text: t("desk.failingStep", { motion: label, attempts: step.attempts, reason }) };
    }
    if (step.kind === "amendment-adoption") {
      const label = amendmentLabel({ number: step.amendmentNumber ?? 0 });
      return { ...common, label, href: `${base}/amendments`, text: t("desk.failingAdoption", { amendment: label, attempts: step.attempts, reason }) };
    }
    const recorded = step.details.name;
    const name = isMessage(recorded) ? versionNameText(recorded) : typeof recorded === "string" ? recorded : "";
    return { ...common, label: name, href: `${base}/versions`, text: t("desk.failingPhaseVersion", { name, attempts: step.attempts, reason }) };
  });
}

/**
 * Runs a failing step of this draft again now; false when the draft has no such step pending. The
 * step itself decides what to do (it is safe to run twice), so a retry cannot apply a result twice.
 */
export async function retryFailingStep(live: Live, user: SessionUser, draft: Draft, stepId: string): Promise<boolean> {
  authorize(user, "desk.retry", { type: "draft", id: draft.id });
  return retryStepNow(live, { draftId: draft.id, stepId, actorId: user.id });
}
