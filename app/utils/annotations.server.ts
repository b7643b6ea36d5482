import { formMessage } from "./forms.server";
import { z } from "zod";
import { t } from "../../i18n/translate";
import type { Stage } from "../../server/auth/phases";
import { can, type Actor } from "../../server/auth/policy";
import type { AnnotationsData } from "~/components/annotations/use-annotations";
import {
  AnnotationInputError,
  findThreadForViewer,
  listThreads,
  MAX_COMMENT_LENGTH,
  threadResource,
  type Comment,
  type Thread,
  type ThreadView,
} from "../../server/domain/annotations";
import { listDelegations } from "../../server/domain/delegations";
import { draftResource, type Draft } from "../../server/domain/drafts";
import { apiError } from "./api.server";
import type { Live } from "../../server/live";

/** A comment's text as the API accepts it. */
export const commentBody = z
  .string({ required_error: formMessage("annotations.bodyRequired"), invalid_type_error: formMessage("annotations.bodyRequired") })
  .trim()
  .min(1, formMessage("annotations.bodyRequired"))
  .max(MAX_COMMENT_LENGTH, formMessage("annotations.bodyTooLong", { max: MAX_COMMENT_LENGTH }));

const position = z.coerce
  .number({ invalid_type_error: formMessage("annotations.rangeInvalid"), required_error: formMessage("annotations.rangeInvalid") })
  .int(formMessage("annotations.rangeInvalid"))
  .min(0, formMessage("annotations.rangeInvalid"));

/** A new thread: a range of ProseMirror positions, the first comment, who may see it. */
export const NewThreadInput = z.object({
  from: position,
  to: position,
  body: commentBody,
  visibility: z.enum(["all", "delegation"], { errorMap: () => ({ message: formMessage("annotations.visibility") }) }).default("all"),
});

/** A thread of the draft that the viewer may know exists; otherwise 404. */
export async function requireApiThread(viewer: Actor, draft: Draft, threadId: string | undefined): Promise<Thread> {
  const thread = await findThreadForViewer({ viewer, draftId: draft.id, threadId: threadId ?? "" });
  if (!thread) throw apiError(404, t("annotations.noThread"));
  return thread;
}

/** A comment of the thread; otherwise 404. */
export function requireApiComment(thread: Thread, commentId: string | undefined): Comment {
  const comment = thread.comments.find((candidate) => candidate.id === commentId);
  if (!comment) throw apiError(404, t("annotations.noComment"));
  return comment;
}

/** Runs a domain write, answering its refusals of input with 400 JSON. */
export async function withInputErrors<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof AnnotationInputError)) throw error;
    const message = t(error.key, error.params);
    throw apiError(400, message, { [error.field]: message });
  }
}

/** A thread as the JSON API and the event stream send it to one viewer, in the draft's current stage. */
export function threadJson(thread: ThreadView, viewer: Actor, stage: Stage) {
  const resource = threadResource(thread, stage);
  return {
    id: thread.id,
    visibility: thread.visibility,
    status: thread.status,
    quote: thread.quote,
    range: thread.range,
    anchor: thread.anchor,
    detached: thread.detachedAt !== null,
    detachedAt: thread.detachedAt?.toISOString() ?? null,
    author: { id: thread.authorId, name: thread.authorName, delegation: thread.delegationCode },
    createdAt: thread.createdAt.toISOString(),
    updatedAt: thread.updatedAt.toISOString(),
    resolvedAt: thread.resolvedAt?.toISOString() ?? null,
    can: {
      reply: can(viewer, "annotation.reply", resource),
      resolve: can(viewer, "annotation.resolve", resource),
    },
    comments: thread.comments.map((comment) => commentJson(comment, thread, viewer, stage)),
  };
}

/** A comment as the JSON API sends it to one viewer. */
export function commentJson(comment: Comment, thread: Thread, viewer: Actor, stage: Stage) {
  const resource = { type: "comment", authorId: comment.authorId, thread: threadResource(thread, stage) } as const;
  const deleted = comment.deletedAt !== null;
  return {
    id: comment.id,
    author: { id: comment.authorId, name: comment.authorName, delegation: comment.delegationCode },
    body: deleted ? "" : comment.body,
    deleted,
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt?.toISOString() ?? null,
    can: {
      edit: !deleted && can(viewer, "annotation.edit-comment", resource),
      delete: !deleted && can(viewer, "annotation.delete-comment", resource),
    },
  };
}

/** What the draft page needs for its comments: the threads the person may see, and what they may do. */
export async function loadAnnotationsView(live: Live, user: Actor, draft: Draft): Promise<AnnotationsData> {
  const [threads, delegations] = await Promise.all([listThreads(live, { viewer: user, draftId: draft.id }), listDelegations()]);
  const own = delegations.find((delegation) => delegation.code === user.delegationCode);
  return {
    threads: threads.map((thread) => threadJson(thread, user, draft.stage)),
    viewerId: user.id,
    canComment: can(user, "annotation.create", { ...draftResource(draft), visibility: "all" }),
    privateDelegation:
      own && can(user, "annotation.create", { ...draftResource(draft), visibility: "delegation" }) ? own.shortName : null,
    delegations: delegations.map((delegation) => ({ code: delegation.code, shortName: delegation.shortName })),
  };
}
