import { delegationNames } from "./delegations";
import { DEFAULT_LANGUAGE, type Language } from "../../i18n/languages";
import { inLanguage } from "../language";
import type { Phase } from "../auth/phases";
import { can, type Actor } from "../auth/policy";
import type { ThreadVisibility } from "../auth/rules/annotations";
import { actsForDelegation, type Role } from "../auth/roles";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { isUuid } from "./users";
import { t } from "../../i18n/translate";

/** What a notification is about. */
export type NotificationKind =
  | "mention"
  | "reply"
  | "motion-opened"
  | "motion-closing"
  | "motion-result"
  | "phase"
  | "storage-near"
  | "storage-full";

/** A notification as its recipient sees it. */
export interface Notification {
  id: string;
  kind: NotificationKind;
  draftId: string;
  draftSlug: string;
  draftTitle: string;
  /** The thread of a mention. */
  threadId: string | null;
  /** The quoted words of a mention's thread. */
  quote: string | null;
  /** The motion's number, for the motion kinds. */
  motionNumber: number | null;
  /** A decided motion's outcome. */
  outcome: string | null;
  /** The new phase, for a change of phase. */
  phase: string | null;
  actorName: string | null;
  actorDelegationCode: string | null;
  createdAt: Date;
  readAt: Date | null;
}

/** A notification to write: its recipient and what it is about (a thread, a motion, a phase). */
export interface NewNotification {
  recipientId: string;
  kind: NotificationKind;
  draftId: string;
  threadId?: string | null;
  commentId?: string | null;
  motionId?: string | null;
  phase?: string | null;
  actorId?: string | null;
}

/**
 * Writes notifications inside the caller's transaction, and for each one a message to the
 * recipient's e-mail address in the outbox (subject and body from `message`, which is called in the
 * recipient's language: it must translate inside, not before). Returns the recipients,
 * to tell their open browsers once the transaction is committed.
 */
export async function writeNotifications(
  tx: Queryable,
  notifications: readonly NewNotification[],
  message: (notification: NewNotification) => { subject: string; body: string },
): Promise<string[]> {
  if (notifications.length === 0) return [];
  await tx`
    INSERT INTO notifications ${tx(
      notifications.map((item) => ({
        recipient_id: item.recipientId,
        kind: item.kind,
        draft_id: item.draftId,
        thread_id: item.threadId ?? null,
        comment_id: item.commentId ?? null,
        motion_id: item.motionId ?? null,
        phase: item.phase ?? null,
        actor_id: item.actorId ?? null,
      })),
      "recipient_id", "kind", "draft_id", "thread_id", "comment_id", "motion_id", "phase", "actor_id",
    )}`;
  const recipients = [...new Set(notifications.map((item) => item.recipientId))];
  const rows = await tx<{ id: string; email: string; language: Language }[]>`
    SELECT id, email, coalesce(language, browser_language, ${DEFAULT_LANGUAGE}) AS language FROM users WHERE id IN ${tx(recipients)}`;
  const recipientOf = new Map(rows.map((row) => [row.id, row]));
  // Each e-mail in its recipient's language: the one they chose, else the one their browser asked for
  // when they last signed in.
  const mail = notifications.flatMap((item) => {
    const recipient = recipientOf.get(item.recipientId);
    return recipient ? [{ recipient: recipient.email, ...inLanguage(recipient.language, () => message(item)) }] : [];
  });
  if (mail.length) await tx`INSERT INTO outbox ${tx(mail, "recipient", "subject", "body")}`;
  return recipients;
}

/**
 * The delegations a comment mentions: `@France`, `@United Kingdom`, `@Royaume-Uni`, `@fr` (name or
 * short name in any language Accord speaks, or code; any case; followed by something that is not a
 * letter).
 */
export function mentionedDelegations(body: string, delegations: { code: string; name: string; shortName: string }[]): string[] {
  const found = new Set<string>();
  const lower = body.toLowerCase();
  for (let at = lower.indexOf("@"); at !== -1; at = lower.indexOf("@", at + 1)) {
    const rest = lower.slice(at + 1);
    for (const delegation of delegations) {
      const names = delegationNames(delegation).map((name) => name.toLowerCase());
      if (names.some((name) => rest.startsWith(name) && !/^\p{L}/u.test(rest.slice(name.length)))) found.add(delegation.code);
    }
  }
  return [...found];
}

/**
 * Notifies every active member of each delegation a new comment mentions who may see its thread
 * (never its author), inside the caller's transaction; recipients hear of it once it is committed.
 */
