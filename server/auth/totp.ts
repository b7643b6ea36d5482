import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { verifyHOTP } from "@oslojs/otp";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import { openSecret, sealSecret } from "./factor-key";
import { qrSvg } from "./qr";
import { clearFailures, reserveAttempt, type ThrottleKey } from "./throttle";

// Authenticator-app codes as RFC 6238 defines them with the defaults every app understands:
// HMAC-SHA-1, six digits, 30-second steps. The step is computed here and handed to HOTP (RFC 4226),
// so that we know which step a code belonged to and can accept each step once.
const ISSUER = "Accord";
const DIGITS = 6;
const PERIOD_SECONDS = 30;
const KEY_BYTES = 20;
/**
 * Steps accepted either side of the current one: one, so a code is good for 30 s before and after
 * its own step (phone clocks drift, and people type slowly), and never longer than 90 s in all.
 */
const WINDOW_STEPS = 1;
/** A key being set up and not confirmed within this long is forgotten. */
const PENDING_LIFETIME_MS = 60 * 60 * 1000;

/** What a person needs to add Accord to an authenticator app: the key typed, or scanned. */
export interface TotpEnrolment {
  /** The key in base32, upper-case, in groups of four for typing. */
  secret: string;
  /** The otpauth:// URI that the QR code holds. */
  uri: string;
  /** The QR code of `uri`, as SVG markup. */
  qrSvg: string;
}

/** What checking a code came to; "none": there was no key being set up to check it against. */
export type CodeCheck =
  | { ok: true }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number }
  | { ok: false; reason: "none" };

/** The budget that codes typed for a person's second factor draw on, wherever they are typed. */
export function secondFactorThrottleKey(userId: string): ThrottleKey {
  return { kind: "second-factor", key: userId, userId };
}

/**
 * Starts setting up an authenticator app with a new random key, replacing any key already being
 * set up; a key in use stays in use until the new one is confirmed.
 */
export async function startTotpEnrolment(user: { id: string; email: string }, now: Date = new Date()): Promise<TotpEnrolment> {
  const key = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  // A new id too: a confirmation racing with this, still holding the old key's id, then finds nothing.
  await sql()`
    INSERT INTO totp_keys (user_id, secret, created_at) VALUES (${user.id}, ${sealSecret(key)}, ${now})
    ON CONFLICT (user_id) WHERE confirmed_at IS NULL
    DO UPDATE SET id = EXCLUDED.id, secret = EXCLUDED.secret, created_at = EXCLUDED.created_at, last_counter = 0`;
  return enrolment(user, key);
}

/** The key being set up, to show again (after a reload); null when none is, or it has lapsed. */
export async function pendingTotpEnrolment(user: { id: string; email: string }, now: Date = new Date()): Promise<TotpEnrolment | null> {
  const pending = await readPending(user.id, now);
  return pending ? enrolment(user, pending.key) : null;
}

/**
 * Confirms the key being set up with a code from the app: it then replaces the key in use, if any.
 * Throttled like every second-factor code; with nothing being set up ("none") there is nothing to
 * guess, and the budget is not spent.
 */
export async function confirmTotpEnrolment(userId: string, code: string, now: Date = new Date()): Promise<CodeCheck> {
  const pending = await readPending(userId, now);
  if (!pending) return { ok: false, reason: "none" };
  const throttle = secondFactorThrottleKey(userId);
  const reservation = await reserveAttempt([throttle]);
  if (!reservation.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: reservation.retryAfterSeconds };
  const step = matchingStep(pending, code, now);
  if (step === null) return { ok: false, reason: "invalid" };
  const confirmed = await sql().begin(async (tx) => {
    // The step is claimed first, under the pending row's lock: of two confirmations at once, the
    // second finds the row claimed (or confirmed) and confirms nothing.
    if (!(await claimStep(tx, pending.id, step, "pending"))) return false;
    // The key in use goes only now: the person has shown their app holds the new one.
    await tx`DELETE FROM totp_keys WHERE user_id = ${userId} AND confirmed_at IS NOT NULL`;
    await tx`UPDATE totp_keys SET confirmed_at = ${now} WHERE id = ${pending.id}`;
    return true;
  });
  if (!confirmed) return { ok: false, reason: "invalid" };
  await clearFailures([throttle]);
  return { ok: true };
}

