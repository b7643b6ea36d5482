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

/** The phase's name as people read it. */
export const PHASE_NAMES: Record<Phase, string> = {
  drafting: "drafting",
  review: "delegation review",
  consultation: "public consultation",
  voting: "voting",
  closed: "closed",
};

/** Why the text may not be edited in this stage (null when the phase allows editing). */
export function editingClosedReason(stage: Stage): string | null {
  if (phaseAllows(stage, "edit") || stage.phase === null) return null;
  return stage.phase === "closed"
    ? "Editing is closed: the round has ended and the text is read-only."
    : `Editing is closed while the draft is in ${PHASE_NAMES[stage.phase]}.`;
}
