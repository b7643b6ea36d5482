/** The words of a session's summary record, as Accord drafts it when the session closes. */
export const meetingRecord = {
  "meetingRecord.title": "Summary record",
  "meetingRecord.documentTitle": "Summary record of session {number} on “{draft}”",
  "meetingRecord.held": "{kind, select, formal {Formal session} other {Informal session}} held on {date}, from {opened} to {closed}.",
  "meetingRecord.heldAcrossDays": "{kind, select, formal {Formal session} other {Informal session}} held from {opened} to {closed}.",
  "meetingRecord.chair": "Chair: {name}.",
  "meetingRecord.attendance": "Attendance",
  "meetingRecord.attendance.delegation": "{delegation}: {people}.",
  "meetingRecord.attendance.delegationUnnamed": "{delegation}.",
  "meetingRecord.attendance.absent": "Not represented: {delegations}.",
  "meetingRecord.attendance.others": "Also present: {people}.",
  "meetingRecord.attendance.none": "No delegation was present.",
  "meetingRecord.proceedings": "Proceedings",
  "meetingRecord.proceedings.general": "General statements: {speakers}.",
  "meetingRecord.proceedings.noClause": "No clause was taken up.",
  "meetingRecord.proceedings.clause":
    "{place, select, numbered {Clause {number}} other {A clause since removed from the text}} (“{excerpt}”).",
  "meetingRecord.proceedings.clauseWithoutWords": "{place, select, numbered {Clause {number}} other {A clause since removed from the text}}.",
  "meetingRecord.proceedings.speakers": "Speakers: {speakers}.",
  "meetingRecord.proceedings.noSpeakers": "No delegation took the floor.",
  "meetingRecord.proceedings.reply": "{delegation} (right of reply)",
  "meetingRecord.decisions": "Decisions",
  "meetingRecord.decisions.none": "No decision was taken.",
  "meetingRecord.decision.agreed": "{place, select, numbered {Clause {number}} other {A clause since removed from the text}} was {status}.",
  "meetingRecord.decision.pending": "{place, select, numbered {Clause {number}} other {A clause since removed from the text}} was returned to pending.",
  "meetingRecord.decision.reserved":
    "{place, select, numbered {Clause {number}} other {A clause since removed from the text}} was reserved{count, plural, =0 {} other { by {delegations}}}.",
  "meetingRecord.decision.bracketKept":
    "A bracket {place, select, numbered {in clause {number}} preamble {in the preamble} other {in a clause since removed from the text}} was resolved: “{kept}” was kept.",
  "meetingRecord.decision.bracketDropped":
    "A bracket {place, select, numbered {in clause {number}} preamble {in the preamble} other {in a clause since removed from the text}} was resolved: the bracketed passage was dropped.",
  "meetingRecord.decision.amendmentAdopted": "Amendment {number} was adopted.",
  "meetingRecord.decision.motionPut": "Motion {number} was put: {subject}.",
  "meetingRecord.decision.motionClosed":
    "Motion {number}: {outcome} ({yes, number} in favour, {no, number} against, {abstain, plural, one {# abstention} other {# abstentions}}).",
  "meetingRecord.outcome.withdrawn": "withdrawn",
  "meetingRecord.openItems": "Open items",
  "meetingRecord.openItems.item": "Clause {number}: {status}{count, plural, =0 {} one {, # open bracket} other {, # open brackets}}.",
  "meetingRecord.openItems.none": "No item remains open.",
} as const;
