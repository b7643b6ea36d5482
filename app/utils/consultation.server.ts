import { createHash } from "node:crypto";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { can } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";
import type { Draft } from "../../server/domain/drafts";
import { listPublications } from "../../server/domain/publications";
import {
  answerSubmission,
  byClause,
  clauseNumbersOf,
  DISPOSITIONS,
  dispositionsPublishedAt,
  listDispositions,
  listSubmissions,
  MODERATION_DECISIONS,
  moderateSubmission,
  publishDispositions,
  SECTORS,
  SUBMISSION_LIMITS,
  SUBMISSION_STATUSES,
  SubmissionInputError,
  type DispositionRow,
  type SubmissionFilters,
} from "../../server/domain/submissions";
import { findVersionById } from "../../server/domain/versions";
import { csvLine, UTF8_BOM } from "../../server/render/csv";
import { fields, FormRejection, parseForm, formMessage } from "./forms.server";
import { authorize, notFound } from "./session.server";
import type { Live } from "../../server/live";

/** One line of a disposition table as any reader sees it: no e-mail, the sender named only with their consent. */
export interface DispositionLine {
  id: string;
  clauseNumber: string | null;
  respondent: string;
  sector: DispositionRow["sector"];
  comment: string;
  disposition: DispositionRow["disposition"];
  reason: string;
}

/** A version's disposition table. */
export interface DispositionTable {
  versionId: string;
  versionNumber: number;
  publishedAt: string | null;
  lines: DispositionLine[];
}

/** Who sent a comment, as a disposition table may say it. */
export function respondent(row: Pick<DispositionRow, "publishName" | "name" | "organisation" | "sector">): string {
  if (!row.publishName) return t("consultation.respondentFrom", { sector: t(`consultation.sectorLower.${row.sector}`) });
  return row.organisation ? `${row.name} (${row.organisation})` : row.name;
}

/** The disposition tables of a draft's consultation versions (one version's, when given), highest version first, each by clause. */
export async function dispositionTables(draft: Draft, versionId?: string): Promise<DispositionTable[]> {
  const rows = await listDispositions(draft.id, versionId);
  const publications = await listPublications(draft.slug);
  const tables: DispositionTable[] = [];
  for (const publication of publications) {
    const ofVersion = rows.filter((row) => row.versionId === publication.versionId);
    if (versionId ? publication.versionId !== versionId : ofVersion.length === 0) continue;
    const version = await findVersionById(publication.versionId);
    const numbers = version ? clauseNumbersOf(version.content) : new Map<string, string>();
    const publishedAt = await dispositionsPublishedAt(publication.versionId);
    tables.push({
      versionId: publication.versionId,
      versionNumber: publication.versionNumber,
      publishedAt: publishedAt?.toISOString() ?? null,
      lines: byClause(ofVersion, numbers).map((row) => ({
        id: row.id,
        clauseNumber: row.clauseId ? (numbers.get(row.clauseId) ?? null) : null,
        respondent: respondent(row),
        sector: row.sector,
        comment: row.comment,
        disposition: row.disposition,
        reason: row.dispositionReason,
      })),
    });
  }
  return tables;
}

/** A short digest of what a disposition table shows, for its public page's ETag. */
export function dispositionsDigest(table: DispositionTable): string {
  return createHash("sha256").update(JSON.stringify(table)).digest("hex").slice(0, 32);
}

const Filters = z.object({
  status: z.enum(SUBMISSION_STATUSES).optional().catch(undefined),
  sector: z.enum(SECTORS).optional().catch(undefined),
  clause: z.string().max(100).optional().catch(undefined),
});

/**
 * The consultation page of a draft: for the secretariat, the submissions to moderate (filtered) and
 * the disposition tables to answer; for delegations, the disposition tables alone; 403 for others.
 */
