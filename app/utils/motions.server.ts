import { redirect } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { authorize, notFound } from "~/utils/session.server";
import { can } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";
import { findAmendment, listAmendments } from "../../server/domain/amendments";
import { listDraftClauses, type ClauseOutline } from "../../server/domain/clause-status";
import { listDelegations } from "../../server/domain/delegations";
import { draftResource, type Draft } from "../../server/domain/drafts";
import {
  BALLOT_CHOICES,
  castBallot,
  closeMotion,
  findMotion,
  listBallots,
  listMotions,
  MAX_EXPLANATION_LENGTH,
  MotionClosedError,
  MotionInputError,
  MOTION_SUBJECTS,
  motionLabel,
  motionResource,
  putMotion,
  VOTING_RULES,
  withdrawBallot,
  type Motion,
  type MotionSubject,
} from "../../server/domain/motions";
import { listVersions } from "../../server/domain/versions";
import { loadDraftText } from "../../server/text-store/current-text";
import { listBrackets } from "~/editor/brackets";
import { FormRejection, parseForm, formMessage } from "./forms.server";
import { isTimeZone, wallTimeToUtc } from "./time-zones";
import { versionNameText } from "./versions";
import type { Live } from "../../server/live";

/** A motion as pages show it. */
function motionJson(motion: Motion, clauses: readonly ClauseOutline[]) {
  return {
    number: motion.number,
    label: motionLabel(motion),
    subject: subjectText(motion, clauses),
    subjectKind: motion.subject,
    amendmentNumber: motion.amendmentNumber,
    versionNumber: motion.versionNumber,
    rule: motion.rule,
    quorum: motion.quorum,
    deadline: motion.deadline.toISOString(),
    status: motion.status,
    putByName: motion.putByName,
    outcome: motion.outcome,
    reason: motion.reason,
    closedBy: motion.closedBy,
    closedAt: motion.closedAt?.toISOString() ?? null,
    application: motion.application,
    applicationNote: motion.applicationNote ? t(motion.applicationNote.key, motion.applicationNote.params) : "",
    tally: motion.tally,
  };
}

function subjectText(motion: Motion, clauses: readonly ClauseOutline[]): string {
  if (motion.subject === "bracket" && motion.bracket) {
    // The bracket's clause as numbered now; "preamble" selects the preamble's wording.
    const number = motion.bracket.clauseId ? (clauses.find((candidate) => candidate.id === motion.bracket?.clauseId)?.number ?? "?") : "preamble";
    return motion.bracket.keep === null ? t("motions.subject.bracketDrop", { number }) : t("motions.subject.bracketKeep", { number, text: motion.bracket.text ?? "" });
  }
  if (motion.subject === "amendment") return t("motions.subject.amendment", { number: motion.amendmentNumber ?? "" });
  if (motion.subject === "version") return t("motions.subject.version", { number: motion.versionNumber ?? "" });
  const clause = clauses.find((candidate) => candidate.id === motion.clauseId);
  return clause ? t("motions.subject.clause", { number: clause.number }) : t("motions.subject.clauseGone");
}

/** The motions page: every motion of the draft and, for the secretariat in the voting phase, what it may put. */
export async function loadMotionsView(user: SessionUser, draft: Draft) {
  authorize(user, "draft.read", { type: "draft", id: draft.id });
  const [motions, clauses] = await Promise.all([listMotions(draft.id), listDraftClauses(draft.id)]);
  const canPut = can(user, "motion.put", draftResource(draft));
  const isSecretariat = user.role === "secretariat";
  const [amendments, versions, text, delegations] = isSecretariat
    ? await Promise.all([listAmendments({ draftId: draft.id, status: "open" }), listVersions(draft.id), loadDraftText(draft.id), listDelegations()])
    : [[], [], null, []];
  const brackets = text ? listBrackets(text, new Map(delegations.map((delegation) => [delegation.code, delegation.shortName]))) : [];
  return {
    phase: draft.stage.phase,
    motions: motions.map((motion) => motionJson(motion, clauses)),
    canPut,
    isSecretariat,
    options: {
      amendments: amendments.map((amendment) => ({ value: String(amendment.number), label: `A-${amendment.number} — ${amendment.quote || amendment.proposed}`.slice(0, 120) })),
      clauses: clauses.map((clause) => ({ value: clause.id, label: `${clause.number} — ${clause.excerpt}`.slice(0, 120) })),
      versions: versions.map((version) => ({ value: String(version.number), label: `v${version.number} — ${versionNameText(version.name)}`.slice(0, 120) })),
      // Each open bracket once per outcome the motion may ask: keep an alternative, or drop the passage.
      brackets: brackets.flatMap((bracket) => {
        const number = bracket.clause ?? "preamble";
        return [
          ...bracket.options.map((option) => ({ value: `${bracket.id}:${option.option}`, label: t("motions.subject.bracketKeep", { number, text: option.text }).slice(0, 160) })),
          { value: `${bracket.id}:none`, label: t("motions.subject.bracketDrop", { number }) },
        ];
      }),
    },
  };
}

