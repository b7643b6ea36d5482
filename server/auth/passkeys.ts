import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import { isUuid } from "../domain/users";
import { challengeOf, isKnownTransport, parseAuthenticationResponse, parseRegistrationResponse } from "./webauthn-responses";

/** Who the credentials are for: the site's host name, its name as shown, and the page's origin. */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

/** A passkey as its owner sees it in their settings. */
export interface PasskeySummary {
  id: string;
  name: string;
  passwordless: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** What a challenge is for: adding a passkey, a second factor at sign-in, signing in with a passkey alone, or confirming a sensitive act. */
export type ChallengePurpose = "register" | "sign-in" | "passwordless" | "step-up";
export type AuthenticationPurpose = Exclude<ChallengePurpose, "register">;

export type RegistrationResult =
  | { ok: true; passkey: PasskeySummary }
  | { ok: false; reason: "invalid" | "expired" | "too-many" | "already-registered" | "not-verified-user" };

export type AuthenticationResult = { ok: true; userId: string; passkeyId: string } | { ok: false; reason: "invalid" | "expired" };

export const MAX_PASSKEYS_PER_ACCOUNT = 10;
export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;
const MAX_NAME_LENGTH = 80;
// The passkeys table's bound; COSE keys of the algorithms offered are far smaller (RSA-2048: 272 bytes).
const MAX_PUBLIC_KEY_BYTES = 2048;

/**
 * The relying party for a request's origin, which the caller has already checked is one of the
 * deployment's: the credential is bound to that host name.
 */
export function relyingPartyFor(origin: string): RelyingParty {
  const url = new URL(origin);
  return { id: url.hostname, name: "Accord", origin: url.origin };
}

/** Options for adding a passkey to `user`'s account; the challenge is stored for verifyRegistration. */
export async function registrationOptions(
  user: { id: string; email: string; displayName: string },
  rp: RelyingParty,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: userHandleBytes(user.id),
    userName: user.email,
    userDisplayName: user.displayName,
    attestationType: "none",
    // The browser declines to register an authenticator that already holds one of these.
    excludeCredentials: await credentialsOf(user.id, false),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
    supportedAlgorithmIDs: [-7, -257],
    timeout: CHALLENGE_LIFETIME_MS,
  });
  await storeChallenge(options.challenge, "register", user.id);
  pruneNowAndThen();
  return options;
}

/**
 * Verifies the browser's answer to registrationOptions and stores the new passkey under `input.name`.
 * The challenge is consumed whatever comes of it; a passkey for signing in alone must have verified its user.
 */
export async function verifyRegistration(
  user: { id: string },
  rp: RelyingParty,
  response: unknown,
  input: { name: string; passwordless: boolean },
): Promise<RegistrationResult> {
  const name = passkeyName(input.name);
  const parsed = parseRegistrationResponse(response);
  const challenge = parsed && challengeOf(parsed.response.clientDataJSON);
  if (!name || !parsed || !challenge || !isUuid(user.id)) return { ok: false, reason: "invalid" };
  const consumed = await consumeChallenge(challenge, "register", user.id);
  if (consumed !== "ok") return { ok: false, reason: consumed };
  const verification = await verifyRegistrationResponse({
    response: parsed,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: false,
  }).catch(() => null);
  if (!verification?.verified) return { ok: false, reason: "invalid" };
  const { credential, userVerified } = verification.registrationInfo;
  // The id the browser reports must be the one the authenticator signed into its data.
  if (credential.id !== parsed.id || credential.publicKey.length > MAX_PUBLIC_KEY_BYTES) return { ok: false, reason: "invalid" };
  if (input.passwordless && !userVerified) return { ok: false, reason: "not-verified-user" };
  return storePasskey(user.id, {
    credentialId: credential.id,
    publicKey: credential.publicKey,
    counter: credential.counter,
    transports: parsed.response.transports ?? [],
    name,
    passwordless: input.passwordless,
  });
}

/**
 * Options for proving a passkey: for a known account, one of its passkeys (passwordless ones
 * for "passwordless"); with no account, any passwordless passkey, which must verify its user.
 */
export async function authenticationOptions(
  purpose: AuthenticationPurpose,
  userId: string | null,
  rp: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passwordless = purpose === "passwordless";
  // A second factor or a step-up without an account would accept anybody's passkey.
  if (userId === null && !passwordless) throw new Error(`A ${purpose} challenge is for a known account.`);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: userId === null ? undefined : await credentialsOf(userId, passwordless),
    userVerification: passwordless ? "required" : "preferred",
    timeout: CHALLENGE_LIFETIME_MS,
  });
  await storeChallenge(options.challenge, purpose, userId);
  // Anyone may ask for a challenge to sign in with a passkey alone, unsigned in: those lapse each
  // time one is asked for, so that the table holds at most the last five minutes' asking.
  if (passwordless) await sql()`DELETE FROM webauthn_challenges WHERE expires_at < now()`;
  else pruneNowAndThen();
  return options;
}