export async function notifyMentions(
  tx: Queryable,
  input: { thread: { id: string; draftId: string } & Omit<ThreadVisibility, "type" | "draftId">; commentId: string; actor: Actor; body: string },
): Promise<string[]> {
  if (!input.body.includes("@")) return [];
  const delegations = await tx<{ code: string; name: string; short_name: string }[]>`SELECT code, name, short_name FROM delegations`;
  const codes = mentionedDelegations(
    input.body,
    delegations.map((row) => ({ code: row.code, name: row.name, shortName: row.short_name })),
  );
  if (codes.length === 0) return [];
  const members = await tx<{ id: string; role: Role; delegation_code: string }[]>`
    SELECT id, role, delegation_code FROM users
    WHERE delegation_code IN ${tx(codes)} AND NOT disabled AND id <> ${input.actor.id}
      AND id NOT IN (SELECT recipient_id FROM notifications WHERE comment_id = ${input.commentId})`;
  const thread: ThreadVisibility = { type: "thread", draftId: input.thread.draftId, visibility: input.thread.visibility, delegationCode: input.thread.delegationCode };
  const recipients = members
    .filter((member) => can({ id: member.id, role: member.role, delegationCode: member.delegation_code }, "annotation.view", thread))
    .map((member) => member.id);
  if (recipients.length === 0) return [];
  const [draft] = await tx<{ slug: string; title: string }[]>`SELECT slug, title FROM drafts WHERE id = ${input.thread.draftId}`;
  const [quoted] = await tx<{ quote: string }[]>`SELECT quote FROM annotation_threads WHERE id = ${input.thread.id}`;
  return writeNotifications(
    tx,
    recipients.map((recipient) => ({
      recipientId: recipient,
      kind: "mention",
      draftId: input.thread.draftId,
      threadId: input.thread.id,
      commentId: input.commentId,
      actorId: input.actor.id,
    })),
    () => ({
      subject: t("notifications.mail.mentionSubject", { draft: draft?.title ?? "" }),
      body: t("notifications.mail.mentionBody", { draft: draft?.title ?? "", quote: quoted?.quote ?? "", comment: input.body, slug: draft?.slug ?? "" }),
    }),
  );
}

/**
 * Notifies the people already in a thread — its author and everyone who commented on it — of a new
 * reply, inside the caller's transaction (each also by a message in the outbox): never the reply's
 * author, nor anyone already told of this comment (a mention), nor anyone who may no longer see the
 * thread. Call it after `notifyMentions`.
 */
export async function notifyReplies(
  tx: Queryable,
  input: { thread: { id: string; draftId: string } & Omit<ThreadVisibility, "type" | "draftId">; commentId: string; actor: Actor; body: string },
): Promise<string[]> {
  const people = await tx<{ id: string; role: Role; delegation_code: string | null }[]>`
    SELECT DISTINCT u.id, u.role, u.delegation_code
    FROM users u
    WHERE NOT u.disabled AND u.id <> ${input.actor.id}
      AND (u.id IN (SELECT author_id FROM annotation_comments WHERE thread_id = ${input.thread.id} AND id <> ${input.commentId})
           OR u.id = (SELECT author_id FROM annotation_threads WHERE id = ${input.thread.id}))
      AND u.id NOT IN (SELECT recipient_id FROM notifications WHERE comment_id = ${input.commentId})`;
  const thread: ThreadVisibility = { type: "thread", draftId: input.thread.draftId, visibility: input.thread.visibility, delegationCode: input.thread.delegationCode };
  const recipients = people
    .filter((person) => can({ id: person.id, role: person.role, delegationCode: person.delegation_code }, "annotation.view", thread))
    .map((person) => person.id);
  if (recipients.length === 0) return [];
  const [draft] = await tx<{ slug: string; title: string }[]>`SELECT slug, title FROM drafts WHERE id = ${input.thread.draftId}`;
  const [quoted] = await tx<{ quote: string }[]>`SELECT quote FROM annotation_threads WHERE id = ${input.thread.id}`;
  const [author] = await tx<{ display_name: string }[]>`SELECT display_name FROM users WHERE id = ${input.actor.id}`;
  return writeNotifications(
    tx,
    recipients.map((recipient) => ({
      recipientId: recipient,
      kind: "reply",
      draftId: input.thread.draftId,
      threadId: input.thread.id,
      commentId: input.commentId,
      actorId: input.actor.id,
    })),
    () => ({
      subject: t("notifications.mail.replySubject", { draft: draft?.title ?? "" }),
      body: t("notifications.mail.replyBody", {
        name: author?.display_name ?? "",
        draft: draft?.title ?? "",
        quote: quoted?.quote ?? "",
        comment: input.body,
        slug: draft?.slug ?? "",
      }),
    }),
  );
}

/**
 * Tells everyone with an account that a draft's phase changed, inside the caller's transaction (each
 * also by a message in the outbox). Returns the recipients.
 */
