import type { DocJson } from "../../schema/content";
import { normalizeDocument } from "../../schema/normalize";
import { clauseNumbers } from "../../schema/prosemirror";
import { amendmentLabel, listAmendments, type AmendmentKind, type AmendmentStatus } from "./amendments";
import { listClauseStatuses, type ClauseStatusValue } from "./clause-status";
import { listDelegations } from "./delegations";
import { listMotions, motionLabel, type MotionSubjectKind } from "./motions";
import type { BallotChoice, Outcome, OutcomeReason, VotingRule } from "./tally";

/** A delegation as a publication's record names it (kept with the record: names can change later). */
export interface RecordedDelegation {
  code: string;
  name: string;
}

/** An amendment as it stood when the version was published. */
export interface RecordedAmendment {
  label: string;
  kind: AmendmentKind;
  status: AmendmentStatus;
  quote: string;
  proposed: string;
  rationale: string;
  delegation: RecordedDelegation;
  cosponsors: RecordedDelegation[];
}

/** Where a clause of the published text stood, with the delegations reserving it. */
export interface RecordedPosition {
  clauseId: string;
  number: string;
  status: ClauseStatusValue;
  delegations: RecordedDelegation[];
}

/** A motion's result, as it stood when the version was published. */
export interface RecordedMotion {
  label: string;
  subject: MotionSubjectKind;
  /** The amendment's label, the clause's number or the version's number the motion was on. */
  subjectRef: string;
  rule: VotingRule;
  outcome: Outcome;
  reason: OutcomeReason;
  closedAt: string;
  yes: number;
  no: number;
  abstain: number;
  notVoted: number;
  ballots: { delegation: RecordedDelegation; choice: BallotChoice }[];
}

/**
 * The record a publication keeps beside its text: the amendments tabled on the draft (all but
 * withdrawn ones), the status of each clause of the published text, and the results of the motions
 * closed, as they stood when it was published. It never changes afterwards, like the publication.
 */
export interface PublicationRecord {
  amendments: RecordedAmendment[];
  positions: RecordedPosition[];
  /** The results of the motions closed by then. */
  motions: RecordedMotion[];
}

export const EMPTY_RECORD: PublicationRecord = { amendments: [], positions: [], motions: [] };

/** Takes the record of a draft now, for publishing the version whose text is `content`. */
export async function takePublicationRecord(draftId: string, content: DocJson): Promise<PublicationRecord> {
  const [amendments, statuses, delegations, motions] = await Promise.all([
    listAmendments({ draftId }),
    listClauseStatuses(draftId),
    listDelegations(),
    listMotions(draftId),
  ]);
  const names = new Map(delegations.map((delegation) => [delegation.code, delegation.shortName]));
  const named = (code: string): RecordedDelegation => ({ code, name: names.get(code) ?? code.toUpperCase() });
  const numbers = clauseNumbers(normalizeDocument(content));
  return {
    amendments: amendments
      .filter((amendment) => amendment.status !== "withdrawn")
      .sort((a, b) => a.number - b.number)
      .map((amendment) => ({
        label: amendmentLabel(amendment),
        kind: amendment.kind,
        status: amendment.status,
        quote: amendment.quote,
        proposed: amendment.proposed,
        rationale: amendment.rationale,
        delegation: named(amendment.delegationCode),
        cosponsors: amendment.cosponsors.map(named),
      })),
    motions: motions.flatMap((motion) => {
      if (motion.status !== "closed" || !motion.tally || !motion.outcome || !motion.reason || !motion.closedAt) return [];
      const subjectRef =
        motion.subject === "amendment"
          ? `A-${motion.amendmentNumber}`
          : motion.subject === "version"
            ? `v${motion.versionNumber}`
            : motion.subject === "bracket"
              ? motion.bracket?.clauseId
                ? (numbers.get(motion.bracket.clauseId) ?? "?")
                : "preamble"
              : (numbers.get(motion.clauseId ?? "") ?? "");
      return [
        {
          label: motionLabel(motion),
          subject: motion.subject,
          subjectRef,
          rule: motion.rule,
          outcome: motion.outcome,
          reason: motion.reason,
          closedAt: motion.closedAt.toISOString(),
          yes: motion.tally.yes,
          no: motion.tally.no,
          abstain: motion.tally.abstain,
          notVoted: motion.tally.notVoted.length,
          ballots: Object.entries(motion.tally.ballots).map(([code, choice]) => ({ delegation: named(code), choice })),
        },
      ];
    }),
    // Only the clauses of the published text, in its order; a clause without a status is pending.
    positions: [...numbers].map(([clauseId, number]) => {
      const status = statuses.find((candidate) => candidate.clauseId === clauseId);
      return { clauseId, number, status: status?.status ?? "pending", delegations: (status?.reservingDelegations ?? []).map(named) };
    }),
  };
}

/** Reads a stored record, tolerating one stored before records were kept. */
export function parsePublicationRecord(value: unknown): PublicationRecord {
  const record = value as Partial<PublicationRecord> | null;
  return {
    amendments: Array.isArray(record?.amendments) ? record.amendments : [],
    positions: Array.isArray(record?.positions) ? record.positions : [],
    motions: Array.isArray(record?.motions) ? record.motions : [],
  };
}
