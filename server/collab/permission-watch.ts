import { can } from "../auth/policy";
import type { Role } from "../auth/roles";
import { editingClosedReason, OPEN_STAGE } from "../auth/phases";
import { sql } from "../db/registry";
import { mustEnrolSql } from "../auth/second-factor-sql";
import { guarded } from "../failures";
import { findDraftStages } from "../domain/drafts";
import type { CollabConnection } from "./connection";
import { presenceOf } from "./presence";
import { CLOSE } from "./protocol";

/** How often open sockets are checked against sessions, accounts and the policy. */
export const PERMISSION_CHECK_MS = 500;

/**
 * Re-checks every open connection twice a second, in two queries: a socket whose session ended or
 * whose account was disabled is closed; one that lost the right to read is closed; one that lost
 * (or regained) the right to write is downgraded (or upgraded) in place; one whose person changed
 * name, delegation or role shows the new label on their cursors.
 */
export function watchPermissions(connections: Set<CollabConnection>): { stop(): void } {
  let running = false;
  const timer = setInterval(
    guarded("permission watch", () => {
      if (running || connections.size === 0) return;
      running = true;
      check(connections)
        .catch((error: unknown) => console.warn("Permission check of open sockets failed:", error))
        .finally(() => (running = false));
    }),
    PERMISSION_CHECK_MS,
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

async function check(connections: Set<CollabConnection>): Promise<void> {
  const open = [...connections];
  const sessionIds = [...new Set(open.map((connection) => connection.sessionId))];
  const rows = await sql()<SessionRow[]>`
    SELECT s.id, u.id AS user_id, u.role, u.delegation_code, u.display_name, d.short_name, d.colour,
      ${mustEnrolSql(sql())} AS must_enrol
    FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN delegations d ON d.code = u.delegation_code
    WHERE s.id = ANY(${sessionIds}) AND s.expires_at > now() AND NOT u.disabled`;
  const live = new Map(rows.map((row) => [row.id, row]));
  // The phase of each open draft: when a round closes editing, its sockets become read-only here.
  const stages = await findDraftStages([...new Set(open.map((connection) => connection.document.draftId))]);
  for (const connection of open) {
    const row = live.get(connection.sessionId);
    if (!row) {
      connection.close(CLOSE.signedOut, "collab.close.signedOut");
      continue;
    }
    // The person's role came to need a second factor they do not have: they set one up first.
    if (row.must_enrol) {
      connection.close(CLOSE.forbidden, "collab.close.forbidden");
      continue;
    }
    const actor = { id: row.user_id, role: row.role, delegationCode: row.delegation_code };
    const stage = stages.get(connection.document.draftId) ?? OPEN_STAGE;
    const draft = { type: "draft" as const, id: connection.document.draftId, stage };
    if (!can(actor, "draft.read", draft)) {
      connection.close(CLOSE.forbidden, "collab.close.forbidden");
      continue;
    }
    // A phase change being made has closed writing already (see closeDraftWriting): the stage read
    // above may be from just before it, and must not give writing back.
    const closed = connection.document.writingClosed;
    connection.setCanWrite(closed === null && can(actor, "draft.edit", draft), closed ?? editingClosedReason(stage) ?? undefined);
    const delegation = row.delegation_code && row.short_name && row.colour
      ? { code: row.delegation_code, shortName: row.short_name, colour: row.colour }
      : null;
    connection.setPresence(presenceOf({ displayName: row.display_name, role: row.role }, delegation), row.delegation_code);
  }
}

interface SessionRow {
  id: string;
  user_id: string;
  role: Role;
  delegation_code: string | null;
  display_name: string;
  short_name: string | null;
  colour: string | null;
  must_enrol: boolean;
}
