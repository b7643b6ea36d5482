import type { Language } from "../../i18n/languages";
import { t } from "../../i18n/translate";
import { sql } from "../db/registry";
import type { Actor } from "../auth/policy";
import type { Role } from "../auth/roles";
import { generateToken, hashToken } from "../auth/tokens";
import { recordAudit } from "./audit";
import { createUser, EmailTakenError, normaliseEmail, type User } from "./users";

/** How long an invitation link stays valid. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** An invitation as the secretariat sees it. */
export interface Invitation {
  id: string;
  email: string;
  role: Role;
  delegationCode: string | null;
  invitedByName: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

/** Where an invitation token stands. */
export type InvitationLookup =
  | { status: "valid"; invitation: Invitation }
  | { status: "expired" | "used" | "revoked" | "unknown" };

/**
 * Invites a person (the caller has authorised it): stores the token's hash, writes the message
 * to the outbox, audits, and returns the single-use link to pass on.
 */
export async function createInvitation(input: {
  actor: Actor;
  email: string;
  role: Role;
  delegationCode: string | null;
  origin: string;
}): Promise<{ invitation: Invitation; link: string }> {
  const email = normaliseEmail(input.email);
  const token = generateToken();
  const link = `${input.origin}/invite/${token}`;
  const expiresAt = new Date(Date.now() + INVITATION_LIFETIME_MS);
  const id = await sql().begin(async (tx) => {
    const [existing] = await tx`SELECT 1 FROM users WHERE email = ${email}`;
    if (existing) throw new EmailTakenError(email);
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO invitations (token_hash, email, role, delegation_code, invited_by, expires_at)
      VALUES (${hashToken(token)}, ${email}, ${input.role}, ${input.delegationCode}, ${input.actor.id}, ${expiresAt})
      RETURNING id`;
    if (!row) throw new Error("The invitation was not stored.");
    await tx`
      INSERT INTO outbox (recipient, subject, body)
      VALUES (${email}, ${t("invite.mail.subject")}, ${t("invite.mail.body", { link, days: INVITATION_LIFETIME_MS / 86_400_000 })})`;
    await recordAudit(
      {
        actor: input.actor,
        action: "invitation.created",
        target: { type: "invitation", id: row.id },
        details: { email, role: input.role, delegation: input.delegationCode },
      },
      tx,
    );
    return row.id;
  });
  const invitation = await findInvitation(id);
  if (!invitation) throw new Error("The invitation was not stored.");
  return { invitation, link };
}

/** The invitations, newest first; only one delegation's when `delegationCode` is given. */
export async function listInvitations(options: { delegationCode?: string } = {}): Promise<Invitation[]> {
  const rows = await sql()<InvitationRow[]>`
    SELECT i.id, i.email, i.role, i.delegation_code, u.display_name AS invited_by_name,
           i.created_at, i.expires_at, i.accepted_at, i.revoked_at
    FROM invitations i JOIN users u ON u.id = i.invited_by
    WHERE ${options.delegationCode ? sql()`i.delegation_code = ${options.delegationCode}` : sql()`true`}
    ORDER BY i.created_at DESC LIMIT 200`;
  return rows.map(toInvitation);
}

async function findInvitation(id: string): Promise<Invitation | null> {
  const [row] = await sql()<InvitationRow[]>`
    SELECT i.id, i.email, i.role, i.delegation_code, u.display_name AS invited_by_name,
           i.created_at, i.expires_at, i.accepted_at, i.revoked_at
    FROM invitations i JOIN users u ON u.id = i.invited_by WHERE i.id = ${id}`;
  return row ? toInvitation(row) : null;
}

/** Looks an invitation up by the token in its link. */
export async function lookUpInvitation(token: string): Promise<InvitationLookup> {
  if (!/^[a-z2-7]{32}$/.test(token)) return { status: "unknown" };
  const [row] = await sql()<InvitationRow[]>`
    SELECT i.id, i.email, i.role, i.delegation_code, u.display_name AS invited_by_name,
           i.created_at, i.expires_at, i.accepted_at, i.revoked_at
    FROM invitations i JOIN users u ON u.id = i.invited_by WHERE i.token_hash = ${hashToken(token)}`;
  if (!row) return { status: "unknown" };
  const invitation = toInvitation(row);
  if (invitation.acceptedAt) return { status: "used" };
  if (invitation.revokedAt) return { status: "revoked" };
  if (invitation.expiresAt.getTime() <= Date.now()) return { status: "expired" };
  return { status: "valid", invitation };
}

/**
 * Accepts an invitation: creates the account and uses the token up, in one transaction,
 * so that two concurrent acceptances cannot both succeed.
 */
export async function acceptInvitation(input: {
  token: string;
  displayName: string;
  password: string;
  /** The language the new account starts with: the one its owner's browser asked for. */
  language: Language;
}): Promise<{ ok: true; user: User } | { ok: false; status: "expired" | "used" | "revoked" | "unknown" | "email-taken" }> {
  if (!/^[a-z2-7]{32}$/.test(input.token)) return { ok: false, status: "unknown" };
  return sql().begin(async (tx) => {
    const [row] = await tx<{ id: string; email: string; role: Role; delegation_code: string | null; expires_at: Date; accepted_at: Date | null; revoked_at: Date | null }[]>`
      SELECT id, email, role, delegation_code, expires_at, accepted_at, revoked_at
      FROM invitations WHERE token_hash = ${hashToken(input.token)} FOR UPDATE`;
    if (!row) return { ok: false, status: "unknown" } as const;
    if (row.accepted_at) return { ok: false, status: "used" } as const;
    if (row.revoked_at) return { ok: false, status: "revoked" } as const;
    if (row.expires_at.getTime() <= Date.now()) return { ok: false, status: "expired" } as const;
    const [taken] = await tx`SELECT 1 FROM users WHERE email = ${row.email}`;
    if (taken) return { ok: false, status: "email-taken" } as const;
    const user = await createUser(
      { email: row.email, displayName: input.displayName, role: row.role, delegationCode: row.delegation_code, password: input.password, language: input.language },
      tx,
    );
    await tx`UPDATE invitations SET accepted_at = now(), accepted_by = ${user.id} WHERE id = ${row.id}`;
    await recordAudit(
      { actor: user, action: "invitation.accepted", target: { type: "invitation", id: row.id }, details: { email: user.email } },
      tx,
    );
    return { ok: true, user } as const;
  });
}

/** Revokes an invitation that is still open; returns false when it was not open. */
export async function revokeInvitation(input: { actor: Actor; invitationId: string }): Promise<boolean> {
  return sql().begin(async (tx) => {
    const rows = await tx`
      UPDATE invitations SET revoked_at = now()
      WHERE id = ${input.invitationId} AND accepted_at IS NULL AND revoked_at IS NULL
      RETURNING id`;
    if (rows.length === 0) return false;
    await recordAudit({ actor: input.actor, action: "invitation.revoked", target: { type: "invitation", id: input.invitationId } }, tx);
    return true;
  });
}

interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  delegation_code: string | null;
  invited_by_name: string;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    delegationCode: row.delegation_code,
    invitedByName: row.invited_by_name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    acceptedAt: row.accepted_at,
    revokedAt: row.revoked_at,
  };
}
