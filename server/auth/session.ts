import type { Language } from "../../i18n/languages";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { mustEnrolSql } from "./second-factor-sql";
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
  /**
   * Whether the person's role must have a second factor, whether they have one, and which: a
   * passkey, an authenticator app.
   */
  secondFactor: { required: boolean; enrolled: boolean; passkey: boolean; totp: boolean };
}

/** How a session was signed in. */
export const AUTH_METHODS = ["password", "password+passkey", "password+totp", "password+recovery", "passkey"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** A valid session and its user. */
export interface Session {
  id: string;
  user: SessionUser;
  expiresAt: Date;
  /** True when this validation extended the expiry: the cookie must be sent again. */
  renewed: boolean;
  /** How the session was signed in. */
  authMethod: AuthMethod;
  /** When a second factor was last checked on this session (at sign-in or a step-up); null: never. */
  secondFactorAt: Date | null;
}

/**
 * Starts a session for a user, signed in by `method`; returns the token for the cookie (only its
 * hash is stored). A method with a second factor counts as a check of it now.
 */
export async function createSession(userId: string, method: AuthMethod = "password"): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken();
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  const secondFactorAt = method === "password" ? null : new Date();
  await sql()`
    INSERT INTO sessions (id, user_id, expires_at, auth_method, second_factor_at)
    VALUES (${hashToken(token)}, ${userId}, ${expiresAt}, ${method}, ${secondFactorAt})`;
  return { token, expiresAt };
}

/** Records a second factor checked on a session just now (a step-up, or a factor just set up). */
export async function markSecondFactor(sessionId: string): Promise<Date> {
  const [row] = await sql()<{ at: Date }[]>`UPDATE sessions SET second_factor_at = now() WHERE id = ${sessionId} RETURNING second_factor_at AS at`;
  return row?.at ?? new Date();
}

/** The session for a cookie token, renewed when due; null when unknown, expired or the account disabled. */
export async function validateSession(token: string): Promise<Session | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = hashToken(token);
  const [row] = await sql()<SessionRow[]>`
    SELECT s.id, s.expires_at, s.auth_method, s.second_factor_at,
      u.id AS user_id, u.email, u.display_name, u.role, u.delegation_code, u.disabled, u.language,
      EXISTS (SELECT 1 FROM second_factor_roles r WHERE r.role = u.role) AS factor_required,
      EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id) AS has_passkey,
      EXISTS (SELECT 1 FROM totp_keys k WHERE k.user_id = u.id AND k.confirmed_at IS NOT NULL) AS has_totp
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
    authMethod: row.auth_method,
    secondFactorAt: row.second_factor_at,
    user: {
      id: row.user_id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      delegationCode: row.delegation_code,
      language: row.language,
      secondFactor: {
        required: row.factor_required,
        enrolled: row.has_passkey || row.has_totp,
        passkey: row.has_passkey,
        totp: row.has_totp,
      },
    },
  };
}

/**
 * Whether a session is still the one a connection was authorised with: not ended or expired, its
 * account not disabled, still of the same role and delegation, and not held to set up a second
 * factor.
 */
export async function isSessionCurrent(sessionId: string, user: { id: string; role: Role; delegationCode: string | null }): Promise<boolean> {
  const rows = await sql()<{ id: string }[]>`
    SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = ${sessionId} AND s.expires_at > now() AND u.id = ${user.id} AND NOT u.disabled
      AND u.role = ${user.role} AND u.delegation_code IS NOT DISTINCT FROM ${user.delegationCode}
      AND NOT ${mustEnrolSql(sql())}`;
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
  auth_method: AuthMethod;
  second_factor_at: Date | null;
  factor_required: boolean;
  has_passkey: boolean;
  has_totp: boolean;
  user_id: string;
  email: string;
  display_name: string;
  role: Role;
  delegation_code: string | null;
  disabled: boolean;
  language: Language | null;
}
