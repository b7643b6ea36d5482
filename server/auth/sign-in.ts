import { sql } from "../db/registry";
import { recordAudit } from "../domain/audit";
import { findUserForSignIn, normaliseEmail, setBrowserLanguage, type User } from "../domain/users";
import type { Language } from "../../i18n/languages";
import { isKnownDevice, rememberDevice } from "./known-devices";
import { verifyDecoy, verifyPassword } from "./password";
import { startPendingSignIn } from "./pending-sign-ins";
import { createSession, type AuthMethod } from "./session";
import { hashToken } from "./tokens";
import { clearFailures, LIMITS, pruneThrottle, reserveAttempt, type ThrottleKey } from "./throttle";

/** Failures allowed per account from places it was never signed in from, before it is blocked. */
export const MAX_FAILURES = LIMITS.account;
/** An address an account signed in from this recently counts as one of the owner's places. */
const KNOWN_ADDRESS_DAYS = 90;

/** A sign-in completed: the session's token and the token for the known-device cookie. */
export type SignedIn = { ok: true; user: Omit<User, "passwordHash">; token: string; expiresAt: Date; deviceToken: string };

/**
 * What a sign-in attempt came to. "second-factor": the password was right, and the account has a
 * second factor still to give (`pendingToken` is for the pending sign-in's cookie).
 */
export type SignInResult =
  | SignedIn
  | { ok: false; reason: "second-factor"; pendingToken: string; expiresAt: Date }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** Password checks evaluated by this process: what the throttle bounds, counted where it is spent. */
export const passwordChecks = { count: 0 };

/**
 * Signs a person in by email and password. Unknown email, wrong password and disabled account
 * all answer "invalid"; a budget used up answers "throttled". The attempt is reserved before the
 * password is checked, so parallel guesses cannot outrun the throttle. Attempts from the owner's
 * known browser (`deviceToken`) or known address draw on their own budget, so that an attacker
 * elsewhere cannot lock the owner out.
 */
export async function signIn(input: {
  email: string;
  password: string;
  address: string;
  deviceToken?: string | null;
  /** The language the browser asks for: e-mail reaches one who follows their browser's in it. */
  browserLanguage?: Language;
}): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const deviceToken = input.deviceToken ?? null;
  const user = await findUserForSignIn(email);
  const keys = await budgetsFor(email, user, input.address, deviceToken);
  const reservation = await reserveAttempt(keys);
  // Rarely, and off the answer's path: forget keys that count nothing any more.
  if (Math.random() < 0.01) void pruneThrottle().catch(() => undefined);
  if (!reservation.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: reservation.retryAfterSeconds };
  passwordChecks.count += 1;
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
  // The address's count stays: an insider signing in to their own account must not reset the
  // budget they spend guessing at others.
  await clearFailures(keys.filter((key) => key.kind !== "address"));
  const { passwordHash: _hash, ...account } = user;
  if (await hasSecondFactor(account.id)) {
    // The browser becomes known, and the session starts, only once the second factor is given.
    const pending = await startPendingSignIn(account.id, input.address);
    await recordAudit({ actor: account, action: "sign-in.password-accepted", target: { type: "user", id: account.id }, details: { address: input.address } });
    return { ok: false, reason: "second-factor", pendingToken: pending.token, expiresAt: pending.expiresAt };
  }
  return finishSignIn({ user: account, method: "password", address: input.address, deviceToken, browserLanguage: input.browserLanguage });
}

/**
 * Completes a sign-in whose every step was given: starts the session (recording how it was
 * signed in), remembers the browser and the language it asks for, and audits it.
 */
export async function finishSignIn(input: {
  user: Omit<User, "passwordHash">;
  method: AuthMethod;
  address: string;
  deviceToken: string | null;
  browserLanguage?: Language;
}): Promise<SignedIn> {
  const { user, method } = input;
  const session = await createSession(user.id, method);
  if (input.browserLanguage) await setBrowserLanguage(user.id, input.browserLanguage);
  const remembered = await rememberDevice(user.id, input.deviceToken);
  await recordAudit({ actor: user, action: "sign-in.succeeded", target: { type: "user", id: user.id }, details: { address: input.address, method } });
  return { ok: true, user, ...session, deviceToken: remembered };
}

/** Whether an account has a second factor in use: a passkey, or a confirmed authenticator app. */
export async function hasSecondFactor(userId: string): Promise<boolean> {
  const [row] = await sql()<{ enrolled: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM passkeys WHERE user_id = ${userId})
      OR EXISTS (SELECT 1 FROM totp_keys WHERE user_id = ${userId} AND confirmed_at IS NOT NULL) AS enrolled`;
  return row?.enrolled ?? false;
}

// The budgets an attempt draws on: the owner's known browser, else the owner's known address,
// else the account's and the address's budgets for strangers.
async function budgetsFor(email: string, user: User | null, address: string, deviceToken: string | null): Promise<ThrottleKey[]> {
  if (user && deviceToken && (await isKnownDevice(user.id, deviceToken))) {
    return [{ kind: "known-device", key: `${user.id} ${hashToken(deviceToken)}`, userId: user.id }];
  }
  if (user && (await hasSignedInFrom(email, address))) {
    return [{ kind: "known-address", key: `${user.id} ${address}`, userId: user.id }];
  }
  return [
    { kind: "account", key: email, userId: user?.id },
    { kind: "address", key: address },
  ];
}

async function hasSignedInFrom(email: string, address: string): Promise<boolean> {
  const rows = await sql()`
    SELECT 1 FROM sign_in_attempts
    WHERE email = ${email} AND address = ${address} AND succeeded
      AND created_at > now() - ${`${KNOWN_ADDRESS_DAYS} days`}::interval
    LIMIT 1`;
  return rows.length > 0;
}
