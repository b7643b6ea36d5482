import type { Actor } from "../auth/actor";
import { actsForDelegation } from "../auth/roles";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";

/** One state-changing action to put on the record. */
export interface AuditInput {
  actor: { id: string; delegationCode: string | null } | null;
  action: string;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
  /**
   * The delegation this event is private to (an action on one of its private threads): only people
   * acting for it may read the row; the secretariat and every other delegation never see it.
   */
  privateTo?: string | null;
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
  const actorId = event.actor?.id ?? null;
  const delegationCode = event.actor?.delegationCode ?? null;
  const details = sql().json(toJson(event.details ?? {}));
  if (!event.privateTo) {
    await db`
      INSERT INTO audit_events (actor_id, delegation_code, action, target_type, target_id, details)
      VALUES (${actorId}, ${delegationCode}, ${event.action}, ${event.target?.type ?? null}, ${event.target?.id ?? null}, ${details})`;
    return;
  }
  // A private row takes a negative id from its own sequence, so that the shared trail's ids have no
  // hole to count it by (a CHECK in migration 0015 holds every row to this).
  await db`
    INSERT INTO audit_events (id, actor_id, delegation_code, action, target_type, target_id, details, private_to_delegation)
    OVERRIDING SYSTEM VALUE
    VALUES (-nextval('audit_private_event_ids'), ${actorId}, ${delegationCode}, ${event.action},
            ${event.target?.type ?? null}, ${event.target?.id ?? null}, ${details}, ${event.privateTo})`;
}

/** Which audit events to list; every field narrows the list. */
export interface AuditFilter {
  /** An exact action ("round.opened"), or a family of them ending in a dot ("round."). */
  action?: string;
  /** Events by this person. */
  actorId?: string;
  /** Events of people acting for this delegation. */
  delegationCode?: string;
  /** Events about things of this type ("draft", "thread", "amendment" …). */
  targetType?: string;
  /** Events about this draft or anything in it. */
  draftId?: string;
  /** Events at or after, and before, these moments. */
  from?: Date;
  to?: Date;
  /** Events older than this one (the id of the last event of the previous page). */
  before?: number;
}

/**
 * The most recent audit events that `viewer` may read and that match `filter`, newest first (at
 * most `limit`, 500 at most). A row private to a delegation is read only by people acting for it.
 */
export async function listAuditEvents(options: AuditFilter & { viewer: Actor; limit?: number }): Promise<AuditEvent[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  const rows = await sql()<AuditRow[]>`
    SELECT a.id, a.actor_id, u.display_name AS actor_name, a.delegation_code, a.action,
           a.target_type, a.target_id, a.details, a.created_at
    FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
    WHERE ${readableBy(options.viewer)} AND ${matching(options)} AND ${olderThan(options)}
    ORDER BY a.created_at DESC, a.id DESC LIMIT ${limit}`;
  return rows.map(toAuditEvent);
}

/**
 * Every audit event matching `filter`, newest first, a page at a time (for exports: memory stays
 * bounded however long the trail).
 */
export async function* eachAuditEvent(filter: AuditFilter & { viewer: Actor }, pageSize = 500): AsyncGenerator<AuditEvent> {
  let before = filter.before;
  for (;;) {
    const page = await listAuditEvents({ ...filter, before, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    before = page[page.length - 1]?.id;
  }
}

// The one place the trail's privacy is decided: every query of audit_events goes through it. The
// secretariat and observers act for no delegation, so they never read a private row.
function readableBy(viewer: Actor) {
  const own = actsForDelegation(viewer.role) ? viewer.delegationCode : null;
  return own ? sql()`(a.private_to_delegation IS NULL OR a.private_to_delegation = ${own})` : sql()`a.private_to_delegation IS NULL`;
}

// Events listed after the cursor's event, in the trail's order (time, then id: private rows have
// ids of their own). The cursor is looked up among the rows the viewer may read: a cursor naming a
// row they may not read lists nothing, exactly as one naming no row at all.
function olderThan(options: AuditFilter & { viewer: Actor }) {
  if (options.before === undefined) return sql()`true`;
  return sql()`(a.created_at, a.id) < (
    SELECT a.created_at, a.id FROM audit_events a WHERE a.id = ${options.before} AND ${readableBy(options.viewer)})`;
}

function matching(filter: AuditFilter) {
  const db = sql();
  const conditions = [db`true`];
  if (filter.action) {
    conditions.push(filter.action.endsWith(".") ? db`a.action LIKE ${`${escapeLike(filter.action)}%`}` : db`a.action = ${filter.action}`);
  }
  if (filter.actorId) conditions.push(db`a.actor_id = ${filter.actorId}`);
  if (filter.delegationCode) conditions.push(db`a.delegation_code = ${filter.delegationCode}`);
  if (filter.targetType) conditions.push(db`a.target_type = ${filter.targetType}`);
  if (filter.draftId) {
    conditions.push(db`(a.details->>'draftId' = ${filter.draftId} OR (a.target_type = 'draft' AND a.target_id = ${filter.draftId}))`);
  }
  if (filter.from) conditions.push(db`a.created_at >= ${filter.from}`);
  if (filter.to) conditions.push(db`a.created_at < ${filter.to}`);
  return conditions.reduce((all, condition) => db`${all} AND ${condition}`);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: Number(row.id),
    actorId: row.actor_id,
    actorName: row.actor_name,
    delegationCode: row.delegation_code,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: row.details,
    createdAt: row.created_at,
  };
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
