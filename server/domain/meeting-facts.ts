import type { ClauseStatusValue } from "./clause-status";

/** A decision taken while a meeting was open, as its summary record tells it. */
export type MeetingDecision =
  | { kind: "clause-status"; clause: string; status: ClauseStatusValue; reservingDelegations: string[] }
  | { kind: "bracket-resolved"; clause: string | null; kept: string | null }
  | { kind: "amendment-adopted"; number: number }
  | { kind: "motion-put"; number: number; subject: string }
  | { kind: "motion-closed"; number: number; outcome: string; yes: number; no: number; abstain: number };

/** A delegation's intervention: who spoke, and whether it was a right of reply. */
export interface MeetingSpeech {
  /** The delegation's name in the record's language. */
  delegation: string;
  kind: "floor" | "reply";
}

/** A clause as the room took it up: who spoke on it, in order, and what was decided on it. */
export interface ClauseTakenUp {
  clauseId: string;
  /** Its number in the text ("2.1"); empty when the clause has since left the text. */
  number: string;
  /** Its first words. */
  excerpt: string;
  speakers: MeetingSpeech[];
  decisions: MeetingDecision[];
}

/**
 * What a closed meeting's summary record says, gathered from the meeting, its speakers' list, the
 * audit trail and the text as it stood at the close (server/domain/meetings.ts): names already in
 * the record's language. Private notes are never among them.
 */
export interface MeetingFacts {
  draftTitle: string;
  number: number;
  kind: "formal" | "informal";
  openedAt: Date;
  closedAt: Date;
  chair: string;
  /** The delegations present, in the initiative's order, with the people seen connected. */
  present: { delegation: string; people: string[] }[];
  /** The delegations no one was seen connected for. */
  absent: string[];
  /** The secretariat's and observers' people seen connected. */
  others: string[];
  /** In the order the chair took them up (a clause taken up twice appears twice). */
  clauses: ClauseTakenUp[];
  /** Speeches made before any clause was taken up. */
  generalSpeakers: MeetingSpeech[];
  /** Decisions not tied to a clause taken up (a motion on a version, say). */
  otherDecisions: MeetingDecision[];
  /** Clauses not agreed at the close: their number, status and open brackets. */
  openItems: { number: string; status: ClauseStatusValue; openBrackets: number }[];
}
