import { isSecretariat, type Actor, type RuleSet } from "../actor";
import { actsForDelegation } from "../roles";
import { coreRules } from "./core";

/** A thread as the policy sees it: whom it is visible to. */
export type ThreadResource = {
  type: "thread";
  draftId: string;
  visibility: "all" | "delegation";
  /** The author's delegation; null for a thread the secretariat started. */
  delegationCode: string | null;
};

/** A comment as the policy sees it: its author and its thread. */
export type CommentResource = { type: "comment"; authorId: string; thread: ThreadResource };

/** Comment threads anchored to the text, their comments, and delegation-private notes. */
export interface AnnotationActions {
  /** Start a thread on a draft; `visibility` is the one asked for. */
  "annotation.create": { type: "draft"; id: string; visibility: "all" | "delegation" };
  "annotation.view": ThreadResource;
  "annotation.reply": ThreadResource;
  "annotation.resolve": ThreadResource;
  "annotation.edit-comment": CommentResource;
  "annotation.delete-comment": CommentResource;
}

/** Whether the actor acts for the thread's delegation (a head or delegate of it). */
function ofThreadDelegation(actor: Actor, thread: ThreadResource): boolean {
  return actsForDelegation(actor.role) && actor.delegationCode !== null && actor.delegationCode === thread.delegationCode;
}

// A private thread is for its delegation alone: not other delegations, not observers, and not the
// secretariat either.
const view = (actor: Actor, thread: ThreadResource): boolean =>
  coreRules["draft.read"](actor, { type: "draft", id: thread.draftId }) &&
  (thread.visibility === "all" || ofThreadDelegation(actor, thread));

// Observers read shared threads; they will comment only where a round allows it.
const mayComment = (actor: Actor): boolean => actor.role !== "observer";

export const annotationRules: RuleSet<AnnotationActions> = {
  "annotation.create": (actor, draft) =>
    coreRules["draft.read"](actor, draft) &&
    mayComment(actor) &&
    (draft.visibility === "all" || (actsForDelegation(actor.role) && actor.delegationCode !== null)),
  "annotation.view": view,
  "annotation.reply": (actor, thread) => view(actor, thread) && mayComment(actor),
  // The secretariat or the thread's delegation; a thread the secretariat started, the secretariat.
  "annotation.resolve": (actor, thread) => view(actor, thread) && (isSecretariat(actor) || ofThreadDelegation(actor, thread)),
  "annotation.edit-comment": (actor, comment) => comment.authorId === actor.id && view(actor, comment.thread) && mayComment(actor),
  "annotation.delete-comment": (actor, comment) => comment.authorId === actor.id && view(actor, comment.thread),
};