const PutForm = z.object({
  intent: z.literal("put"),
  subject: z.enum(MOTION_SUBJECTS, { errorMap: () => ({ message: formMessage("motions.subjectRequired") }) }),
  amendment: z.string().trim().max(12).default(""),
  bracket: z.string().trim().max(20).default(""),
  clause: z.string().trim().max(64).default(""),
  version: z.string().trim().max(12).default(""),
  rule: z.enum(VOTING_RULES, { errorMap: () => ({ message: formMessage("form.invalidChoice") }) }),
  quorum: z.coerce
    .number({ invalid_type_error: formMessage("motions.quorumInvalid") })
    .int(formMessage("motions.quorumInvalid"))
    .min(0, formMessage("motions.quorumInvalid"))
    .max(8, formMessage("motions.quorumInvalid")),
  deadline: z.string().trim().min(1, formMessage("form.required")).max(32),
  timeZone: z.string().trim().max(64).default("UTC"),
});

/**
 * The secretariat puts a motion: 403 for anyone else or outside the voting phase, 400 with field
 * errors for bad input (nothing written); then on to the new motion's page.
 */
export async function putMotionAction(live: Live, { request, user, draft }: { request: Request; user: SessionUser; draft: Draft }) {
  authorize(user, "motion.put", draftResource(draft));
  const input = await parseForm(request, PutForm);
  const values = { intent: "put", subject: input.subject, amendment: input.amendment, bracket: input.bracket, clause: input.clause, version: input.version, rule: input.rule, quorum: String(input.quorum), deadline: input.deadline, timeZone: input.timeZone };
  if (!isTimeZone(input.timeZone)) throw new FormRejection({ deadline: t("rounds.invalidZone") }, values);
  const deadline = wallTimeToUtc(input.deadline, input.timeZone);
  if (!deadline) throw new FormRejection({ deadline: t("motions.invalidTime") }, values);
  const subject = subjectOf(input, values);
  try {
    const motion = await putMotion(live, { actor: user, draftId: draft.id, subject, rule: input.rule, quorum: input.quorum, deadline });
    return redirect(`/drafts/${draft.slug}/motions/${motion.number}`);
  } catch (error) {
    if (error instanceof MotionInputError) throw new FormRejection({ [error.field]: t(error.key, error.params) }, values);
    throw error;
  }
}

function subjectOf(input: z.infer<typeof PutForm>, values: Record<string, string>): MotionSubject {
  if (input.subject === "bracket") {
    const chosen = /^(b[0-9a-f]{12}):(\d|none)$/.exec(input.bracket);
    if (!chosen?.[1] || !chosen[2]) throw new FormRejection({ bracket: t("motions.subjectRequired") }, values);
    return { kind: "bracket", bracketId: chosen[1], keep: chosen[2] === "none" ? null : Number(chosen[2]) };
  }
  if (input.subject === "clause") {
    if (input.clause === "") throw new FormRejection({ clause: t("motions.subjectRequired") }, values);
    return { kind: "clause", clauseId: input.clause };
  }
  const raw = input.subject === "amendment" ? input.amendment.replace(/^A-/i, "") : input.version.replace(/^v/i, "");
  const number = Number(raw);
  if (raw === "" || !Number.isSafeInteger(number) || number < 1) throw new FormRejection({ [input.subject]: t("motions.subjectRequired") }, values);
  return { kind: input.subject, number };
}