/**
 * Verifies the browser's answer to authenticationOptions for the same purpose and account, and
 * records the passkey's use. A counter that did not move forward is refused: a cloned authenticator.
 */
export async function verifyAuthentication(
  purpose: AuthenticationPurpose,
  userId: string | null,
  rp: RelyingParty,
  response: unknown,
): Promise<AuthenticationResult> {
  const parsed = parseAuthenticationResponse(response);
  const challenge = parsed && challengeOf(parsed.response.clientDataJSON);
  if (!parsed || !challenge || (userId !== null && !isUuid(userId))) return { ok: false, reason: "invalid" };
  const consumed = await consumeChallenge(challenge, purpose, userId);
  if (consumed !== "ok") return { ok: false, reason: consumed };
  const passkey = await findPasskey(parsed.id, userId);
  if (!passkey) return { ok: false, reason: "invalid" };
  const passwordless = purpose === "passwordless";
  if (passwordless && !passkey.passwordless) return { ok: false, reason: "invalid" };
  if (!isOwnersHandle(parsed.response.userHandle, passkey.userId, passwordless)) return { ok: false, reason: "invalid" };
  const verification = await verifyAuthenticationResponse({
    response: parsed,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    credential: { id: passkey.credentialId, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports },
    requireUserVerification: passwordless,
  }).catch(() => null);
  if (!verification?.verified) return { ok: false, reason: "invalid" };
  if (!(await recordUse(passkey.id, verification.authenticationInfo.newCounter))) return { ok: false, reason: "invalid" };
  return { ok: true, userId: passkey.userId, passkeyId: passkey.id };
}

/** The account's passkeys, oldest first. */
export async function listPasskeys(userId: string): Promise<PasskeySummary[]> {
  if (!isUuid(userId)) return [];
  const rows = await sql()<SummaryRow[]>`
    SELECT id, name, passwordless, created_at, last_used_at FROM passkeys
    WHERE user_id = ${userId} ORDER BY created_at, id`;
  return rows.map(toSummary);
}

/** Renames one of the account's passkeys; false when it is not theirs or the name is blank or too long. */
export async function renamePasskey(userId: string, passkeyId: string, name: string): Promise<boolean> {
  const trimmed = passkeyName(name);
  if (!trimmed || !isUuid(userId) || !isUuid(passkeyId)) return false;
  const rows = await sql()`UPDATE passkeys SET name = ${trimmed} WHERE id = ${passkeyId} AND user_id = ${userId} RETURNING id`;
  return rows.length > 0;
}

/** Removes one of the account's passkeys; false when it is not theirs. */
export async function removePasskey(userId: string, passkeyId: string, db: Queryable = sql()): Promise<boolean> {
  if (!isUuid(userId) || !isUuid(passkeyId)) return false;
  const rows = await db`DELETE FROM passkeys WHERE id = ${passkeyId} AND user_id = ${userId} RETURNING id`;
  return rows.length > 0;
}

/** Removes every passkey of the account (its second factors reset); returns how many. */
export async function removeAllPasskeys(userId: string, db: Queryable = sql()): Promise<number> {
  if (!isUuid(userId)) return 0;
  const rows = await db`DELETE FROM passkeys WHERE user_id = ${userId} RETURNING id`;
  return rows.length;
}

/** How many passkeys the account has. */
export async function countPasskeys(userId: string): Promise<number> {
  if (!isUuid(userId)) return 0;
  const [row] = await sql()<{ n: number }[]>`SELECT count(*)::int AS n FROM passkeys WHERE user_id = ${userId}`;
  return row?.n ?? 0;
}

/** Forgets challenges that were never answered in time; returns how many. */
export async function pruneChallenges(): Promise<number> {
  const rows = await sql()`DELETE FROM webauthn_challenges WHERE expires_at <= now() RETURNING challenge`;
  return rows.length;
}

// Rarely, and off the answer's path, as sign-in prunes its throttle.
function pruneNowAndThen(): void {
  if (Math.random() < 0.01) void pruneChallenges().catch(() => undefined);
}

async function storeChallenge(challenge: string, purpose: ChallengePurpose, userId: string | null): Promise<void> {
  await sql()`
    INSERT INTO webauthn_challenges (challenge, purpose, user_id, expires_at)
    VALUES (${challenge}, ${purpose}, ${userId}, now() + ${`${CHALLENGE_LIFETIME_MS / 1000} seconds`}::interval)`;
}

// Takes the challenge out in the same statement that finds it, so that two answers sent at once
// cannot both use it; an expired one goes too, and says so.
async function consumeChallenge(challenge: string, purpose: ChallengePurpose, userId: string | null): Promise<"ok" | "expired" | "invalid"> {
  const [row] = await sql()<{ live: boolean }[]>`
    DELETE FROM webauthn_challenges
    WHERE challenge = ${challenge} AND purpose = ${purpose} AND user_id IS NOT DISTINCT FROM ${userId}::uuid
    RETURNING expires_at > now() AS live`;
  if (!row) return "invalid";
  return row.live ? "ok" : "expired";
}

