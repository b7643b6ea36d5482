import type { DocJson } from "../../schema/content";
import { normalizeDocument } from "../../schema/normalize";
import { clauseNumbers } from "../../schema/prosemirror";
import type { MessageKey, MessageParams } from "../../i18n/translate";
import type { Actor } from "../auth/policy";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { recordAudit } from "./audit";
import { DomainError } from "./messages";
import { FEEDBACK_RATE, type Disposition, type ModerationDecision, type Sector, type SubmissionStatus } from "./submission-values";
import { isUuid } from "./users";

export { DISPOSITIONS, FEEDBACK_RATE, MODERATION_DECISIONS, SECTORS, SUBMISSION_LIMITS, SUBMISSION_STATUSES } from "./submission-values";
export type { Disposition, ModerationDecision, Sector, SubmissionStatus } from "./submission-values";

/** A submission as the secretariat moderates it, e-mail included. */
export interface Submission {
  id: string;
  draftId: string;
  versionId: string;
  clauseId: string | null;
  name: string;
  organisation: string;
  sector: Sector;
  email: string;
  comment: string;
  publishName: boolean;
  status: SubmissionStatus;
  moderatedAt: Date | null;
  disposition: Disposition | null;
  dispositionReason: string;
  answeredAt: Date | null;
  createdAt: Date;
}

/** An accepted submission as the disposition table shows it: never the e-mail. */
export type DispositionRow = Omit<Submission, "email" | "status" | "moderatedAt">;

/** Feedback the domain refuses, with the field it concerns. */
export class SubmissionInputError extends DomainError {
  constructor(
    readonly field: "clause" | "disposition" | "submission",
    key: MessageKey,
    params?: MessageParams,
  ) {
    super(key, params);
  }
}

/** Too many submissions from one address: try again after `retryAfterSeconds`. */
export class FeedbackRateLimitError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super("feedback.throttled", { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) });
  }
}

/** What someone from the public sends. */
export interface FeedbackInput {
  clauseId: string | null;
  name: string;
  organisation: string;
  sector: Sector;
  email: string;
  comment: string;
  publishName: boolean;
}

/**
 * Stores feedback on a consultation version (the caller has checked, through the policy, that the
 * consultation is open on it), audited without the sender's details. The clause must be one of the
 * version's. At most FEEDBACK_RATE.count submissions per sender address per window: past it,
 * nothing is stored and FeedbackRateLimitError says when to try again.
 */
export async function sendFeedback(input: {
  draftId: string;
  roundId: string;
  version: { id: string; content: DocJson };
  feedback: FeedbackInput;
  senderAddress: string;
  now?: Date;
}): Promise<Submission> {
  const { feedback } = input;
  if (feedback.clauseId !== null && !clauseNumbersOf(input.version.content).has(feedback.clauseId)) {
    throw new SubmissionInputError("clause", "error.submission.clauseUnknown");
  }
  const now = input.now ?? new Date();
  return sql().begin(async (tx) => {
    // One sender's posts are counted one at a time, so parallel posts cannot slip past the limit.
    await tx`SELECT pg_advisory_xact_lock(hashtext(${`feedback:${input.senderAddress}`}))`;
    const since = new Date(now.getTime() - FEEDBACK_RATE.windowSeconds * 1000);
    const recent = await tx<{ created_at: Date }[]>`
      SELECT created_at FROM submissions WHERE sender_address = ${input.senderAddress} AND created_at > ${since}
      ORDER BY created_at DESC LIMIT ${FEEDBACK_RATE.count}`;
    const oldest = recent[FEEDBACK_RATE.count - 1];
    if (oldest) {
      const freeAt = oldest.created_at.getTime() + FEEDBACK_RATE.windowSeconds * 1000;
      throw new FeedbackRateLimitError(Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)));
    }
    const [row] = await tx<SubmissionRow[]>`
      INSERT INTO submissions (draft_id, version_id, round_id, clause_id, name, organisation, sector, email, comment, publish_name, sender_address, created_at)
      VALUES (${input.draftId}, ${input.version.id}, ${input.roundId}, ${feedback.clauseId}, ${feedback.name.trim()}, ${feedback.organisation.trim()},
              ${feedback.sector}, ${feedback.email.trim()}, ${feedback.comment.trim()}, ${feedback.publishName}, ${input.senderAddress}, ${now})
      RETURNING ${columns(tx)}`;
    if (!row) throw new Error("The submission was not stored.");
    await recordAudit(
      {
        actor: null,
        action: "submission.received",
        target: { type: "submission", id: row.id },
        details: { draftId: input.draftId, versionId: input.version.id, clauseId: feedback.clauseId, sector: feedback.sector, address: input.senderAddress },
      },
      tx,
    );
    return toSubmission(row);
  });
}

