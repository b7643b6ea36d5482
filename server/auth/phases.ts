/** The phases of a consultation round, in the order a negotiation usually passes through them. */
export const PHASES = ["drafting", "review", "consultation", "voting", "closed"] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Where a draft stands in its rounds, as the policy sees it: the current round's phase (null
 * before any round has opened: the draft is then open for drafting), and whether that round lets
 * observers comment.
 */
export interface Stage {
  phase: Phase | null;
  observersComment: boolean;
}

/** The stage of a draft no round has opened for yet. */
export const OPEN_STAGE: Stage = { phase: null, observersComment: false };

/** What participants do to a draft, each allowed in some phases only. */
export type Activity = "edit" | "annotate" | "amend" | "vote" | "feedback";

// drafting → edit, annotate, amend; review → annotate and amend, the text read-only; public
// consultation → public feedback; voting → ballots, the text frozen; closed → read-only.
const ALLOWED: Record<Phase, readonly Activity[]> = {
  drafting: ["edit", "annotate", "amend"],
  review: ["annotate", "amend"],
  consultation: ["feedback"],
  voting: ["vote"],
  closed: [],
};

/** Whether the draft's current phase allows an activity (before any round: drafting). */
export function phaseAllows(stage: Stage, activity: Activity): boolean {
  return ALLOWED[stage.phase ?? "drafting"].includes(activity);
}

/** Whether a string names a phase. */
export function isPhase(value: unknown): value is Phase {
  return typeof value === "string" && (PHASES as readonly string[]).includes(value);
}

/**
 * Why the text may not be edited in this stage (null when the phase allows editing), as a message
 * of the interface catalogue: each reader sees it in their own language.
 */
export function editingClosedReason(stage: Stage): { key: "draft.editingClosed" | "draft.editingClosedInPhase"; params: { phase: Phase } } | null {
  if (phaseAllows(stage, "edit") || stage.phase === null) return null;
  return { key: stage.phase === "closed" ? "draft.editingClosed" : "draft.editingClosedInPhase", params: { phase: stage.phase } };
}
