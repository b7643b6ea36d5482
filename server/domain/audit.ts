import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";

/** One state-changing action to put on the record. */
export interface AuditInput {
  actor: { id: string; delegationCode: string | null } | null;
  action: string;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
}

/** An audit event as stored. */
export interface AuditEvent {
  id: number;
  actorId: string | null;
  actorName: string | null;
  delegationCode: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** Appends an event to the audit trail, inside the caller's transaction when given one. */
export async function recordAudit(event: AuditInput, db: Queryable = sql()): Promise<void> {
  await db`
    INSERT INTO audit_events (actor_id, delegation_code, action, target_type, target_id, details)
    VALUES (${event.actor?.id ?? null}, ${event.actor?.delegationCode ?? null}, ${event.action},
            ${event.target?.type ?? null}, ${event.target?.id ?? null}, ${sql().json(toJson(event.details ?? {}))})`;
}

/** The most recent audit events, newest first. */
export async function listAuditEvents(options: { limit?: number; action?: string } = {}): Promise<AuditEvent[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  const rows = await sql()<AuditRow[]>`
    SELECT a.id, a.actor_id, u.display_name AS actor_name, a.delegation_code, a.action,
           a.target_type, a.target_id, a.details, a.created_at
    FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
    WHERE ${options.action ? sql()`a.action = ${options.action}` : sql()`true`}
    ORDER BY a.id DESC LIMIT ${limit}`;
  return rows.map((row) => ({
    id: Number(row.id),
    actorId: row.actor_id,
    actorName: row.actor_name,
    delegationCode: row.delegation_code,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: row.details,
    createdAt: row.created_at,
  }));
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function toJson(details: Record<string, unknown>): JsonValue {
  return JSON.parse(JSON.stringify(details)) as JsonValue;
}

interface AuditRow {
  id: string;
  actor_id: string | null;
  actor_name: string | null;
  delegation_code: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  created_at: Date;
}
