import { publicPath } from "./public-language";
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { can } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";
import { findDraftBySlug } from "../../server/domain/drafts";
import type { PublishedText } from "../../server/domain/publications";
import { currentRound, listRounds } from "../../server/domain/rounds";
import { plainText } from "../../server/render/export-document";
import {
  dispositionsPublishedAt,
  FeedbackRateLimitError,
  SECTORS,
  sendFeedback,
  SUBMISSION_LIMITS,
  SubmissionInputError,
} from "../../server/domain/submissions";
import { HONEYPOT_FIELD } from "./feedback";
import { fields, FormRejection, parseForm, formMessage } from "./forms.server";
import { exportDocument } from "./public.server";
import { notFound } from "./session.server";

/** Where a published version stands in public consultation, as its public pages say it. */
export interface ConsultationState {
  /** Open to feedback now, with the current round's end (null: until the next round starts). */
  open: { roundId: string; endsAt: string | null } | null;
  /** Whether the secretariat has published the version's disposition table. */
  dispositionsPublished: boolean;
  /** The version of the draft open to feedback now, whichever it is (null when none). */
  openVersionId: string | null;
}

/** Whether a published version is open to feedback now (through the policy), and whether its disposition table is public. */
export async function consultationState(text: PublishedText, user: SessionUser | null = null): Promise<ConsultationState> {
  const draft = await findDraftBySlug(text.draftSlug);
  if (!draft) throw notFound();
  const round = await currentRound(draft.id);
  const resource = { type: "version" as const, draftId: draft.id, versionId: text.versionId, stage: draft.stage, consultationVersionId: round?.versionId ?? null };
  const open = round && can(user, "submission.create", resource) ? { roundId: round.id, endsAt: round.endsAt?.toISOString() ?? null } : null;
  const openVersionId = round && can(user, "submission.create", { ...resource, versionId: round.versionId ?? "" }) ? round.versionId : null;
  return { open, dispositionsPublished: (await dispositionsPublishedAt(text.versionId)) !== null, openVersionId };
}

/** The parts of a public page's ETag that change with the consultation: the form's presence, its deadline, the published table. */
export function consultationEtagParts(state: ConsultationState): string[] {
  const open = state.open ? `c${state.open.roundId.slice(0, 8)}${state.open.endsAt ? `.${Date.parse(state.open.endsAt) / 1000}` : ""}` : "nc";
  return [open, state.dispositionsPublished ? "d" : "nd", ...(state.openVersionId && !state.open ? [`o${state.openVersionId.slice(0, 8)}`] : [])];
}

/** The public address of a version's feedback form (on one clause, when given). */
export function feedbackUrl(slug: string, versionNumber: number, options: { clauseId?: string; lang?: string } = {}): string {
  const { clauseId, lang } = options;
  const base = publicPath(`/p/${encodeURIComponent(slug)}/v/${versionNumber}/feedback`, lang);
  return clauseId ? `${base}?clause=${encodeURIComponent(clauseId)}` : base;
}

/** The version's stored HTML with a "Comment on this clause" link after each clause's number. */
export function withFeedbackLinks(html: string, slug: string, versionNumber: number, lang?: string): string {
  return html.replace(/(<div class="clause" id="clause-([^"]+)">)(<span class="clause-number">([^<]*)<\/span>)?/g, (_match, open: string, id: string, label = "", number = "") => {
    const clauseId = unescapeHtml(id);
    const text = number ? t("feedback.onClauseNumbered", { number }) : t("feedback.onClause");
    const href = feedbackUrl(slug, versionNumber, { clauseId, lang }).replace(/&/g, "&amp;");
    return `${open}${label}<a class="clause-feedback" href="${href}">${escapeHtml(text)}</a>`;
  });
}

/** The clause a feedback form is about: its number and the words of its paragraphs; 404 for a clause not in the version. */
export function feedbackClause(text: PublishedText, clauseId: string | null): { id: string; number: string; text: string } | null {
  if (!clauseId) return null;
  const clause = exportDocument(text, "")
    .sections.flatMap((section) => section.clauses)
    .find((candidate) => candidate.id === clauseId);
  if (!clause) throw notFound();
  const words = clause.blocks.flatMap((block) => (block.kind === "paragraph" ? [plainText(block.inlines)] : [])).join(" ");
  return { id: clauseId, number: clause.number, text: words };
}

/** A version published but never (or no longer) open to feedback: 410 when it was consulted on, otherwise 404. */
export async function closedConsultation(text: PublishedText): Promise<never> {
  const draft = await findDraftBySlug(text.draftSlug);
  const consulted = draft ? (await listRounds(draft.id)).some((round) => round.versionId === text.versionId) : false;
  if (!consulted) throw notFound();
  throw data({ closed: true as const }, { status: 410, headers: { "Cache-Control": "no-store" } });
}

const FeedbackForm = z.object({
  clause: z.string().trim().max(100).default(""),
  name: fields.text(SUBMISSION_LIMITS.name),
  organisation: z.string().trim().max(SUBMISSION_LIMITS.organisation, formMessage("form.tooLong", { max: SUBMISSION_LIMITS.organisation })).default(""),
  sector: fields.choice(SECTORS),
  email: fields.email(),
  comment: fields.text(SUBMISSION_LIMITS.comment),
  publishName: z.string().optional(),
});

/**
 * Takes feedback on an open consultation version: 400 with field errors (nothing stored), 429 with
 * `Retry-After` past the rate limit, and, after storing it, a redirect to the thank-you page. A
 * filled honeypot gets the same redirect and stores nothing.
 */
export async function feedbackAction({ request, text, roundId, address, lang }: { request: Request; text: PublishedText; roundId: string; address: string; lang?: string }) {
  const thanks = redirect(`${feedbackUrl(text.draftSlug, text.versionNumber, { lang })}?sent=1`, 303);
  const trap = await parseForm(request.clone(), z.object({ [HONEYPOT_FIELD]: z.string().default("") }));
  if (trap[HONEYPOT_FIELD] !== "") return thanks;
  const input = await parseForm(request, FeedbackForm);
  const values = { ...input, publishName: input.publishName ? "on" : "" };
  const draft = await findDraftBySlug(text.draftSlug);
  if (!draft) throw notFound();
  try {
    await sendFeedback({
      draftId: draft.id,
      roundId,
      version: { id: text.versionId, content: text.content },
      feedback: {
        clauseId: input.clause === "" ? null : input.clause,
        name: input.name,
        organisation: input.organisation,
        sector: input.sector,
        email: input.email,
        comment: input.comment,
        publishName: Boolean(input.publishName),
      },
      senderAddress: address,
    });
  } catch (error) {
    if (error instanceof SubmissionInputError) throw new FormRejection({ form: t(error.key, error.params) }, values);
    if (error instanceof FeedbackRateLimitError) {
      throw new FormRejection({ form: t(error.key, error.params) }, values, 429, { "Retry-After": String(error.retryAfterSeconds) });
    }
    throw error;
  }
  return thanks;
}

function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
