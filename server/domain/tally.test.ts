import { describe, expect, it } from "vitest";
import { tally, type BallotChoice, type ClosedBy, type Outcome, type OutcomeReason, type VotingRule } from "./tally";

const EIGHT = ["us", "au", "ca", "dk", "fr", "nl", "no", "uk"];

// Ballots written compactly: "yyna" = the first four delegations vote yes, yes, no, abstain.
function ballots(spec: string): Record<string, BallotChoice> {
  const choices: Record<string, BallotChoice> = {};
  [...spec].forEach((letter, index) => {
    const delegation = EIGHT[index];
    if (!delegation || letter === "-") return;
    choices[delegation] = letter === "y" ? "yes" : letter === "n" ? "no" : "abstain";
  });
  return choices;
}

type Row = [rule: VotingRule, quorum: number, spec: string, closedBy: ClosedBy, outcome: Outcome, reason: OutcomeReason];

const rows: Row[] = [
  // Consensus: an objection always rejects.
  ["consensus", 0, "yyyyyyyn", "deadline", "rejected", "consensus-objection"],
  ["consensus", 8, "n", "secretariat", "rejected", "consensus-objection"],
  ["consensus", 0, "aaaaaaan", "deadline", "rejected", "consensus-objection"],
  // Everyone expressed themselves without objecting.
  ["consensus", 8, "yyyyyyyy", "deadline", "adopted", "consensus-no-objection"],
  ["consensus", 8, "yyyyaaaa", "secretariat", "adopted", "consensus-no-objection"],
  // Silence procedure: at the deadline silence is consent, quorum or not.
  ["consensus", 8, "", "deadline", "adopted", "consensus-silence"],
  ["consensus", 5, "yy", "deadline", "adopted", "consensus-silence"],
  ["consensus", 5, "aa", "deadline", "adopted", "consensus-silence"],
  // Closed early, silence is not consent: the quorum must be met.
  ["consensus", 5, "yy", "secretariat", "no-quorum", "quorum-missed"],
  ["consensus", 5, "yyyaa", "secretariat", "adopted", "consensus-no-objection"],
  ["consensus", 0, "", "secretariat", "adopted", "consensus-no-objection"],

  // Simple majority of delegations voting.
  ["majority", 5, "yyynn", "deadline", "adopted", "majority-more-yes"],
  ["majority", 5, "yyynn", "secretariat", "adopted", "majority-more-yes"],
  ["majority", 5, "yynnaaaa", "deadline", "rejected", "majority-tie"],
  ["majority", 5, "ynnaa", "deadline", "rejected", "majority-not-more-yes"],
  // Abstentions count for quorum, not for the majority.
  ["majority", 5, "yaaaa", "deadline", "adopted", "majority-more-yes"],
  ["majority", 5, "aaaaa", "deadline", "rejected", "no-votes-cast"],
  // Quorum missed: no decision, however the votes went.
  ["majority", 5, "yyyy", "deadline", "no-quorum", "quorum-missed"],
  ["majority", 5, "", "secretariat", "no-quorum", "quorum-missed"],
  // A quorum larger than the eligible delegations is capped at all of them.
  ["majority", 99, "yyyyyyyy", "deadline", "adopted", "majority-more-yes"],

  // Two-thirds of the yes and no votes.
  ["two-thirds", 4, "yyn", "deadline", "no-quorum", "quorum-missed"],
  ["two-thirds", 3, "yyn", "deadline", "adopted", "two-thirds-reached"],
  ["two-thirds", 4, "yynn", "deadline", "rejected", "two-thirds-not-reached"],
  ["two-thirds", 6, "yyyynnaa", "deadline", "adopted", "two-thirds-reached"],
  ["two-thirds", 6, "yyyyynnn", "deadline", "rejected", "two-thirds-not-reached"],
  ["two-thirds", 6, "yyyyyyna", "secretariat", "adopted", "two-thirds-reached"],
  ["two-thirds", 3, "aaa", "deadline", "rejected", "no-votes-cast"],
  ["two-thirds", 0, "", "deadline", "rejected", "no-votes-cast"],
  ["two-thirds", 8, "yyyyyyy", "deadline", "no-quorum", "quorum-missed"],
];

describe("the result of a motion", () => {
  it.each(rows)("%s, quorum %i, ballots %j, closed by %s → %s (%s)", (rule, quorum, spec, closedBy, outcome, reason) => {
    const result = tally({ rule, quorum, eligible: EIGHT, ballots: ballots(spec), closedBy });
    expect(result.outcome).toBe(outcome);
    expect(result.reason).toBe(reason);
  });

  it("counts each choice and lists who has not voted", () => {
    const result = tally({ rule: "majority", quorum: 4, eligible: EIGHT, ballots: ballots("yn-a-y"), closedBy: "deadline" });
    expect(result).toMatchObject({ yes: 2, no: 1, abstain: 1, cast: 4, eligible: 8, quorum: 4, quorumMet: true });
    expect(result.notVoted).toEqual(["ca", "fr", "no", "uk"]);
  });

  it("ignores ballots of delegations not entitled to vote, and duplicate eligible codes", () => {
    const result = tally({
      rule: "majority",
      quorum: 2,
      eligible: ["fr", "fr", "no"],
      ballots: new Map<string, BallotChoice>([["fr", "yes"], ["xx", "no"], ["uk", "no"]]),
      closedBy: "deadline",
    });
    expect(result).toMatchObject({ eligible: 2, yes: 1, no: 0, cast: 1, quorumMet: false, outcome: "no-quorum", notVoted: ["no"] });
  });
});
