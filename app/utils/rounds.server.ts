import { z } from "zod";
import { t } from "../../i18n/translate";
import { authorize, notFound } from "~/utils/session.server";
import { PHASES } from "../../server/auth/phases";
import { can } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";
import type { Draft } from "../../server/domain/drafts";
import { listPublications } from "../../server/domain/publications";
import { countPendingSubmissions } from "../../server/domain/submissions";
import {
  advanceRound,
  cancelRound,
  createRound,
  findRound,
  listRounds,
  MAX_INSTRUCTIONS,
  MAX_ROUND_NAME,
  RoundInputError,
  roundState,
  type Round,
} from "../../server/domain/rounds";
import { fields, FormRejection, parseForm, formMessage } from "./forms.server";
import { isTimeZone, wallTimeToUtc } from "./time-zones";
import type { Live } from "../../server/live";

/** A round as pages show it. */
export function roundJson(round: Round) {
  return {
    id: round.id,
    name: round.name,
    phase: round.phase,
    startsAt: round.startsAt.toISOString(),
    endsAt: round.endsAt?.toISOString() ?? null,
    instructions: round.instructions,
    observersComment: round.observersComment,
    versionId: round.versionId,
    state: roundState(round),
  };
}

/**
 * What the draft page shows of where the draft stands: its phase, the current round (with its
 * deadline and instructions) and the next one.
 */
export async function loadPhaseBanner(user: SessionUser, draft: Draft) {
  if (!can(user, "round.view", { type: "draft", id: draft.id })) return null;
  const rounds = await listRounds(draft.id);
  const current = rounds.find((round) => roundState(round) === "current");
  const next = rounds.find((round) => roundState(round) === "scheduled");
  return {
    phase: draft.stage.phase,
    current: current ? roundJson(current) : null,
    next: next ? roundJson(next) : null,
    canManage: can(user, "round.manage", { type: "draft", id: draft.id }),
    canViewConsultation: can(user, "disposition.view", { type: "draft", id: draft.id }),
    // The secretariat sees how many submissions await its moderation.
    pendingSubmissions: can(user, "submission.moderate", { type: "draft", id: draft.id }) ? await countPendingSubmissions(draft.id) : 0,
  };
}

/** The rounds page: every round of the draft, and whether the viewer runs them. */
export async function loadRoundsView(user: SessionUser, draft: Draft) {
  authorize(user, "round.view", { type: "draft", id: draft.id });
  const [rounds, publications] = await Promise.all([listRounds(draft.id), listPublications(draft.slug)]);
  const numbers = new Map(publications.map((publication) => [publication.versionId, publication.versionNumber]));
  return {
    phase: draft.stage.phase,
    rounds: rounds.map((round) => ({ ...roundJson(round), versionNumber: round.versionId ? (numbers.get(round.versionId) ?? null) : null })),
    // The versions a consultation round may open to the public: the published ones.
    publishedVersions: publications.map(({ versionId, versionNumber, publicTitle }) => ({ versionId, versionNumber, publicTitle })),
    canManage: can(user, "round.manage", { type: "draft", id: draft.id }),
  };
}

const RoundForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("create"),
      name: fields.text(MAX_ROUND_NAME),
      phase: fields.choice(PHASES),
      startsAt: z.string().trim().max(32).default(""),
      endsAt: z.string().trim().max(32).default(""),
      timeZone: z.string().trim().max(64).default("UTC"),
      instructions: z.string().trim().max(MAX_INSTRUCTIONS, formMessage("form.tooLong", { max: MAX_INSTRUCTIONS })).default(""),
      observersComment: z.string().optional(),
      versionId: z.string().trim().max(64).default(""),
    }),
    z.object({ intent: z.literal("cancel"), roundId: z.string().max(64) }),
    z.object({ intent: z.literal("advance") }),
  ],
  { errorMap: () => ({ message: formMessage("form.invalidChoice") }) },
);

/**
 * The secretariat schedules, cancels and advances rounds: 403 for anyone else, 404 for an unknown
 * round, 400 with field errors for bad input (nothing written).
 */
export async function roundsAction(live: Live, { request, user, draft }: { request: Request; user: SessionUser; draft: Draft }) {
  authorize(user, "round.manage", { type: "draft", id: draft.id });
  const input = await parseForm(request, RoundForm);
  if (input.intent === "advance") {
    await withRoundErrors({ intent: "advance" }, () => advanceRound(live, { actor: user, draftId: draft.id }));
    return { done: t("rounds.advanced") };
  }
  if (input.intent === "cancel") {
    const round = await findRound(draft.id, input.roundId);
    if (!round) throw notFound();
    await withRoundErrors({ intent: "cancel" }, () => cancelRound(live, { actor: user, round }));
    return { done: t("rounds.cancelled", { name: round.name }) };
  }
  const values = {
    intent: "create",
    name: input.name,
    phase: input.phase,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timeZone: input.timeZone,
    instructions: input.instructions,
    observersComment: input.observersComment ? "on" : "",
    versionId: input.versionId,
  };
  if (!isTimeZone(input.timeZone)) throw new FormRejection({ startsAt: t("rounds.invalidZone") }, values);
  const startsAt = input.startsAt === "" ? new Date() : wallTimeToUtc(input.startsAt, input.timeZone);
  const endsAt = input.endsAt === "" ? null : wallTimeToUtc(input.endsAt, input.timeZone);
  if (!startsAt) throw new FormRejection({ startsAt: t("rounds.invalidTime") }, values);
  if (input.endsAt !== "" && !endsAt) throw new FormRejection({ endsAt: t("rounds.invalidTime") }, values);
  const round = await withRoundErrors(values, () =>
    createRound(live, {
      actor: user,
      draftId: draft.id,
      round: {
        name: input.name,
        phase: input.phase,
        startsAt,
        endsAt,
        instructions: input.instructions,
        observersComment: Boolean(input.observersComment),
        versionId: input.versionId === "" ? null : input.versionId,
      },
    }),
  );
  return { done: t("rounds.created", { name: round.name }) };
}

async function withRoundErrors<T>(values: Record<string, string>, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof RoundInputError)) throw error;
    const field = error.field === "round" ? "form" : error.field;
    throw new FormRejection({ [field]: t(error.key, error.params) }, values, error.field === "round" ? 409 : 400);
  }
}
