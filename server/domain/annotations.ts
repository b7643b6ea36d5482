import type { MessageKey, MessageParams } from "../../i18n/translate";
import type { Actor } from "../auth/policy";
import type { Stage } from "../auth/phases";
import type { ThreadResource, ThreadVisibility } from "../auth/rules/annotations";
import { actsForDelegation } from "../auth/roles";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { anchorRange, loadTextSnapshot, resolveAnchor, type Anchor, type TextRange } from "./annotation-anchors";
import { recordAudit } from "./audit";
import { DomainError } from "./messages";
import { announceNotifications, notifyMentions, notifyReplies } from "./notifications";
import { isUuid } from "./users";

/** The longest comment accepted. */
export const MAX_COMMENT_LENGTH = 5000;

export type Visibility = "all" | "delegation";
export type ThreadStatus = "open" | "resolved";
/** What happened to a thread, as events announce it. */
export type ThreadChange = "created" | "replied" | "comment-edited" | "comment-deleted" | "resolved" | "reopened" | "detached";

/** One comment of a thread; a deleted one keeps its place with its text erased. */
export interface Comment {
  id: string;
  threadId: string;
  authorId: string;
  authorName: string;
  delegationCode: string | null;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

/** A comment thread anchored to a range of a draft's text. */
export interface Thread {
  id: string;
  draftId: string;
  visibility: Visibility;
  authorId: string;
  authorName: string;
  delegationCode: string | null;
  anchor: Anchor;
  quote: string;
  status: ThreadStatus;
  resolvedAt: Date | null;
  detachedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  comments: Comment[];
}

/** A thread with where its anchor stands in the current text (null once detached). */
export interface ThreadView extends Thread {
  range: TextRange | null;
}

/** Input the domain refuses; `field` says which, for the answer's field errors. */
export class AnnotationInputError extends DomainError {
  constructor(
    readonly field: "range" | "body",
    key: MessageKey,
    params?: MessageParams,
  ) {
    super(key, params);
  }
}

/** The policy's view of whom a thread is visible to. */
export function threadVisibility(thread: Pick<Thread, "draftId" | "visibility" | "delegationCode">): ThreadVisibility {
  return { type: "thread", draftId: thread.draftId, visibility: thread.visibility, delegationCode: thread.delegationCode };
}

/** The policy's view of a thread to write to, in its draft's current stage. */
export function threadResource(thread: Pick<Thread, "draftId" | "visibility" | "delegationCode">, stage: Stage): ThreadResource {
  return { ...threadVisibility(thread), stage };
}

/**
 * Starts a thread on a range of the draft's current text, with its first comment. The quote is
 * taken from the text here, never from the browser. The caller has authorised it.
 */
export async function createThread(live: Live, input: {
  actor: Actor;
  draftId: string;
  range: TextRange;
  body: string;
  visibility: Visibility;
}): Promise<ThreadView> {
  const body = checkBody(input.body);
  const text = await loadTextSnapshot(input.draftId);
  let anchored: ReturnType<typeof anchorRange>;
  try {
    anchored = anchorRange(text, input.range);
  } finally {
    text.destroy();
  }
  if (!anchored) throw new AnnotationInputError("range", "annotations.rangeInvalid");
  const { anchor, quote } = anchored;
  const delegationCode = privateCode(input.actor) ?? input.actor.delegationCode;
  const created = await sql().begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO annotation_threads (draft_id, visibility, author_id, delegation_code, anchor_start, anchor_end, quote)
      VALUES (${input.draftId}, ${input.visibility}, ${input.actor.id}, ${delegationCode},
              ${tx.json(anchor.start as never)}, ${tx.json(anchor.end as never)}, ${quote})
      RETURNING id`;
    if (!row) throw new Error("The thread was not stored.");
    const commentId = await insertComment(tx, row.id, input.actor, body);
    await recordAudit(
      { actor: input.actor, action: "annotation.thread-created", target: { type: "thread", id: row.id }, details: { draftId: input.draftId, visibility: input.visibility }, privateTo: auditPrivacy({ visibility: input.visibility, delegationCode }) },
      tx,
    );
    const notified = await notifyMentions(tx, { thread: { id: row.id, draftId: input.draftId, visibility: input.visibility, delegationCode }, commentId, actor: input.actor, body });
    return { id: row.id, notified };
  });
  const thread = await loadThread(created.id);
  const view = { ...thread, range: input.range };
  live.drafts.publish({ type: "thread", draftId: thread.draftId, change: "created", thread: view });
  announceNotifications(live, created.notified);
  return view;
}

/** Adds a reply to a thread (which the caller may see and reply to). */
export async function replyToThread(live: Live, input: { actor: Actor; thread: Thread; body: string }): Promise<Comment> {
  const body = checkBody(input.body);
  const created = await sql().begin(async (tx) => {
    const id = await insertComment(tx, input.thread.id, input.actor, body);
    await tx`UPDATE annotation_threads SET updated_at = now() WHERE id = ${input.thread.id}`;
    await recordAudit({ actor: input.actor, action: "annotation.replied", target: { type: "comment", id }, details: { threadId: input.thread.id }, privateTo: auditPrivacy(input.thread) }, tx);
    const mentioned = await notifyMentions(tx, { thread: input.thread, commentId: id, actor: input.actor, body });
    const replied = await notifyReplies(tx, { thread: input.thread, commentId: id, actor: input.actor, body });
    return { id, notified: [...mentioned, ...replied] };
  });
  const thread = await announce(live, input.thread.id, "replied");
  announceNotifications(live, created.notified);
  const comment = thread.comments.find((candidate) => candidate.id === created.id);
  if (!comment) throw new Error("The reply was not stored.");
  return comment;
}

/** Changes the text of a comment (the caller's own). */
export async function editComment(live: Live, input: { actor: Actor; comment: Comment; body: string }): Promise<Comment> {
  const body = checkBody(input.body);
  const thread = await loadThread(input.comment.threadId);
  const notified = await sql().begin(async (tx) => {
    await tx`UPDATE annotation_comments SET body = ${body}, edited_at = now() WHERE id = ${input.comment.id} AND deleted_at IS NULL`;
    await tx`UPDATE annotation_threads SET updated_at = now() WHERE id = ${input.comment.threadId}`;
    await recordAudit({ actor: input.actor, action: "annotation.comment-edited", target: { type: "comment", id: input.comment.id }, privateTo: auditPrivacy(thread) }, tx);
    // A delegation mentioned for the first time by the edit is told; one already told is not told again.
    return notifyMentions(tx, { thread, commentId: input.comment.id, actor: input.actor, body });
  });
  announceNotifications(live, notified);
  const view = await announce(live, input.comment.threadId, "comment-edited");
  return view.comments.find((candidate) => candidate.id === input.comment.id) ?? input.comment;
}

/** Deletes a comment (the caller's own): its text is erased, its place in the thread kept. */
export async function deleteComment(live: Live, input: { actor: Actor; comment: Comment }): Promise<void> {
  const thread = await loadThread(input.comment.threadId);
  await sql().begin(async (tx) => {
    await tx`UPDATE annotation_comments SET body = '', deleted_at = now() WHERE id = ${input.comment.id} AND deleted_at IS NULL`;
    await tx`UPDATE annotation_threads SET updated_at = now() WHERE id = ${input.comment.threadId}`;
    await recordAudit({ actor: input.actor, action: "annotation.comment-deleted", target: { type: "comment", id: input.comment.id }, privateTo: auditPrivacy(thread) }, tx);
  });
  await announce(live, input.comment.threadId, "comment-deleted");
}

/** Resolves or reopens a thread. */
export async function setThreadStatus(live: Live, input: { actor: Actor; thread: Thread; status: ThreadStatus }): Promise<ThreadView> {
  await sql().begin(async (tx) => {
    await tx`
      UPDATE annotation_threads
      SET status = ${input.status}, updated_at = now(),
          resolved_at = CASE WHEN ${input.status} = 'resolved' THEN now() END,
          resolved_by = ${input.status === "resolved" ? input.actor.id : null}
      WHERE id = ${input.thread.id}`;
    await recordAudit(
      { actor: input.actor, action: input.status === "resolved" ? "annotation.resolved" : "annotation.reopened", target: { type: "thread", id: input.thread.id }, privateTo: auditPrivacy(input.thread) },
      tx,
    );
  });
  const [view] = await viewThreads(live, input.thread.draftId, [await loadThread(input.thread.id)]);
  if (!view) throw new Error("The thread was not found.");
  live.drafts.publish({ type: "thread", draftId: view.draftId, change: input.status === "resolved" ? "resolved" : "reopened", thread: view });
  return view;
}

/**
 * The threads of a draft that `viewer` may see, oldest first, with where each stands in the
 * current text. Another delegation's private threads are excluded by the query itself. A thread
 * whose text has been deleted is marked detached here (and kept).
 */
export async function listThreads(live: Live, input: { viewer: Actor; draftId: string; status?: ThreadStatus }): Promise<ThreadView[]> {
  const rows = await sql()<ThreadRow[]>`
    SELECT ${threadColumns()} FROM annotation_threads t JOIN users u ON u.id = t.author_id
    WHERE t.draft_id = ${input.draftId} AND ${visibleTo(input.viewer)}
      AND ${input.status ? sql()`t.status = ${input.status}` : sql()`true`}
    ORDER BY t.created_at, t.id`;
  return viewThreads(live, input.draftId, await withComments(rows));
}

/** One thread of a draft, if `viewer` may know it exists; else null. */
export async function findThreadForViewer(input: { viewer: Actor; draftId: string; threadId: string }): Promise<Thread | null> {
  if (!isUuid(input.threadId)) return null;
  const rows = await sql()<ThreadRow[]>`
    SELECT ${threadColumns()} FROM annotation_threads t JOIN users u ON u.id = t.author_id
    WHERE t.id = ${input.threadId} AND t.draft_id = ${input.draftId} AND ${visibleTo(input.viewer)}`;
  const [thread] = await withComments(rows);
  return thread ?? null;
}

/** Resolves the anchors of threads against the draft's current text; marks newly detached ones. */
export async function viewThreads(live: Live, draftId: string, threads: Thread[]): Promise<ThreadView[]> {
  if (threads.length === 0) return [];
  const text = await loadTextSnapshot(draftId);
  let views: ThreadView[];
  try {
    views = threads.map((thread) => ({ ...thread, range: resolveAnchor(text, thread.anchor) }));
  } finally {
    text.destroy();
  }
  const detached = views.filter((view) => view.range === null && view.detachedAt === null);
  if (detached.length) {
    const now = new Date();
    await sql().begin(async (tx) => {
      for (const view of detached) {
        await tx`UPDATE annotation_threads SET detached_at = ${now} WHERE id = ${view.id} AND detached_at IS NULL`;
        await recordAudit({ actor: null, action: "annotation.detached", target: { type: "thread", id: view.id }, details: { quote: view.quote }, privateTo: auditPrivacy(view) }, tx);
      }
    });
    for (const view of detached) {
      view.detachedAt = now;
      live.drafts.publish({ type: "thread", draftId: view.draftId, change: "detached", thread: view });
    }
  }
  return views;
}

// Whether a thread row is visible to the viewer: shared threads, and the private threads of the
// delegation the viewer acts for. The secretariat and observers act for none.
function visibleTo(viewer: Actor) {
  const own = privateCode(viewer);
  return own
    ? sql()`(t.visibility = 'all' OR (t.visibility = 'delegation' AND t.delegation_code = ${own}))`
    : sql()`t.visibility = 'all'`;
}

// Every audit row about a private thread (its creation, replies, edits, deletions, resolution,
// detachment) is marked private to the thread's delegation, so the trail never tells anyone else
// that the thread exists. Each recordAudit of this module passes it.
function auditPrivacy(thread: Pick<Thread, "visibility" | "delegationCode">): string | null {
  return thread.visibility === "delegation" ? thread.delegationCode : null;
}

function privateCode(actor: Actor): string | null {
  return actsForDelegation(actor.role) ? actor.delegationCode : null;
}

function checkBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed === "") throw new AnnotationInputError("body", "error.annotation.bodyRequired");
  if (trimmed.length > MAX_COMMENT_LENGTH) throw new AnnotationInputError("body", "error.annotation.bodyTooLong", { max: MAX_COMMENT_LENGTH });
  return trimmed;
}

async function insertComment(tx: Queryable, threadId: string, actor: Actor, body: string): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO annotation_comments (thread_id, author_id, delegation_code, body)
    VALUES (${threadId}, ${actor.id}, ${actor.delegationCode}, ${body}) RETURNING id`;
  if (!row) throw new Error("The comment was not stored.");
  return row.id;
}

async function announce(live: Live, threadId: string, change: ThreadChange): Promise<ThreadView> {
  const thread = await loadThread(threadId);
  const [view] = await viewThreads(live, thread.draftId, [thread]);
  if (!view) throw new Error("The thread was not found.");
  live.drafts.publish({ type: "thread", draftId: view.draftId, change, thread: view });
  return view;
}

// A thread by id for the domain's own use after a write the caller was authorised for.
async function loadThread(threadId: string): Promise<Thread> {
  const rows = await sql()<ThreadRow[]>`
    SELECT ${threadColumns()} FROM annotation_threads t JOIN users u ON u.id = t.author_id WHERE t.id = ${threadId}`;
  const [thread] = await withComments(rows);
  if (!thread) throw new Error("The thread was not found.");
  return thread;
}

function threadColumns() {
  return sql()`t.id, t.draft_id, t.visibility, t.author_id, u.display_name AS author_name, t.delegation_code,
    t.anchor_start, t.anchor_end, t.quote, t.status, t.resolved_at, t.detached_at, t.created_at, t.updated_at`;
}

async function withComments(rows: ThreadRow[]): Promise<Thread[]> {
  if (rows.length === 0) return [];
  const comments = await sql()<CommentRow[]>`
    SELECT c.id, c.thread_id, c.author_id, u.display_name AS author_name, c.delegation_code, c.body,
           c.created_at, c.edited_at, c.deleted_at
    FROM annotation_comments c JOIN users u ON u.id = c.author_id
    WHERE c.thread_id IN ${sql()(rows.map((row) => row.id))}
    ORDER BY c.created_at, c.id`;
  return rows.map((row) => ({
    id: row.id,
    draftId: row.draft_id,
    visibility: row.visibility,
    authorId: row.author_id,
    authorName: row.author_name,
    delegationCode: row.delegation_code,
    anchor: { start: row.anchor_start, end: row.anchor_end },
    quote: row.quote,
    status: row.status,
    resolvedAt: row.resolved_at,
    detachedAt: row.detached_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    comments: comments.filter((comment) => comment.thread_id === row.id).map(toComment),
  }));
}

function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    threadId: row.thread_id,
    authorId: row.author_id,
    authorName: row.author_name,
    delegationCode: row.delegation_code,
    body: row.deleted_at ? "" : row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
  };
}

interface ThreadRow {
  id: string;
  draft_id: string;
  visibility: Visibility;
  author_id: string;
  author_name: string;
  delegation_code: string | null;
  anchor_start: unknown;
  anchor_end: unknown;
  quote: string;
  status: ThreadStatus;
  resolved_at: Date | null;
  detached_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface CommentRow {
  id: string;
  thread_id: string;
  author_id: string;
  author_name: string;
  delegation_code: string | null;
  body: string;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}
