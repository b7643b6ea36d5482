import type { Language } from "../../i18n/languages";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { generateToken, hashToken } from "./tokens";
import type { Role } from "./roles";

const DAY = 24 * 60 * 60 * 1000;
/** How long a session lasts without use. */
export const SESSION_LIFETIME_MS = 30 * DAY;
// A session used in its second half is extended to a full lifetime again.
const RENEW_WITHIN_MS = 15 * DAY;

/** The signed-in person, as the server knows them. */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  delegationCode: string | null;
  /** The interface language the person chose; null: their browser's. */
  language: Language | null;
}

/** A valid session and its user. */
export interface Session {
  id: string;
  user: SessionUser;
  expiresAt: Date;
  /** True when this validation extended the expiry: the cookie must be sent again. */
  renewed: boolean;
}

/** Starts a session for a user; returns the token for the cookie (only its hash is stored). */
export async function createSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken();
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await sql()`INSERT INTO sessions (id, user_id, expires_at) VALUES (${hashToken(token)}, ${userId}, ${expiresAt})`;
  return { token, expiresAt };
}

/** The session for a cookie token, renewed when due; null when unknown, expired or the account disabled. */
export async function validateSession(token: string): Promise<Session | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = hashToken(token);
  const [row] = await sql()<SessionRow[]>`
    SELECT s.id, s.expires_at, u.id AS user_id, u.email, u.display_name, u.role, u.delegation_code, u.disabled, u.language
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = ${id}`;
  if (!row) return null;
  if (row.disabled || row.expires_at.getTime() <= Date.now()) {
    // Nothing to announce: a stream ends at its session's expiry of itself, and disabling an
    // account announced it.
    await sql()`DELETE FROM sessions WHERE id = ${id}`;
    return null;
  }
  let expiresAt = row.expires_at;
  let renewed = false;
  if (expiresAt.getTime() - Date.now() < RENEW_WITHIN_MS) {
    expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
    renewed = true;
    await sql()`UPDATE sessions SET expires_at = ${expiresAt} WHERE id = ${id}`;
  }
  return {
    id,
    expiresAt,
    renewed,
    user: {
      id: row.user_id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      delegationCode: row.delegation_code,
      language: row.language,
    },
  };
}

/**
 * Whether a session is still the one a connection was authorised with: not ended or expired, its
 * account not disabled and still of the same role and delegation.
 */
export async function isSessionCurrent(sessionId: string, user: { id: string; role: Role; delegationCode: string | null }): Promise<boolean> {
  const rows = await sql()<{ id: string }[]>`
    SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = ${sessionId} AND s.expires_at > now() AND u.id = ${user.id} AND NOT u.disabled
      AND u.role = ${user.role} AND u.delegation_code IS NOT DISTINCT FROM ${user.delegationCode}`;
  return rows.length > 0;
}

/** Ends one session; its live connections end with it. */
export async function invalidateSession(live: Live, sessionId: string): Promise<void> {
  await sql()`DELETE FROM sessions WHERE id = ${sessionId}`;
  live.accounts.publish({ type: "session-ended", sessionId });
}

/** Ends every session of a user, or every one but `exceptSessionId`; their live connections end with them. */
export async function invalidateUserSessions(live: Live, userId: string, exceptSessionId?: string): Promise<void> {
  if (exceptSessionId) {
    await sql()`DELETE FROM sessions WHERE user_id = ${userId} AND id <> ${exceptSessionId}`;
  } else {
    await sql()`DELETE FROM sessions WHERE user_id = ${userId}`;
  }
  live.accounts.publish({ type: "sessions-ended", userId, exceptSessionId });
}

interface SessionRow {
  id: string;
  expires_at: Date;
  user_id: string;
  email: string;
  display_name: string;
  role: Role;
  delegation_code: string | null;
  disabled: boolean;
  language: Language | null;
}
