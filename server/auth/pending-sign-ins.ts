import { sql } from "../db/registry";
import { generateToken, hashToken } from "./tokens";

/** The cookie that carries a sign-in between its password and its second factor. */
export const PENDING_COOKIE = "accord_pending";
/** How long the second factor may take after the password. */
export const PENDING_LIFETIME_MS = 10 * 60 * 1000;
// Sign-ins half done per account at once: a script repeating the password must not grow the table.
const MAX_PENDING_PER_ACCOUNT = 5;
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

/** A sign-in whose password was right, waiting for its second factor. */
export interface PendingSignIn {
  id: string;
  userId: string;
}

/** Starts the wait for a second factor; returns the token for the cookie (only its hash is stored). */
export async function startPendingSignIn(userId: string, address: string): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken();
  const expiresAt = new Date(Date.now() + PENDING_LIFETIME_MS);
  await sql()`DELETE FROM pending_sign_ins WHERE expires_at < now()`;
  await sql()`INSERT INTO pending_sign_ins (id, user_id, address, expires_at) VALUES (${hashToken(token)}, ${userId}, ${address}, ${expiresAt})`;
  await sql()`
    DELETE FROM pending_sign_ins WHERE user_id = ${userId} AND id NOT IN (
      SELECT id FROM pending_sign_ins WHERE user_id = ${userId} ORDER BY created_at DESC LIMIT ${MAX_PENDING_PER_ACCOUNT})`;
  return { token, expiresAt };
}

/** The pending sign-in a cookie names, while it lasts and its account is enabled; else null. */
export async function readPendingSignIn(token: string | null): Promise<PendingSignIn | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const [row] = await sql()<{ id: string; userId: string }[]>`
    SELECT p.id, p.user_id AS "userId" FROM pending_sign_ins p JOIN users u ON u.id = p.user_id
    WHERE p.id = ${hashToken(token)} AND p.expires_at > now() AND NOT u.disabled`;
  return row ?? null;
}

/** Ends a pending sign-in (done or abandoned); true when it was still there to end. */
export async function endPendingSignIn(id: string): Promise<boolean> {
  const rows = await sql()`DELETE FROM pending_sign_ins WHERE id = ${id} RETURNING id`;
  return rows.length > 0;
}

/** Ends every pending sign-in of an account (its factors were reset, or its password changed). */
export async function endPendingSignInsOf(userId: string): Promise<void> {
  await sql()`DELETE FROM pending_sign_ins WHERE user_id = ${userId}`;
}

/** The Set-Cookie value that keeps a pending sign-in's token until it lapses. */
export function pendingCookie(token: string, secure: boolean): string {
  return [`${PENDING_COOKIE}=${token}`, "Path=/login", "HttpOnly", "SameSite=Lax", `Max-Age=${PENDING_LIFETIME_MS / 1000}`, ...(secure ? ["Secure"] : [])].join("; ");
}

/** The Set-Cookie value that deletes the pending sign-in's cookie. */
export function clearedPendingCookie(secure: boolean): string {
  return [`${PENDING_COOKIE}=`, "Path=/login", "HttpOnly", "SameSite=Lax", "Max-Age=0", ...(secure ? ["Secure"] : [])].join("; ");
}
