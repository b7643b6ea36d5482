import { DEFAULT_LANGUAGE, type Language } from "../../i18n/languages";
import { t, type MessageKey, type MessageParams } from "../../i18n/translate";
import type { Actor } from "../auth/actor";
import { endPendingSignInsOf } from "../auth/pending-sign-ins";
import { removeAllPasskeys } from "../auth/passkeys";
import { removeRecoveryCodes } from "../auth/recovery-codes";
import { ROLES, type Role } from "../auth/roles";
import { removeTotp } from "../auth/totp";
import { mustEnrolSql } from "../auth/second-factor-sql";
import { invalidateUserSessions } from "../auth/session";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import { inLanguage } from "../language";
import type { Live } from "../live";
import { recordAudit } from "./audit";

/** The roles whose members must have a second factor, in the order of ROLES. */
export async function requiredRoles(): Promise<Role[]> {
  const rows = await sql()<{ role: Role }[]>`SELECT role FROM second_factor_roles`;
  const required = new Set(rows.map((row) => row.role));
  return ROLES.filter((role) => required.has(role));
}

/**
 * Sets which roles must have a second factor. Members of a role newly required who have none are
 * taken to set one up at their next request, and their event streams and co-editing sockets end;
 * the change is audited.
 */
export async function setRequiredRoles(live: Live, actor: Actor, roles: readonly Role[]): Promise<void> {
  const wanted = ROLES.filter((role) => roles.includes(role));
  const held: { id: string }[] = await sql().begin(async (tx) => {
    const before = (await tx<{ role: Role }[]>`SELECT role FROM second_factor_roles FOR UPDATE`).map((row) => row.role);
    await tx`DELETE FROM second_factor_roles`;
    if (wanted.length) await tx`INSERT INTO second_factor_roles ${tx(wanted.map((role) => ({ role })), "role")}`;
    await recordAudit(
      { actor, action: "second-factor.policy-changed", target: { type: "site", id: "second-factor" }, details: { from: ROLES.filter((role) => before.includes(role)), to: wanted } },
      tx,
    );
    const added = wanted.filter((role) => !before.includes(role));
    if (added.length === 0) return [];
    return [...(await tx<{ id: string }[]>`SELECT u.id FROM users u WHERE u.role IN ${tx(added)} AND NOT u.disabled AND ${mustEnrolSql(tx)}`)];
  });
  // Their sockets close at the next permission check (server/collab/permission-watch.ts).
  for (const { id } of held) live.accounts.publish({ type: "account-changed", userId: id });
}

/** The account whose factors change, as the notices need it. */
export interface FactorOwner {
  id: string;
  email: string;
  delegationCode: string | null;
}

/**
 * Removes every second factor of an account that lost them (passkeys, authenticator app, recovery
 * codes), after `check`: how the person resetting it made sure it was the owner who asked. The
 * account's sessions and half-done sign-ins end; the owner is told by e-mail; the audit trail
 * keeps who did it and the check.
 */
export async function resetSecondFactor(live: Live, input: { actor: Actor; user: FactorOwner; check: string }): Promise<void> {
  await sql().begin(async (tx) => {
    await removeAllPasskeys(input.user.id, tx);
    await removeTotp(input.user.id, tx);
    await removeRecoveryCodes(input.user.id, tx);
    await recordAudit(
      {
        actor: input.actor,
        action: "second-factor.reset",
        target: { type: "user", id: input.user.id },
        details: { email: input.user.email, check: input.check },
      },
      tx,
    );
    const [actor] = await tx<{ name: string }[]>`SELECT display_name AS name FROM users WHERE id = ${input.actor.id}`;
    await mailOwner(tx, input.user.id, "reset", { name: actor?.name ?? "" });
  });
  await endPendingSignInsOf(input.user.id);
  await invalidateUserSessions(live, input.user.id);
}

/** A change a person made to their own factors, for the audit trail and the notice to them. */
export type FactorChange =
  | { kind: "passkey-added"; name: string; passwordless: boolean }
  | { kind: "passkey-removed"; name: string }
  | { kind: "passkey-renamed"; from: string; to: string }
  | { kind: "totp-enabled" }
  | { kind: "totp-removed" }
  | { kind: "recovery-codes-issued" }
  | { kind: "recovery-codes-renewed" };

// The e-mails an account's owner gets about their factors (`security.mail.<notice>.subject|body`).
type Notice = "reset" | "passkeyAdded" | "passkeyRemoved" | "totpEnabled" | "totpRemoved" | "recoveryRenewed";

// The changes the owner is told of by e-mail: the ones someone who took over a session would make.
const NOTICES: Partial<Record<FactorChange["kind"], Notice>> = {
  "passkey-added": "passkeyAdded",
  "passkey-removed": "passkeyRemoved",
  "totp-enabled": "totpEnabled",
  "totp-removed": "totpRemoved",
  "recovery-codes-renewed": "recoveryRenewed",
};

/** Audits a change to one's own factors and, for those that matter, tells the owner by e-mail. */
export async function recordFactorChange(owner: FactorOwner, change: FactorChange): Promise<void> {
  const { kind, ...details } = change;
  await sql().begin(async (tx) => {
    await recordAudit({ actor: owner, action: `second-factor.${kind}`, target: { type: "user", id: owner.id }, details }, tx);
    const notice = NOTICES[kind];
    if (notice) await mailOwner(tx, owner.id, notice, "name" in change ? { name: change.name } : {});
  });
}

// One e-mail to an account's owner, in their language (chosen, else their browser's).
async function mailOwner(tx: Queryable, userId: string, notice: Notice, params: MessageParams): Promise<void> {
  const [row] = await tx<{ email: string; language: Language }[]>`
    SELECT email, coalesce(language, browser_language, ${DEFAULT_LANGUAGE}) AS language FROM users WHERE id = ${userId}`;
  if (!row) return;
  const { subject, body } = inLanguage(row.language, () => ({
    subject: t(`security.mail.${notice}.subject` as MessageKey),
    body: t(`security.mail.${notice}.body` as MessageKey, params),
  }));
  await tx`INSERT INTO outbox (recipient, subject, body) VALUES (${row.email}, ${subject}, ${body})`;
}

/** Where an account stands with its second factor, for those who manage accounts. */
export interface FactorStatus {
  userId: string;
  passkeys: number;
  totp: boolean;
  recoveryCodesLeft: number;
}

/** The factor status of the given accounts (all of them when `userIds` is omitted). */
export async function factorStatuses(userIds?: readonly string[]): Promise<Map<string, FactorStatus>> {
  const rows = await sql()<FactorStatus[]>`
    SELECT u.id AS "userId",
      (SELECT count(*)::int FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
      EXISTS (SELECT 1 FROM totp_keys k WHERE k.user_id = u.id AND k.confirmed_at IS NOT NULL) AS totp,
      (SELECT count(*)::int FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) AS "recoveryCodesLeft"
    FROM users u ${userIds ? sql()`WHERE u.id IN ${sql()(userIds.length ? [...userIds] : ["00000000-0000-0000-0000-000000000000"])}` : sql()``}`;
  return new Map(rows.map((row) => [row.userId, row]));
}
