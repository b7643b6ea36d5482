/**
 * The arithmetic of a motion's result: pure, so that every rule, quorum, tie, abstention, objection
 * and silence has one tested answer. The README's "Motions and ballots" section states the same rules.
 */

/** How a motion is decided. */
export type VotingRule = "consensus" | "majority" | "two-thirds";

/** A delegation's ballot. Under consensus a "no" is an objection. */
export type BallotChoice = "yes" | "no" | "abstain";

/** How the motion came to close: its deadline passed, or the secretariat closed it earlier. */
export type ClosedBy = "deadline" | "secretariat";

export type Outcome = "adopted" | "rejected" | "no-quorum";

/** Why the outcome is what it is, for the record and the page (a translation key's last part). */
export type OutcomeReason =
  | "consensus-no-objection"
  | "consensus-silence"
  | "consensus-objection"
  | "majority-more-yes"
  | "majority-not-more-yes"
  | "majority-tie"
  | "two-thirds-reached"
  | "two-thirds-not-reached"
  | "no-votes-cast"
  | "quorum-missed";

export interface TallyInput {
  rule: VotingRule;
  /** How many delegations must cast a ballot (abstentions count) for the vote to be valid. */
  quorum: number;
  /** The delegations entitled to vote. */
  eligible: readonly string[];
  /** One choice per delegation code; ballots of delegations not entitled are ignored. */
  ballots: ReadonlyMap<string, BallotChoice> | Record<string, BallotChoice>;
  closedBy: ClosedBy;
}

export interface Tally {
  rule: VotingRule;
  quorum: number;
  eligible: number;
  yes: number;
  no: number;
  abstain: number;
  /** Eligible delegations without a ballot. */
  notVoted: string[];
  /** Ballots cast (yes, no and abstain). */
  cast: number;
  quorumMet: boolean;
  outcome: Outcome;
  reason: OutcomeReason;
}

/**
 * The result of a motion.
 *
 * - Quorum: at least `quorum` eligible delegations cast a ballot; abstaining counts as taking part.
 * - **Consensus**: adopted unless a delegation objects. When the motion closes at its deadline,
 *   silence is consent (the silence procedure): adopted if nobody objected, whatever the number
 *   of ballots. Closed earlier by the secretariat, silence is not yet consent: the quorum must be met.
 * - **Majority**: adopted when more delegations vote yes than no; abstentions are not counted for
 *   the majority. A tie, or no yes/no votes at all, is not adopted.
 * - **Two-thirds**: adopted when yes is at least two-thirds of the yes and no votes together, with
 *   at least one yes; abstentions are not counted.
 * - A missed quorum (for majority and two-thirds, and for consensus closed early) means no decision:
 *   the motion is not adopted, and the outcome says why.
 */
export function tally(input: TallyInput): Tally {
  const eligible = [...new Set(input.eligible)];
  const entries = input.ballots instanceof Map ? input.ballots : new Map(Object.entries(input.ballots));
  let yes = 0;
  let no = 0;
  let abstain = 0;
  const notVoted: string[] = [];
  for (const delegation of eligible) {
    const choice = entries.get(delegation);
    if (choice === "yes") yes += 1;
    else if (choice === "no") no += 1;
    else if (choice === "abstain") abstain += 1;
    else notVoted.push(delegation);
  }
  const cast = yes + no + abstain;
  const quorum = Math.max(0, Math.min(input.quorum, eligible.length));
  const quorumMet = cast >= quorum;
  const base = { rule: input.rule, quorum, eligible: eligible.length, yes, no, abstain, notVoted, cast, quorumMet };
  const decided = (outcome: Outcome, reason: OutcomeReason): Tally => ({ ...base, outcome, reason });

  if (input.rule === "consensus") {
    if (no > 0) return decided("rejected", "consensus-objection");
    if (input.closedBy === "deadline") return decided("adopted", cast >= eligible.length ? "consensus-no-objection" : "consensus-silence");
    if (!quorumMet) return decided("no-quorum", "quorum-missed");
    return decided("adopted", "consensus-no-objection");
  }
  if (!quorumMet) return decided("no-quorum", "quorum-missed");
  if (yes + no === 0) return decided("rejected", "no-votes-cast");
  if (input.rule === "majority") {
    if (yes > no) return decided("adopted", "majority-more-yes");
    return decided("rejected", yes === no ? "majority-tie" : "majority-not-more-yes");
  }
  // Integer arithmetic: yes / (yes + no) >= 2/3.
  return 3 * yes >= 2 * (yes + no) ? decided("adopted", "two-thirds-reached") : decided("rejected", "two-thirds-not-reached");
}
