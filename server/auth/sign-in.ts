import { sql } from "../db/registry";
import { recordAudit } from "../domain/audit";
import { findUserForSignIn, normaliseEmail, type User } from "../domain/users";
import { verifyDecoy, verifyPassword } from "./password";
import { createSession } from "./session";

/** Failures allowed per account and per address within the window. */
export const MAX_FAILURES = 10;
/** The throttling window. */
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;

/** What a sign-in attempt came to. */
export type SignInResult =
  | { ok: true; user: User; token: string; expiresAt: Date }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Signs a person in by email and password. Unknown email, wrong password and disabled account
 * all answer "invalid"; too many recent failures answer "throttled". Every attempt is recorded.
 */
export async function signIn(input: { email: string; password: string; address: string }): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const retryAfterSeconds = await throttleDelay(email, input.address);
  if (retryAfterSeconds > 0) {
    await recordAudit({ actor: null, action: "sign-in.throttled", details: { email, address: input.address } });
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }
  const user = await findUserForSignIn(email);
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : (await verifyDecoy(input.password), false);
  const succeeded = valid && user !== null && !user.disabled;
  await sql()`INSERT INTO sign_in_attempts (email, address, succeeded) VALUES (${email}, ${input.address}, ${succeeded})`;
  if (!succeeded || !user) {
    await recordAudit({
      actor: null,
      action: "sign-in.failed",
      target: user ? { type: "user", id: user.id } : undefined,
      details: { email, address: input.address },
    });
    return { ok: false, reason: "invalid" };
  }
  const { passwordHash: _hash, ...account } = user;
  const session = await createSession(account.id);
  await recordAudit({ actor: account, action: "sign-in.succeeded", target: { type: "user", id: account.id }, details: { address: input.address } });
  return { ok: true, user: account, ...session };
}

// Seconds until an attempt is allowed again for this email or address; 0 when allowed now.
// The limit is reached when the MAX_FAILURES-th most recent failure is still inside the window;
// a success for the account clears its count (but not the address's).
async function throttleDelay(email: string, address: string): Promise<number> {
  const since = new Date(Date.now() - FAILURE_WINDOW_MS);
  const [row] = await sql()<{ by_email: Date | null; by_address: Date | null }[]>`
    SELECT
      (SELECT created_at FROM sign_in_attempts
       WHERE email = ${email} AND NOT succeeded AND created_at > ${since}
         AND created_at > coalesce((SELECT max(created_at) FROM sign_in_attempts WHERE email = ${email} AND succeeded), ${since})
       ORDER BY created_at DESC OFFSET ${MAX_FAILURES - 1} LIMIT 1) AS by_email,
      (SELECT created_at FROM sign_in_attempts
       WHERE address = ${address} AND NOT succeeded AND created_at > ${since}
       ORDER BY created_at DESC OFFSET ${MAX_FAILURES - 1} LIMIT 1) AS by_address`;
  const limits = [row?.by_email, row?.by_address].filter((time): time is Date => time instanceof Date);
  const waits = limits.map((time) => Math.ceil((time.getTime() + FAILURE_WINDOW_MS - Date.now()) / 1000));
  return Math.max(0, ...waits);
}