/** Filters of the moderation list. */
export interface SubmissionFilters {
  status?: SubmissionStatus;
  sector?: Sector;
  clauseId?: string;
}

/** A draft's submissions for moderation, e-mails included: pending first, then newest first. */
export async function listSubmissions(draftId: string, filters: SubmissionFilters = {}): Promise<Submission[]> {
  const db = sql();
  const rows = await db<SubmissionRow[]>`
    SELECT ${columns(db)} FROM submissions
    WHERE draft_id = ${draftId}
      AND ${filters.status ? db`status = ${filters.status}` : db`true`}
      AND ${filters.sector ? db`sector = ${filters.sector}` : db`true`}
      AND ${filters.clauseId ? db`clause_id = ${filters.clauseId}` : db`true`}
    ORDER BY status = 'pending' DESC, created_at DESC`;
  return rows.map(toSubmission);
}

/** How many of a draft's submissions await moderation. */
export async function countPendingSubmissions(draftId: string): Promise<number> {
  const [row] = await sql()<{ count: number }[]>`SELECT count(*)::int AS count FROM submissions WHERE draft_id = ${draftId} AND status = 'pending'`;
  return row?.count ?? 0;
}

/**
 * Accepts, rejects or marks a submission as spam (the caller has authorised it), audited. A
 * submission that is no longer accepted loses its disposition.
 */
export async function moderateSubmission(live: Live, input: { actor: Actor; draftId: string; submissionId: string; decision: ModerationDecision }): Promise<Submission> {
  const submission = await sql().begin(async (tx) => {
    const [row] = await tx<SubmissionRow[]>`
      UPDATE submissions SET status = ${input.decision}, moderated_by = ${input.actor.id}, moderated_at = now(),
        disposition = CASE WHEN ${input.decision} = 'accepted' THEN disposition END,
        disposition_reason = CASE WHEN ${input.decision} = 'accepted' THEN disposition_reason ELSE '' END,
        answered_by = CASE WHEN ${input.decision} = 'accepted' THEN answered_by END,
        answered_at = CASE WHEN ${input.decision} = 'accepted' THEN answered_at END
      WHERE id = ${validId(input.submissionId)} AND draft_id = ${input.draftId}
      RETURNING ${columns(tx)}`;
    if (!row) throw new SubmissionInputError("submission", "error.submission.unknown");
    await recordAudit(
      { actor: input.actor, action: "submission.moderated", target: { type: "submission", id: row.id }, details: { draftId: input.draftId, status: input.decision } },
      tx,
    );
    return toSubmission(row);
  });
  // A published disposition table lists the accepted submissions.
  live.publicContent.changed();
  return submission;
}

/** Writes the secretariat's answer to an accepted submission (the caller has authorised it), audited. */
export async function answerSubmission(live: Live, input: {
  actor: Actor;
  draftId: string;
  submissionId: string;
  disposition: Disposition;
  reason: string;
}): Promise<Submission> {
  const reason = input.reason.trim();
  const submission = await sql().begin(async (tx) => {
    const [row] = await tx<SubmissionRow[]>`
      UPDATE submissions SET disposition = ${input.disposition}, disposition_reason = ${reason}, answered_by = ${input.actor.id}, answered_at = now()
      WHERE id = ${validId(input.submissionId)} AND draft_id = ${input.draftId} AND status = 'accepted'
      RETURNING ${columns(tx)}`;
    if (!row) throw new SubmissionInputError("submission", "error.submission.notAccepted");
    await recordAudit(
      {
        actor: input.actor,
        action: "submission.answered",
        target: { type: "submission", id: row.id },
        details: { draftId: input.draftId, disposition: input.disposition, reason },
      },
      tx,
    );
    return toSubmission(row);
  });
  live.publicContent.changed();
  return submission;
}

