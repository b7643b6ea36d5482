import { isSecretariat, type Actor, type RuleSet } from "../actor";
import { phaseAllows, type Stage } from "../phases";
import { actsForDelegation } from "../roles";
import { coreRules } from "./core";

/** A thread as the policy sees it to decide who may know of it: whom it is visible to. */
export type ThreadVisibility = {
  type: "thread";
  draftId: string;
  visibility: "all" | "delegation";
  /** The author's delegation; null for a thread the secretariat started. */
  delegationCode: string | null;
};

/** A thread as the policy sees it to decide who may write to it: also where its draft stands. */
export type ThreadResource = ThreadVisibility & { stage: Stage };

/** A comment as the policy sees it: its author and its thread. */
export type CommentResource = { type: "comment"; authorId: string; thread: ThreadResource };

/** Comment threads anchored to the text, their comments, and delegation-private notes. */
export interface AnnotationActions {
  /** Start a thread on a draft; `visibility` is the one asked for. */
  "annotation.create": { type: "draft"; id: string; visibility: "all" | "delegation"; stage: Stage };
  "annotation.view": ThreadVisibility;
  "annotation.reply": ThreadResource;
  "annotation.resolve": ThreadResource;
  "annotation.edit-comment": CommentResource;
  "annotation.delete-comment": CommentResource;
}

/** Whether the actor acts for the thread's delegation (a head or delegate of it). */
function ofThreadDelegation(actor: Actor, thread: ThreadVisibility): boolean {
  return actsForDelegation(actor.role) && actor.delegationCode !== null && actor.delegationCode === thread.delegationCode;
}

// A private thread is for its delegation alone: not other delegations, not observers, and not the
// secretariat either.
const view = (actor: Actor, thread: ThreadVisibility): boolean =>
  coreRules["draft.read"](actor, { type: "draft", id: thread.draftId }) &&
  (thread.visibility === "all" || ofThreadDelegation(actor, thread));

// Comments are written while the phase allows annotating; observers read shared threads and
// comment only where the round allows it.
const mayComment = (actor: Actor, stage: Stage): boolean =>
  phaseAllows(stage, "annotate") && (actor.role !== "observer" || stage.observersComment);

export const annotationRules: RuleSet<AnnotationActions> = {
  "annotation.create": (actor, draft) =>
    coreRules["draft.read"](actor, draft) &&
    mayComment(actor, draft.stage) &&
    (draft.visibility === "all" || (actsForDelegation(actor.role) && actor.delegationCode !== null)),
  "annotation.view": view,
  "annotation.reply": (actor, thread) => view(actor, thread) && mayComment(actor, thread.stage),
  // The secretariat or the thread's delegation; a thread the secretariat started, the secretariat.
  "annotation.resolve": (actor, thread) =>
    view(actor, thread) && phaseAllows(thread.stage, "annotate") && (isSecretariat(actor) || ofThreadDelegation(actor, thread)),
  "annotation.edit-comment": (actor, comment) =>
    comment.authorId === actor.id && view(actor, comment.thread) && mayComment(actor, comment.thread.stage),
  "annotation.delete-comment": (actor, comment) =>
    comment.authorId === actor.id && view(actor, comment.thread) && phaseAllows(comment.thread.stage, "annotate"),
};