/** One motion's page: its facts, the ballots the viewer may see, who has not voted, and what the viewer may do. */
export async function loadMotionView(user: SessionUser, draft: Draft, numberParam: string | undefined) {
  const motion = await requireMotion(draft, numberParam);
  const resource = motionResource(motion, draft.stage);
  authorize(user, "motion.view", resource);
  const [clauses, delegations] = await Promise.all([listDraftClauses(draft.id), listDelegations()]);
  const showBallots = can(user, "motion.view-ballots", resource);
  const ballots = showBallots ? await listBallots(motion.id) : [];
  // The policy decides, not the account's delegation field: an observer attached to a delegation has one too.
  const own = can(user, "motion.view-own-ballot", resource)
    ? ((showBallots ? ballots : await listBallots(motion.id)).find((ballot) => ballot.delegationCode === user.delegationCode) ?? null)
    : null;
  const voted = new Set(motion.status === "closed" && motion.tally ? Object.keys(motion.tally.ballots) : ballots.map((ballot) => ballot.delegationCode));
  const amendment = motion.amendmentNumber === null ? null : await findAmendment({ draftId: draft.id, number: motion.amendmentNumber });
  return {
    motion: motionJson(motion, clauses),
    amendment: amendment ? { quote: amendment.quote, proposed: amendment.proposed, status: amendment.status } : null,
    delegations: delegations.map((delegation) => ({ code: delegation.code, name: delegation.shortName })),
    showBallots,
    ballots: ballots.map((ballot) => ({
      delegationCode: ballot.delegationCode,
      choice: ballot.choice,
      explanation: ballot.explanation,
      castByName: ballot.castByName,
      updatedAt: ballot.updatedAt.toISOString(),
    })),
    notVoted: showBallots ? delegations.filter((delegation) => !voted.has(delegation.code)).map((delegation) => delegation.shortName) : null,
    ownBallot: own ? { choice: own.choice, explanation: own.explanation } : null,
    canVote: can(user, "motion.vote", resource),
    canClose: can(user, "motion.close", resource),
  };
}

const MotionForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("vote"),
      choice: z.enum(BALLOT_CHOICES, { errorMap: () => ({ message: formMessage("form.invalidChoice") }) }),
      explanation: z.string().trim().max(MAX_EXPLANATION_LENGTH, formMessage("form.tooLong", { max: MAX_EXPLANATION_LENGTH })).default(""),
    }),
    z.object({ intent: z.literal("withdraw") }),
    z.object({ intent: z.literal("close") }),
  ],
  { errorMap: () => ({ message: formMessage("form.invalidChoice") }) },
);

/**
 * A head casts, replaces or withdraws the delegation's ballot; the secretariat closes the motion
 * early, each with a recent second factor (`requireStepUp`). 403 for what the policy refuses, 404 for an unknown motion, 400 for bad input, 409 when
 * the motion closed meanwhile.
 */
export async function motionAction(
  live: Live,
  { request, user, draft, numberParam, requireStepUp }: { request: Request; user: SessionUser; draft: Draft; numberParam: string | undefined; requireStepUp: () => void },
) {
  const motion = await requireMotion(draft, numberParam);
  const resource = motionResource(motion, draft.stage);
  authorize(user, "motion.view", resource);
  const input = await parseForm(request, MotionForm);
  try {
    if (input.intent === "close") {
      authorize(user, "motion.close", resource);
      requireStepUp();
      await closeMotion(live, { motionId: motion.id, closedBy: "secretariat", actor: user });
      return { done: t("motions.close.done") };
    }
    authorize(user, "motion.vote", resource);
    // A ballot is a state's position: cast, changed or withdrawn, it needs a recent second factor.
    requireStepUp();
    if (input.intent === "withdraw") {
      await withdrawBallot(live, { actor: user, motion });
      return { done: t("motions.withdraw.done") };
    }
    await castBallot(live, { actor: user, motion, choice: input.choice, explanation: input.explanation });
    return { done: t("motions.cast.done") };
  } catch (error) {
    if (error instanceof MotionClosedError) throw new FormRejection({ form: t(error.key, error.params) }, {}, 409);
    if (error instanceof MotionInputError) throw new FormRejection({ [error.field]: t(error.key, error.params) }, { intent: input.intent });
    throw error;
  }
}

async function requireMotion(draft: Draft, numberParam: string | undefined): Promise<Motion> {
  const number = Number((numberParam ?? "").replace(/^M-/i, ""));
  const motion = await findMotion({ draftId: draft.id, number });
  if (!motion) throw notFound();
  return motion;
}
