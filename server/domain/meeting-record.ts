import { formatMoment } from "../../i18n/format";
import type { Language } from "../../i18n/languages";
import { isMessageKey, t, type MessageKey, type MessageParams } from "../../i18n/translate";
import { clause, documentJson, section, type DocJson } from "../../schema/content";
import type { MeetingDecision, MeetingFacts, MeetingSpeech } from "./meeting-facts";

/** A message of the record's language. */
type Say = (key: MessageKey, params?: MessageParams) => string;

/**
 * The summary record of a closed meeting, as the secretariat starts co-editing it: the session's
 * kind, times and chair, who attended, the clauses in the order the chair took them up with their
 * speakers and decisions, every decision in one list, and what remains open. Written in `language`,
 * its times in `timeZone` (UTC unless told).
 */
export function recordDocument(facts: MeetingFacts, language: Language, timeZone = "UTC"): DocJson {
  const say: Say = (key, params) => t(key, params, language);
  const decisions = [...facts.clauses.flatMap((taken) => taken.decisions), ...facts.otherDecisions];
  return documentJson(
    say("meetingRecord.documentTitle", { number: facts.number, draft: facts.draftTitle }),
    [when(facts, language, timeZone, say), ...(facts.chair ? [say("meetingRecord.chair", { name: facts.chair })] : [])],
    [
      section(say("meetingRecord.attendance"), ...attendance(facts, say)),
      section(say("meetingRecord.proceedings"), ...proceedings(facts, language, say)),
      section(
        say("meetingRecord.decisions"),
        ...(decisions.length ? decisions.map((decision) => clause(decisionText(decision, language, say))) : [clause(say("meetingRecord.decisions.none"))]),
      ),
      section(say("meetingRecord.openItems"), ...openItems(facts, language, say)),
    ],
  );
}

function when(facts: MeetingFacts, language: Language, timeZone: string, say: Say): string {
  const openedDay = formatMoment(facts.openedAt, { language, timeZone, style: "date" });
  const closedDay = formatMoment(facts.closedAt, { language, timeZone, style: "date" });
  if (openedDay !== closedDay) {
    return say("meetingRecord.heldAcrossDays", {
      kind: facts.kind,
      opened: formatMoment(facts.openedAt, { language, timeZone, zoneName: false }),
      closed: formatMoment(facts.closedAt, { language, timeZone }),
    });
  }
  return say("meetingRecord.held", {
    kind: facts.kind,
    date: openedDay,
    opened: timeOf(facts.openedAt, openedDay, { language, timeZone, zoneName: false }),
    closed: timeOf(facts.closedAt, closedDay, { language, timeZone }),
  });
}

// formatMoment writes "<day>, <time>" and has no style for the time alone; a session within one day
// names its day once, so the day is cut off the front (the whole moment stays if the shape changes).
function timeOf(date: Date, day: string, options: { language: Language; timeZone: string; zoneName?: boolean }): string {
  const moment = formatMoment(date, options);
  return moment.startsWith(`${day}, `) ? moment.slice(day.length + 2) : moment;
}

function attendance(facts: MeetingFacts, say: Say): DocJson[] {
  const clauses = facts.present.map(({ delegation, people }) =>
    clause(
      people.length
        ? say("meetingRecord.attendance.delegation", { delegation, people: people.join(", ") })
        : say("meetingRecord.attendance.delegationUnnamed", { delegation }),
    ),
  );
  if (facts.absent.length) clauses.push(clause(say("meetingRecord.attendance.absent", { delegations: facts.absent.join(", ") })));
  if (facts.others.length) clauses.push(clause(say("meetingRecord.attendance.others", { people: facts.others.join(", ") })));
  return clauses.length ? clauses : [clause(say("meetingRecord.attendance.none"))];
}