/**
 * Whether `code` is a good code of the person's authenticator app, which it then uses up: each
 * step is accepted once, and none older than the last accepted. Not throttled: the caller is.
 */
export async function acceptTotpCode(userId: string, code: string, now: Date = new Date()): Promise<boolean> {
  const [row] = await sql()<KeyRow[]>`
    SELECT id, secret, last_counter::text AS "lastCounter"
    FROM totp_keys WHERE user_id = ${userId} AND confirmed_at IS NOT NULL`;
  const key = row ? openKey(row) : null;
  if (!key) return false;
  const step = matchingStep(key, code, now);
  return step !== null && (await claimStep(sql(), key.id, step, "confirmed"));
}

/** Whether the person has an authenticator app in use. */
export async function hasTotp(userId: string): Promise<boolean> {
  const [row] = await sql()<{ present: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM totp_keys WHERE user_id = ${userId} AND confirmed_at IS NOT NULL) AS present`;
  return row?.present ?? false;
}

/** Removes the person's authenticator keys, in use and being set up; whether one was in use. */
export async function removeTotp(userId: string, db: Queryable = sql()): Promise<boolean> {
  const removed = await db<{ confirmed: boolean }[]>`
    DELETE FROM totp_keys WHERE user_id = ${userId} RETURNING confirmed_at IS NOT NULL AS confirmed`;
  return removed.some((row) => row.confirmed);
}

/** A code as typed, without spaces, when it is six digits; null otherwise. */
export function normaliseTotpCode(code: string): string | null {
  const digits = code.replace(/\s+/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

interface KeyRow {
  id: string;
  secret: Buffer;
  lastCounter: string;
}

interface OpenKey {
  id: string;
  key: Uint8Array;
  lastCounter: number;
}

// The key being set up, opened; one that has lapsed, or that no longer opens (SESSION_SECRET
// changed), is deleted and counts as none.
async function readPending(userId: string, now: Date): Promise<OpenKey | null> {
  const [row] = await sql()<(KeyRow & { createdAt: Date })[]>`
    SELECT id, secret, last_counter::text AS "lastCounter", created_at AS "createdAt"
    FROM totp_keys WHERE user_id = ${userId} AND confirmed_at IS NULL`;
  if (!row) return null;
  const key = now.getTime() - row.createdAt.getTime() < PENDING_LIFETIME_MS ? openKey(row) : null;
  // By id: a key started meanwhile has a new one, and stays.
  if (!key) await sql()`DELETE FROM totp_keys WHERE id = ${row.id} AND confirmed_at IS NULL`;
  return key;
}

function openKey(row: KeyRow): OpenKey | null {
  const key = openSecret(row.secret);
  return key ? { id: row.id, key, lastCounter: Number(row.lastCounter) } : null;
}

// The step within the window whose code `code` is, if it is later than the last step accepted.
function matchingStep(key: OpenKey, code: string, now: Date): number | null {
  const digits = normaliseTotpCode(code);
  if (!digits) return null;
  const current = Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);
  for (let step = current - WINDOW_STEPS; step <= current + WINDOW_STEPS; step += 1) {
    if (step > key.lastCounter && verifyHOTP(key.key, BigInt(step), DIGITS, digits)) return step;
  }
  return null;
}

// Records `step` as the last accepted, only if it is later than the last: one statement, so that
// of two requests with one code at once exactly one claims it.
async function claimStep(db: Queryable, id: string, step: number, state: "pending" | "confirmed"): Promise<boolean> {
  const claimed = await db`
    UPDATE totp_keys SET last_counter = ${step}
    WHERE id = ${id} AND last_counter < ${step}
      AND ${state === "pending" ? db`confirmed_at IS NULL` : db`confirmed_at IS NOT NULL`}
    RETURNING id`;
  return claimed.length > 0;
}

function enrolment(user: { email: string }, key: Uint8Array): TotpEnrolment {
  const secret = encodeBase32UpperCaseNoPadding(key);
  const uri =
    `otpauth://totp/${ISSUER}:${encodeURIComponent(user.email)}` +
    `?secret=${secret}&issuer=${ISSUER}&algorithm=SHA1&digits=${DIGITS}&period=${PERIOD_SECONDS}`;
  return { secret: secret.replace(/(.{4})(?=.)/g, "$1 "), uri, qrSvg: qrSvg(uri, `${ISSUER}: ${user.email}`) };
}