async function storePasskey(
  userId: string,
  passkey: { credentialId: string; publicKey: Uint8Array; counter: number; transports: AuthenticatorTransportFuture[]; name: string; passwordless: boolean },
): Promise<RegistrationResult> {
  return sql().begin(async (tx): Promise<RegistrationResult> => {
    // The account's row is locked so that two registrations at once cannot both pass the count.
    await tx`SELECT 1 FROM users WHERE id = ${userId} FOR NO KEY UPDATE`;
    const [count] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM passkeys WHERE user_id = ${userId}`;
    if ((count?.n ?? 0) >= MAX_PASSKEYS_PER_ACCOUNT) return { ok: false, reason: "too-many" };
    const [row] = await tx<SummaryRow[]>`
      INSERT INTO passkeys (user_id, credential_id, public_key, counter, transports, name, passwordless)
      VALUES (${userId}, ${passkey.credentialId}, ${Buffer.from(passkey.publicKey)}, ${passkey.counter},
              ${passkey.transports}::text[], ${passkey.name}, ${passkey.passwordless})
      ON CONFLICT (credential_id) DO NOTHING
      RETURNING id, name, passwordless, created_at, last_used_at`;
    // The credential is someone's already (this account's, or another's whose id was copied).
    if (!row) return { ok: false, reason: "already-registered" };
    return { ok: true, passkey: toSummary(row) };
  });
}

interface StoredPasskey {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  counter: number;
  transports: AuthenticatorTransportFuture[];
  passwordless: boolean;
}

// The passkey with this credential id, of this account when one is named; never a disabled account's.
async function findPasskey(credentialId: string, userId: string | null): Promise<StoredPasskey | null> {
  const [row] = await sql()<{
    id: string;
    user_id: string;
    credential_id: string;
    public_key: Buffer;
    counter: string;
    transports: string[];
    passwordless: boolean;
  }[]>`
    SELECT p.id, p.user_id, p.credential_id, p.public_key, p.counter, p.transports, p.passwordless
    FROM passkeys p JOIN users u ON u.id = p.user_id
    WHERE p.credential_id = ${credentialId} AND NOT u.disabled
      AND (${userId}::uuid IS NULL OR p.user_id = ${userId}::uuid)`;
  if (!row) return null;
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: new Uint8Array(row.public_key),
    // postgres.js reads a bigint as text; a signature counter is 32 bits.
    counter: Number(row.counter),
    transports: row.transports.filter(isKnownTransport),
    passwordless: row.passwordless,
  };
}

// Moves the counter forward only if nobody moved it past this value meanwhile: two assertions
// verified at once against the same stored counter cannot both pass. Authenticators that keep no
// counter always send 0.
async function recordUse(passkeyId: string, counter: number): Promise<boolean> {
  const rows = await sql()`
    UPDATE passkeys SET counter = ${counter}, last_used_at = now()
    WHERE id = ${passkeyId} AND (counter < ${counter} OR counter = 0)
    RETURNING id`;
  return rows.length > 0;
}

// The account's passkeys as the browser is told of them (passwordless ones only, when asked).
async function credentialsOf(userId: string, passwordlessOnly: boolean): Promise<{ id: string; transports: AuthenticatorTransportFuture[] }[]> {
  const rows = await sql()<{ credential_id: string; transports: string[] }[]>`
    SELECT credential_id, transports FROM passkeys
    WHERE user_id = ${userId} AND (passwordless OR NOT ${passwordlessOnly})
    ORDER BY created_at, id`;
  return rows.map((row) => ({ id: row.credential_id, transports: row.transports.filter(isKnownTransport) }));
}

// The WebAuthn user handle: the account's uuid as its 16 bytes, which reveal nothing else.
function userHandleBytes(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ""), "hex"));
}

// The account the authenticator answered for must own the passkey; it must say which when the
// account was not named beforehand (WebAuthn §7.2, step 6).
function isOwnersHandle(userHandle: string | undefined, ownerId: string, required: boolean): boolean {
  if (userHandle === undefined) return !required;
  return userHandle === Buffer.from(userHandleBytes(ownerId)).toString("base64url");
}

// A name as stored: trimmed, 1 to 80 characters (counted as the database counts them).
function passkeyName(name: string): string | null {
  const trimmed = name.trim();
  const length = [...trimmed].length;
  return length >= 1 && length <= MAX_NAME_LENGTH ? trimmed : null;
}

interface SummaryRow {
  id: string;
  name: string;
  passwordless: boolean;
  created_at: Date;
  last_used_at: Date | null;
}

function toSummary(row: SummaryRow): PasskeySummary {
  return { id: row.id, name: row.name, passwordless: row.passwordless, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}