/** The disposition table: a draft's accepted submissions (of one version, when given), without e-mails, oldest first. */
export async function listDispositions(draftId: string, versionId?: string): Promise<DispositionRow[]> {
  const db = sql();
  const rows = await db<SubmissionRow[]>`
    SELECT ${columns(db)} FROM submissions
    WHERE draft_id = ${draftId} AND status = 'accepted' AND ${versionId ? db`version_id = ${versionId}` : db`true`}
    ORDER BY created_at, id`;
  return rows.map((row) => {
    const { email: _email, status: _status, moderatedAt: _moderatedAt, ...rest } = toSubmission(row);
    return rest;
  });
}

/** Puts a version's disposition table on the public site (the caller has authorised it), audited; once is enough. */
export async function publishDispositions(live: Live, input: { actor: Actor; draftId: string; versionId: string }): Promise<void> {
  await sql().begin(async (tx) => {
    const inserted = await tx`
      INSERT INTO disposition_publications (version_id, draft_id, published_by)
      VALUES (${input.versionId}, ${input.draftId}, ${input.actor.id})
      ON CONFLICT (version_id) DO NOTHING RETURNING version_id`;
    if (inserted.length === 0) return;
    await recordAudit(
      { actor: input.actor, action: "dispositions.published", target: { type: "draft", id: input.draftId }, details: { versionId: input.versionId } },
      tx,
    );
  });
  live.publicContent.changed();
}

/** When a version's disposition table was published, or null. */
export async function dispositionsPublishedAt(versionId: string): Promise<Date | null> {
  if (!isUuid(versionId)) return null;
  const [row] = await sql()<{ published_at: Date }[]>`SELECT published_at FROM disposition_publications WHERE version_id = ${versionId}`;
  return row?.published_at ?? null;
}

/** The clause numbers of a version's text, by clause id. */
export function clauseNumbersOf(content: DocJson): Map<string, string> {
  return clauseNumbers(normalizeDocument(content));
}

/** Orders rows by clause as they stand in the text (the whole text first), then by when they came. */
export function byClause<T extends { clauseId: string | null; createdAt: Date }>(rows: readonly T[], numbers: Map<string, string>): T[] {
  const order = new Map([...numbers.keys()].map((id, index) => [id, index]));
  const rank = (row: T) => (row.clauseId === null ? -1 : (order.get(row.clauseId) ?? Number.MAX_SAFE_INTEGER));
  return [...rows].sort((a, b) => rank(a) - rank(b) || a.createdAt.getTime() - b.createdAt.getTime());
}

// An id that is not a uuid matches nothing (rather than making Postgres throw).
function validId(id: string): string {
  return isUuid(id) ? id : "00000000-0000-0000-0000-000000000000";
}

function columns(db: Queryable) {
  return db`id, draft_id, version_id, clause_id, name, organisation, sector, email, comment, publish_name, status, moderated_at,
            disposition, disposition_reason, answered_at, created_at`;
}

interface SubmissionRow {
  id: string;
  draft_id: string;
  version_id: string;
  clause_id: string | null;
  name: string;
  organisation: string;
  sector: Sector;
  email: string;
  comment: string;
  publish_name: boolean;
  status: SubmissionStatus;
  moderated_at: Date | null;
  disposition: Disposition | null;
  disposition_reason: string;
  answered_at: Date | null;
  created_at: Date;
}

function toSubmission(row: SubmissionRow): Submission {
  return {
    id: row.id,
    draftId: row.draft_id,
    versionId: row.version_id,
    clauseId: row.clause_id,
    name: row.name,
    organisation: row.organisation,
    sector: row.sector,
    email: row.email,
    comment: row.comment,
    publishName: row.publish_name,
    status: row.status,
    moderatedAt: row.moderated_at,
    disposition: row.disposition,
    dispositionReason: row.disposition_reason,
    answeredAt: row.answered_at,
    createdAt: row.created_at,
  };
}