function proceedings(facts: MeetingFacts, language: Language, say: Say): DocJson[] {
  const clauses: DocJson[] = [];
  if (facts.generalSpeakers.length) {
    clauses.push(clause(say("meetingRecord.proceedings.general", { speakers: speakerList(facts.generalSpeakers, say) })));
  }
  if (!facts.clauses.length) clauses.push(clause(say("meetingRecord.proceedings.noClause")));
  for (const taken of facts.clauses) {
    const where = place(taken.number);
    clauses.push(
      clause(
        taken.excerpt
          ? say("meetingRecord.proceedings.clause", { ...where, excerpt: taken.excerpt })
          : say("meetingRecord.proceedings.clauseWithoutWords", where),
        taken.speakers.length
          ? say("meetingRecord.proceedings.speakers", { speakers: speakerList(taken.speakers, say) })
          : say("meetingRecord.proceedings.noSpeakers"),
        ...taken.decisions.map((decision) => decisionText(decision, language, say)),
      ),
    );
  }
  return clauses;
}

function speakerList(speeches: MeetingSpeech[], say: Say): string {
  return speeches
    .map(({ delegation, kind }) => (kind === "reply" ? say("meetingRecord.proceedings.reply", { delegation }) : delegation))
    .join(", ");
}

function openItems(facts: MeetingFacts, language: Language, say: Say): DocJson[] {
  if (!facts.openItems.length) return [clause(say("meetingRecord.openItems.none"))];
  return facts.openItems.map((item) =>
    clause(
      say("meetingRecord.openItems.item", {
        number: item.number,
        status: midSentence(say(`clauseStatus.status.${item.status}`), language),
        count: item.openBrackets,
      }),
    ),
  );
}

function decisionText(decision: MeetingDecision, language: Language, say: Say): string {
  switch (decision.kind) {
    case "clause-status": {
      const where = place(decision.clause);
      if (decision.status === "pending") return say("meetingRecord.decision.pending", where);
      if (decision.status === "reserved") {
        const delegations = decision.reservingDelegations;
        return say("meetingRecord.decision.reserved", { ...where, count: delegations.length, delegations: delegations.join(", ") });
      }
      return say("meetingRecord.decision.agreed", { ...where, status: midSentence(say(`clauseStatus.status.${decision.status}`), language) });
    }
    case "bracket-resolved":
      return decision.kept
        ? say("meetingRecord.decision.bracketKept", { ...place(decision.clause), kept: decision.kept })
        : say("meetingRecord.decision.bracketDropped", place(decision.clause));
    case "amendment-adopted":
      return say("meetingRecord.decision.amendmentAdopted", { number: decision.number });
    case "motion-put":
      return say("meetingRecord.decision.motionPut", { number: decision.number, subject: decision.subject });
    case "motion-closed":
      return say("meetingRecord.decision.motionClosed", {
        number: decision.number,
        outcome: outcomeText(decision.outcome, language, say),
        yes: decision.yes,
        no: decision.no,
        abstain: decision.abstain,
      });
  }
}

// The motions' pages name their outcomes; a withdrawn motion has no outcome there, and an outcome
// this version does not know is shown as stored rather than hidden.
function outcomeText(outcome: string, language: Language, say: Say): string {
  const key = `motions.outcome.${outcome}`;
  if (isMessageKey(key)) return midSentence(say(key), language);
  if (outcome === "withdrawn") return say("meetingRecord.outcome.withdrawn");
  return outcome;
}

/** Where a clause stands in the text, as the messages' `place` select reads it; null is the preamble. */
function place(number: string | null): { place: "numbered" | "removed" | "preamble"; number: string } {
  if (number === null) return { place: "preamble", number: "" };
  return { place: number ? "numbered" : "removed", number };
}

// The statuses and outcomes are labels ("Agreed ad referendum", « Adoptée »); within a sentence they
// read with a small first letter.
function midSentence(label: string, language: Language): string {
  return label.charAt(0).toLocaleLowerCase(language) + label.slice(1);
}