export async function loadConsultationView(user: SessionUser, draft: Draft, url: URL) {
  const resource = { type: "draft" as const, id: draft.id };
  authorize(user, "disposition.view", resource);
  const moderates = can(user, "submission.moderate", resource);
  const tables = await dispositionTables(draft);
  if (!moderates) return { moderates, tables, submissions: [], filters: {}, clauses: [] };
  const parsed = Filters.parse(Object.fromEntries(url.searchParams));
  const filters: SubmissionFilters = { status: parsed.status, sector: parsed.sector, clauseId: parsed.clause || undefined };
  const [submissions, all, publications] = await Promise.all([listSubmissions(draft.id, filters), listSubmissions(draft.id), listPublications(draft.slug)]);
  // Clause numbers as they stand in each submission's version.
  const numbersByVersion = new Map<string, { versionNumber: number; numbers: Map<string, string> }>();
  for (const versionId of new Set(all.map((submission) => submission.versionId))) {
    const version = await findVersionById(versionId);
    const publication = publications.find((candidate) => candidate.versionId === versionId);
    if (version && publication) numbersByVersion.set(versionId, { versionNumber: publication.versionNumber, numbers: clauseNumbersOf(version.content) });
  }
  const clauseOf = (submission: { versionId: string; clauseId: string | null }) =>
    submission.clauseId ? (numbersByVersion.get(submission.versionId)?.numbers.get(submission.clauseId) ?? null) : null;
  const clauses = new Map<string, string>();
  for (const submission of all) if (submission.clauseId) clauses.set(submission.clauseId, clauseOf(submission) ?? submission.clauseId);
  return {
    moderates,
    tables,
    filters: { status: parsed.status ?? "", sector: parsed.sector ?? "", clause: parsed.clause ?? "" },
    clauses: [...clauses].map(([id, number]) => ({ id, number })).sort((a, b) => a.number.localeCompare(b.number, "en", { numeric: true })),
    submissions: submissions.map((submission) => ({
      id: submission.id,
      versionNumber: numbersByVersion.get(submission.versionId)?.versionNumber ?? null,
      clauseNumber: clauseOf(submission),
      name: submission.name,
      organisation: submission.organisation,
      sector: submission.sector,
      email: submission.email,
      comment: submission.comment,
      publishName: submission.publishName,
      status: submission.status,
      createdAt: submission.createdAt.toISOString(),
    })),
  };
}

const ConsultationForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("moderate"), submissionId: z.string().max(64), decision: fields.choice(MODERATION_DECISIONS) }),
    z.object({
      intent: z.literal("answer"),
      submissionId: z.string().max(64),
      disposition: fields.choice(DISPOSITIONS),
      reason: z.string().trim().max(SUBMISSION_LIMITS.reason, formMessage("form.tooLong", { max: SUBMISSION_LIMITS.reason })).default(""),
    }),
    z.object({ intent: z.literal("publish"), versionId: z.string().max(64) }),
  ],
  { errorMap: () => ({ message: formMessage("form.invalidChoice") }) },
);

/**
 * The secretariat moderates, answers and publishes disposition tables (publishing with a recent
 * second factor: `requireStepUp`): 403 for anyone else, 404 for a submission or version not of
 * this draft, 400 with field errors (nothing written).
 */
export async function consultationAction(
  live: Live,
  { request, user, draft, requireStepUp }: { request: Request; user: SessionUser; draft: Draft; requireStepUp: () => void },
) {
  const resource = { type: "draft" as const, id: draft.id };
  authorize(user, "submission.moderate", resource);
  const input = await parseForm(request, ConsultationForm);
  if (input.intent === "publish") {
    authorize(user, "disposition.answer", resource);
    const publication = (await listPublications(draft.slug)).find((candidate) => candidate.versionId === input.versionId);
    if (!publication) throw notFound();
    requireStepUp();
    await publishDispositions(live, { actor: user, draftId: draft.id, versionId: publication.versionId });
    return { done: t("consultation.published", { number: publication.versionNumber }) };
  }
  try {
    if (input.intent === "moderate") {
      await moderateSubmission(live, { actor: user, draftId: draft.id, submissionId: input.submissionId, decision: input.decision });
      return { done: t(`consultation.moderated.${input.decision}`) };
    }
    authorize(user, "disposition.answer", resource);
    if (input.disposition !== "accepted" && input.reason === "") {
      throw new FormRejection({ reason: t("consultation.reasonRequired") }, { ...input, intent: "answer" });
    }
    await answerSubmission(live, { actor: user, draftId: draft.id, submissionId: input.submissionId, disposition: input.disposition, reason: input.reason });
    return { done: t("consultation.answered") };
  } catch (error) {
    if (!(error instanceof SubmissionInputError)) throw error;
    // Moderation and answers name a submission of this draft; another id is not one.
    if (input.intent === "moderate") throw notFound();
    throw new FormRejection({ form: t(error.key, error.params) }, { intent: input.intent, submissionId: input.submissionId }, 409);
  }
}

const CSV_COLUMNS = ["version", "clause", "respondent", "sector", "comment", "disposition", "reason"] as const;

/**
 * The disposition tables as CSV (`server/render/csv.ts`), headers and values in the reader's
 * language: never an e-mail, senders named only with their consent.
 */
export function dispositionsCsv(tables: DispositionTable[]): string {
  const header = csvLine(CSV_COLUMNS.map((column) => t(`consultation.csv.${column}`)));
  const lines = tables.flatMap((table) =>
    table.lines.map((line) =>
      csvLine([
        `v${table.versionNumber}`,
        line.clauseNumber ?? t("consultation.wholeText"),
        line.respondent,
        t(`feedback.sector.${line.sector}`),
        line.comment,
        line.disposition ? t(`consultation.disposition.${line.disposition}`) : "",
        line.reason,
      ]),
    ),
  );
  return UTF8_BOM + header + lines.join("");
}
