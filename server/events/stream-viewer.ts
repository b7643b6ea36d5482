import type { Actor } from "../auth/policy";
import { sql } from "../db/registry";

/**
 * Whether a long-lived stream may go on: its session is still valid and its person still holds the
 * role and delegation the stream was authorised with. A change ends the stream; the browser
 * reconnects and is authorised afresh.
 */
export async function streamViewerIsCurrent(sessionId: string, viewer: Actor): Promise<boolean> {
  const [row] = await sql()<{ role: string; delegation_code: string | null }[]>`
    SELECT u.role, u.delegation_code FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = ${sessionId} AND s.expires_at > now() AND NOT u.disabled AND u.id = ${viewer.id}`;
  return row !== undefined && row.role === viewer.role && row.delegation_code === viewer.delegationCode;
}
