import type { Node as PMNode } from "prosemirror-model";
import { openBracketsByClause, showBrackets } from "../../schema/brackets";
import { clauseNumbers, schema } from "../../schema/prosemirror";
import type { Actor } from "../auth/policy";
import { loadDraftText } from "../text-store/current-text";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { recordAudit } from "./audit";
import { DomainError } from "./messages";

/** Where a clause stands in the negotiation. */
export const CLAUSE_STATUSES = ["agreed", "agreed-ad-referendum", "pending", "reserved"] as const;
export type ClauseStatusValue = (typeof CLAUSE_STATUSES)[number];

/** The statuses under which changing a clause's text reopens it. */
export const AGREED_STATUSES: readonly ClauseStatusValue[] = ["agreed", "agreed-ad-referendum"];

/** A clause's recorded status. */
export interface ClauseStatus {
  clauseId: string;
  status: ClauseStatusValue;
  /** Delegation codes, in the initiative's order; empty unless reserved. */
  reservingDelegations: string[];
  setBy: string | null;
  setAt: Date;
}

/** A clause of the current text, as the status panel lists it. */
export interface ClauseOutline {
  id: string;
  number: string;
  /** The clause's first words. */
  excerpt: string;
  /** How many square brackets in it are still open (schema/brackets.ts). */
  openBrackets: number;
}

/** How many clauses of the text stand where; clauses without a recorded status are pending. */
export interface ClauseStatusSummary {
  total: number;
  agreed: number;
  agreedAdReferendum: number;
  pending: number;
  reserved: number;
}

/** The clause id is not in the draft's current text. */
export class UnknownClauseError extends DomainError {
  constructor(readonly clauseId: string) {
    super("clauseStatus.unknownClause");
  }
}

/** A clause with open brackets cannot be marked agreed: they say it is not. */
export class OpenBracketsError extends DomainError {
  constructor(readonly count: number) {
    super("clauseStatus.openBrackets", { count });
  }
}

/** A reservation named a delegation that does not exist, or none at all. */
export class InvalidReservationError extends DomainError {}

const EXCERPT_LENGTH = 80;