export async function notifyPhaseChange(tx: Queryable, input: { draftId: string; phase: Phase }): Promise<string[]> {
  const [draft] = await tx<{ slug: string; title: string }[]>`SELECT slug, title FROM drafts WHERE id = ${input.draftId}`;
  if (!draft) return [];
  const users = await tx<{ id: string }[]>`SELECT id FROM users WHERE NOT disabled`;
  return writeNotifications(
    tx,
    users.map((user) => ({ recipientId: user.id, kind: "phase", draftId: input.draftId, phase: input.phase })),
    () => {
      const phase = t(`rounds.phase.${input.phase}`).toLowerCase();
      return {
        subject: t("notifications.mail.phase.subject", { draft: draft.title, phase }),
        body: t("notifications.mail.phase.body", { draft: draft.title, phase, path: `/drafts/${draft.slug}` }),
      };
    },
  );
}

/**
 * Tells the secretariat that a draft's stored text is near its budget, or has reached it (writing
 * is then refused), each also by a message in the outbox; committed, then announced. The
 * collaboration server calls it once per crossing.
 */
export async function notifyDraftStorage(live: Live, input: { draftId: string; level: "near" | "full" }): Promise<void> {
  const recipients = await sql().begin(async (tx) => {
    const [draft] = await tx<{ slug: string; title: string }[]>`SELECT slug, title FROM drafts WHERE id = ${input.draftId}`;
    if (!draft) return [];
    const staff = await tx<{ id: string }[]>`SELECT id FROM users WHERE role = 'secretariat' AND NOT disabled`;
    const kind = input.level === "full" ? "storage-full" : "storage-near";
    return writeNotifications(
      tx,
      staff.map((user) => ({ recipientId: user.id, kind, draftId: input.draftId })),
      () => ({
        subject: t(`notifications.mail.${kind}.subject`, { draft: draft.title }),
        body: t(`notifications.mail.${kind}.body`, { draft: draft.title, path: `/drafts/${draft.slug}` }),
      }),
    );
  });
  announceNotifications(live, recipients);
}

/** Tells the open browsers of the people a committed write notified. */
export function announceNotifications(live: Live, recipients: string[]): void {
  for (const recipientId of recipients) live.drafts.publish({ type: "notification", recipientId });
}

/**
 * A person's notifications, newest first, and how many are unread. Notifications about threads
 * the person may no longer see (a private thread of a delegation they left) are left out.
 */
export async function listNotifications(viewer: Actor, limit = 50): Promise<{ unread: number; notifications: Notification[] }> {
  const own = actsForDelegation(viewer.role) ? viewer.delegationCode : null;
  const visible = own
    ? sql()`(t.visibility = 'all' OR (t.visibility = 'delegation' AND t.delegation_code = ${own}))`
    : sql()`t.visibility = 'all'`;
  const rows = await sql()<NotificationRow[]>`
    SELECT n.id, n.kind, n.draft_id, d.slug AS draft_slug, d.title AS draft_title, n.thread_id, t.quote,
           m.number AS motion_number, m.outcome, n.phase, u.display_name AS actor_name,
           u.delegation_code AS actor_delegation_code, n.created_at, n.read_at,
           count(*) FILTER (WHERE n.read_at IS NULL) OVER () AS unread
    FROM notifications n
      JOIN drafts d ON d.id = n.draft_id
      LEFT JOIN annotation_threads t ON t.id = n.thread_id
      LEFT JOIN motions m ON m.id = n.motion_id
      LEFT JOIN users u ON u.id = n.actor_id
    WHERE n.recipient_id = ${viewer.id} AND (n.thread_id IS NULL OR ${visible})
    ORDER BY n.created_at DESC, n.id
    LIMIT ${Math.min(Math.max(limit, 1), 200)}`;
  return {
    unread: Number(rows[0]?.unread ?? 0),
    notifications: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      draftId: row.draft_id,
      draftSlug: row.draft_slug,
      draftTitle: row.draft_title,
      threadId: row.thread_id,
      quote: row.quote,
      motionNumber: row.motion_number,
      outcome: row.outcome,
      phase: row.phase,
      actorName: row.actor_name,
      actorDelegationCode: row.actor_delegation_code,
      createdAt: row.created_at,
      readAt: row.read_at,
    })),
  };
}

/** Marks some of a person's notifications read (all of them when `ids` is omitted); returns how many. */
export async function markNotificationsRead(live: Live, viewer: Actor, ids?: string[]): Promise<number> {
  const valid = ids?.filter(isUuid);
  if (valid && valid.length === 0) return 0;
  const rows = await sql()`
    UPDATE notifications SET read_at = now()
    WHERE recipient_id = ${viewer.id} AND read_at IS NULL ${valid ? sql()`AND id IN ${sql()(valid)}` : sql()``}
    RETURNING id`;
  if (rows.length) live.drafts.publish({ type: "notification", recipientId: viewer.id });
  return rows.length;
}

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  draft_id: string;
  draft_slug: string;
  draft_title: string;
  thread_id: string | null;
  quote: string | null;
  motion_number: number | null;
  outcome: string | null;
  phase: string | null;
  actor_name: string | null;
  actor_delegation_code: string | null;
  created_at: Date;
  read_at: Date | null;
  unread: string;
}
