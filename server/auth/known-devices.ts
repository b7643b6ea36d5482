import { sql } from "../db/registry";
import { generateToken, hashToken } from "./tokens";

/** The name of the cookie that marks a browser an account has signed in from. */
export const DEVICE_COOKIE = "accord_device";
/** How long a browser stays known without signing in again. */
export const DEVICE_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;
/** Browsers remembered per account; signing in from one more forgets the least recently used. */
export const MAX_DEVICES_PER_ACCOUNT = 20;

// Tokens are ours (base32, 160 bits); anything else in the cookie is ignored.
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

/** Whether `token` (the device cookie, if any) names a browser `userId` has signed in from. */
export async function isKnownDevice(userId: string, token: string | null): Promise<boolean> {
  if (!token || !TOKEN_SHAPE.test(token)) return false;
  const rows = await sql()`
    SELECT 1 FROM known_devices
    WHERE token_hash = ${hashToken(token)} AND user_id = ${userId}
      AND last_used_at > now() - ${`${DEVICE_LIFETIME_MS / 1000} seconds`}::interval`;
  return rows.length > 0;
}

/**
 * Remembers the browser `userId` just signed in from and returns the token for its cookie: the
 * one it sent if we issued it (one browser may be known to several accounts), else a new one.
 */
export async function rememberDevice(userId: string, token: string | null): Promise<string> {
  const kept = token && (await wasIssued(token)) ? token : generateToken();
  await sql()`
    INSERT INTO known_devices (token_hash, user_id) VALUES (${hashToken(kept)}, ${userId})
    ON CONFLICT (token_hash, user_id) DO UPDATE SET last_used_at = now()`;
  await sql()`
    DELETE FROM known_devices WHERE user_id = ${userId} AND token_hash NOT IN (
      SELECT token_hash FROM known_devices WHERE user_id = ${userId}
      ORDER BY last_used_at DESC LIMIT ${MAX_DEVICES_PER_ACCOUNT})`;
  return kept;
}

/** The Set-Cookie value that keeps the device token for a year. */
export function deviceCookie(token: string, secure: boolean): string {
  return [
    `${DEVICE_COOKIE}=${token}`,
    "Path=/login",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${DEVICE_LIFETIME_MS / 1000}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

// A token planted in the browser by someone else is never adopted: only one we stored before.
async function wasIssued(token: string): Promise<boolean> {
  if (!TOKEN_SHAPE.test(token)) return false;
  const rows = await sql()`SELECT 1 FROM known_devices WHERE token_hash = ${hashToken(token)} LIMIT 1`;
  return rows.length > 0;
}