/** The clauses of a document, in order, with their numbers and first words. */
export function outlineClauses(doc: PMNode): ClauseOutline[] {
  const numbers = clauseNumbers(doc);
  const brackets = openBracketsByClause(doc);
  const clauses: ClauseOutline[] = [];
  // The first words as the text reads, open brackets and their alternatives shown.
  showBrackets(doc, "bracketed").forEach((section) => {
    if (section.type !== schema.nodes.section) return;
    section.forEach((node) => {
      const id = node.attrs.id as unknown;
      if (node.type !== schema.nodes.clause || typeof id !== "string") return;
      const text = node.textBetween(0, node.content.size, " ", " ").replace(/\s+/g, " ").trim();
      const excerpt = text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…` : text;
      clauses.push({ id, number: numbers.get(id) ?? "", excerpt, openBrackets: brackets.get(id) ?? 0 });
    });
  });
  return clauses;
}

/** The clauses of a draft's current text. */
export async function listDraftClauses(draftId: string): Promise<ClauseOutline[]> {
  return outlineClauses(await loadDraftText(draftId));
}

/** Every recorded clause status of a draft (including clauses since deleted from the text). */
export async function listClauseStatuses(draftId: string): Promise<ClauseStatus[]> {
  const rows = await sql()<StatusRow[]>`
    SELECT clause_id, status, reserving_delegations, set_by, set_at
    FROM clause_statuses WHERE draft_id = ${draftId} ORDER BY clause_id`;
  return rows.map(toClauseStatus);
}

/** A token that changes whenever a status of the draft is set: open pages compare it to know when to reload. */
export async function clauseStatusVersion(draftId: string): Promise<string> {
  const [row] = await sql()<{ count: number; latest: Date | null }[]>`
    SELECT count(*)::int AS count, max(set_at) AS latest FROM clause_statuses WHERE draft_id = ${draftId}`;
  return `${row?.count ?? 0}:${row?.latest?.toISOString() ?? "-"}`;
}

/** Counts the clauses of the text by status; rows for clauses no longer in the text are ignored. */
export function summariseClauseStatuses(clauses: readonly { id: string }[], statuses: readonly ClauseStatus[]): ClauseStatusSummary {
  const byClause = new Map(statuses.map((status) => [status.clauseId, status.status]));
  const summary: ClauseStatusSummary = { total: clauses.length, agreed: 0, agreedAdReferendum: 0, pending: 0, reserved: 0 };
  for (const clause of clauses) {
    const status = byClause.get(clause.id) ?? "pending";
    if (status === "agreed") summary.agreed += 1;
    else if (status === "agreed-ad-referendum") summary.agreedAdReferendum += 1;
    else if (status === "reserved") summary.reserved += 1;
    else summary.pending += 1;
  }
  return summary;
}

/**
 * Records where a clause stands (the caller has authorised it). The clause must be in the draft's
 * current text and a reservation must name known delegations; the change and what it replaced go
 * on the audit trail in the same transaction.
 */
export async function setClauseStatus(live: Live, input: {
  actor: Actor;
  draftId: string;
  clauseId: string;
  status: ClauseStatusValue;
  reservingDelegations?: readonly string[];
}): Promise<ClauseStatus> {
  const clauses = await listDraftClauses(input.draftId);
  const clause = clauses.find((candidate) => candidate.id === input.clauseId);
  if (!clause) throw new UnknownClauseError(input.clauseId);
  if (AGREED_STATUSES.includes(input.status) && clause.openBrackets > 0) throw new OpenBracketsError(clause.openBrackets);
  const requested = input.status === "reserved" ? [...new Set(input.reservingDelegations ?? [])] : [];
  if (input.status === "reserved" && requested.length === 0) throw new InvalidReservationError("clauseStatus.reserveSomeone");

  const stored = await sql().begin(async (tx) => {
    const known = await tx<{ code: string }[]>`
      SELECT code FROM delegations WHERE code = ANY(${requested}::text[]) ORDER BY position`;
    if (known.length !== requested.length) throw new InvalidReservationError("clauseStatus.unknownDelegation");
    const reserving = known.map((row) => row.code);
    const [previous] = await tx<StatusRow[]>`
      SELECT clause_id, status, reserving_delegations, set_by, set_at
      FROM clause_statuses WHERE draft_id = ${input.draftId} AND clause_id = ${input.clauseId} FOR UPDATE`;
    const [row] = await tx<StatusRow[]>`
      INSERT INTO clause_statuses (draft_id, clause_id, status, reserving_delegations, set_by)
      VALUES (${input.draftId}, ${input.clauseId}, ${input.status}, ${reserving}::text[], ${input.actor.id})
      ON CONFLICT (draft_id, clause_id) DO UPDATE
        SET status = EXCLUDED.status, reserving_delegations = EXCLUDED.reserving_delegations,
            set_by = EXCLUDED.set_by, set_at = now()
      RETURNING clause_id, status, reserving_delegations, set_by, set_at`;
    if (!row) throw new Error("The clause status was not stored.");
    await recordAudit(
      {
        actor: input.actor,
        action: "clause.status-changed",
        target: { type: "draft", id: input.draftId },
        details: {
          clauseId: input.clauseId,
          clause: clause.number,
          from: previous?.status ?? "pending",
          to: input.status,
          ...(previous?.reserving_delegations.length ? { fromReservingDelegations: previous.reserving_delegations } : {}),
          ...(reserving.length ? { reservingDelegations: reserving } : {}),
        },
      },
      tx,
    );
    return toClauseStatus(row);
  });
  // After the commit: open pages reload the statuses as soon as they hear of it.
  live.drafts.publish({ type: "clause-status", draftId: input.draftId, clauseId: stored.clauseId, status: stored.status });
  return stored;
}

interface StatusRow {
  clause_id: string;
  status: ClauseStatusValue;
  reserving_delegations: string[];
  set_by: string | null;
  set_at: Date;
}

function toClauseStatus(row: StatusRow): ClauseStatus {
  return {
    clauseId: row.clause_id,
    status: row.status,
    reservingDelegations: row.reserving_delegations,
    setBy: row.set_by,
    setAt: row.set_at,
  };
}
