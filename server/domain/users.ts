import type { Language } from "../../i18n/languages";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import { hashPassword, verifyPassword } from "../auth/password";
import type { Actor } from "../auth/policy";
import type { Role } from "../auth/roles";
import { invalidateUserSessions } from "../auth/session";
import type { Live } from "../live";
import { recordAudit } from "./audit";
import { DomainError } from "./messages";

/** An account as the application shows it (never its password hash). */
export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  delegationCode: string | null;
  disabled: boolean;
  createdAt: Date;
  /** The interface language the person chose; null: their browser's. */
  language: Language | null;
}

/** Normalises an email address for storage and look-up. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Creates an account; the caller has authorised it. Throws EmailTakenError for a known email. */
export async function createUser(
  input: { email: string; displayName: string; role: Role; delegationCode: string | null; password: string; language?: Language | null },
  db: Queryable = sql(),
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const rows = await db<UserRow[]>`
    INSERT INTO users (email, display_name, role, delegation_code, password_hash, language)
    VALUES (${normaliseEmail(input.email)}, ${input.displayName.trim()}, ${input.role}, ${input.delegationCode}, ${passwordHash}, ${input.language ?? null})
    ON CONFLICT (email) DO NOTHING
    RETURNING id, email, display_name, role, delegation_code, disabled, created_at, language`;
  const row = rows[0];
  if (!row) throw new EmailTakenError(input.email);
  return toUser(row);
}

/** An account already uses this email. */
export class EmailTakenError extends DomainError {
  constructor(readonly email: string) {
    super("error.emailTaken", { email });
  }
}

/** The account with this email (any case), with its password hash, or null. */
export async function findUserForSignIn(email: string): Promise<(User & { passwordHash: string }) | null> {
  const [row] = await sql()<(UserRow & { password_hash: string })[]>`
    SELECT id, email, display_name, role, delegation_code, disabled, created_at, language, password_hash
    FROM users WHERE email = ${normaliseEmail(email)}`;
  return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
}

/** One account by id, or null. */
export async function findUser(id: string): Promise<User | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql()<UserRow[]>`
    SELECT id, email, display_name, role, delegation_code, disabled, created_at, language FROM users WHERE id = ${id}`;
  return row ? toUser(row) : null;
}

/** Every account, by delegation then name. */
export async function listUsers(): Promise<User[]> {
  const rows = await sql()<UserRow[]>`
    SELECT u.id, u.email, u.display_name, u.role, u.delegation_code, u.disabled, u.created_at, u.language
    FROM users u LEFT JOIN delegations d ON d.code = u.delegation_code
    ORDER BY d.position NULLS FIRST, u.display_name`;
  return rows.map(toUser);
}

/** The active members of one delegation, heads first. */
export async function listDelegationMembers(delegationCode: string): Promise<User[]> {
  const rows = await sql()<UserRow[]>`
    SELECT id, email, display_name, role, delegation_code, disabled, created_at, language
    FROM users WHERE delegation_code = ${delegationCode} AND NOT disabled
    ORDER BY role = 'head' DESC, display_name`;
  return rows.map(toUser);
}

/** Disables or re-enables an account; disabling ends its sessions, and their event streams, at once. */
export async function setUserDisabled(live: Live, input: { actor: Actor; user: User; disabled: boolean }): Promise<void> {
  await sql().begin(async (tx) => {
    await tx`UPDATE users SET disabled = ${input.disabled}, updated_at = now() WHERE id = ${input.user.id}`;
    if (input.disabled) await tx`DELETE FROM sessions WHERE user_id = ${input.user.id}`;
    await recordAudit(
      {
        actor: input.actor,
        action: input.disabled ? "account.disabled" : "account.enabled",
        target: { type: "user", id: input.user.id },
        details: { email: input.user.email },
      },
      tx,
    );
  });
  live.accounts.publish({ type: "account-changed", userId: input.user.id });
}

/** Changes an account's role and delegation; its event streams end, to be authorised afresh. */
export async function changeUserRole(live: Live, input: {
  actor: Actor;
  user: User;
  role: Role;
  delegationCode: string | null;
}): Promise<void> {
  await sql().begin(async (tx) => {
    await tx`
      UPDATE users SET role = ${input.role}, delegation_code = ${input.delegationCode}, updated_at = now()
      WHERE id = ${input.user.id}`;
    await recordAudit(
      {
        actor: input.actor,
        action: "account.role-changed",
        target: { type: "user", id: input.user.id },
        details: {
          email: input.user.email,
          from: { role: input.user.role, delegation: input.user.delegationCode },
          to: { role: input.role, delegation: input.delegationCode },
        },
      },
      tx,
    );
  });
  live.accounts.publish({ type: "account-changed", userId: input.user.id });
}

/**
 * Changes a password after checking the current one; every other session of the account ends.
 * Returns false when the current password is wrong.
 */
export async function changePassword(live: Live, input: {
  user: Actor;
  sessionId: string;
  currentPassword: string;
  newPassword: string;
}): Promise<boolean> {
  const [row] = await sql()<{ password_hash: string }[]>`SELECT password_hash FROM users WHERE id = ${input.user.id}`;
  if (!row || !(await verifyPassword(row.password_hash, input.currentPassword))) return false;
  const passwordHash = await hashPassword(input.newPassword);
  await sql().begin(async (tx) => {
    await tx`UPDATE users SET password_hash = ${passwordHash}, updated_at = now() WHERE id = ${input.user.id}`;
    await tx`DELETE FROM sessions WHERE user_id = ${input.user.id} AND id <> ${input.sessionId}`;
    await recordAudit({ actor: input.user, action: "account.password-changed", target: { type: "user", id: input.user.id } }, tx);
  });
  live.accounts.publish({ type: "sessions-ended", userId: input.user.id, exceptSessionId: input.sessionId });
  return true;
}

/**
 * Sets the interface language of one's own account; null follows the browser again. A display
 * preference: nothing is announced and the audit trail does not record it.
 */
export async function setUserLanguage(user: Actor, language: Language | null): Promise<void> {
  await sql()`UPDATE users SET language = ${language}, updated_at = now() WHERE id = ${user.id}`;
}

/** Records the language a person's browser asks for (at sign-in): their e-mail's, while they follow it. */
export async function setBrowserLanguage(userId: string, language: Language): Promise<void> {
  await sql()`UPDATE users SET browser_language = ${language} WHERE id = ${userId} AND browser_language IS DISTINCT FROM ${language}`;
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhere(live: Live, user: Actor): Promise<void> {
  await invalidateUserSessions(live, user.id);
  await recordAudit({ actor: user, action: "account.signed-out-everywhere", target: { type: "user", id: user.id } });
}

/** Whether a string is a UUID, so that a bad id answers "not found" rather than a database error. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  delegation_code: string | null;
  disabled: boolean;
  created_at: Date;
  language: Language | null;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    delegationCode: row.delegation_code,
    disabled: row.disabled,
    createdAt: row.created_at,
    language: row.language,
  };
}
