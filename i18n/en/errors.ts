/**
 * Text the server speaks in codes: the domain's refusals and failures (`error.*`), which it throws
 * or stores as a key and parameters, and the names it gives the versions it saves itself
 * (`versionName.*`, stored the same way). Each is translated where it is shown.
 */
export const errors = {
  "error.unexpected": "An unexpected error: {detail}",
  "error.emailTaken": "An account with the email address {email} already exists.",

  "error.motion.rule": "Choose consensus, simple majority or two-thirds.",
  "error.motion.quorum": "The quorum is a whole number of delegations from 0 to {max}.",
  "error.motion.deadlineInvalid": "Give a valid deadline.",
  "error.motion.deadlinePast": "The deadline must be in the future.",
  "error.motion.alreadyOpen": "An open motion is already before the delegations on this.",
  "error.motion.choice": "Vote yes, no or abstain.",
  "error.motion.explanationTooLong": "An explanation of vote has at most {max, plural, one {# character} other {# characters}}.",
  "error.motion.bracketUnknown": "Choose a bracket open in the current text, and one of its alternatives or dropping the passage.",
  "error.motion.clauseUnknown": "Choose a clause of the current text.",
  "error.motion.amendmentUnknown": "Choose an amendment of this draft.",
  "error.motion.amendmentNotOpen":
    "This amendment is {status, select, withdrawn {withdrawn} adopted {adopted} rejected {rejected} other {closed}}: only an open amendment is put to a vote.",
  "error.motion.versionUnknown": "Choose a version of this draft.",
  "error.motion.authorMissing": "The motion's author was not found.",

  "error.round.versionRequired": "Choose the published version the public comments on.",
  "error.round.overlaps": "This round would overlap “{name}”. Rounds of a draft follow one another.",
  "error.round.notCancellable": "Only a round that has not started can be cancelled.",
  "error.round.nothingNext": "There is no round to move on to.",
  "error.round.nameRequired": "Give the round a name.",
  "error.round.nameTooLong": "A round's name has at most {max, plural, one {# character} other {# characters}}.",
  "error.round.startInvalid": "Give a valid start.",
  "error.round.endInvalid": "Give a valid end, or none.",
  "error.round.endBeforeStart": "A round ends after it starts.",
  "error.round.endPast": "A round's end must be in the future.",
  "error.round.instructionsTooLong": "Instructions have at most {max, plural, one {# character} other {# characters}}.",

  "error.annotation.bodyRequired": "Write a comment first.",
  "error.annotation.bodyTooLong": "A comment has at most {max, plural, one {# character} other {# characters}}.",

  "error.amendment.insertPoint": "Choose a point in the text to insert at.",
  "error.amendment.deletionProposesNothing": "A deletion proposes no new text.",
  "error.amendment.proposedRequired": "Write the text you propose.",
  "error.amendment.proposedOneParagraph": "The proposed text is one paragraph: remove the line breaks.",
  "error.amendment.proposedTooLong": "The proposed text has at most {max, plural, one {# character} other {# characters}}.",
  "error.amendment.rationaleRequired": "Give the rationale for the amendment.",
  "error.amendment.rationaleTooLong": "A rationale has at most {max, plural, one {# character} other {# characters}}.",
  "error.amendment.closed": "The amendment is already {status, select, open {open} withdrawn {withdrawn} adopted {adopted} rejected {rejected} other {closed}}.",
  "error.amendment.changed": "The text has changed since the amendment was tabled.",
  "error.amendment.textDeleted": "The text the amendment changes has been deleted.",
  "error.amendment.textSplit": "The text the amendment changes no longer lies within one paragraph.",
  "error.amendment.adoptionBusy": "Another attempt is finishing this adoption.",

  "error.submission.clauseUnknown": "That clause is not in this version.",
  "error.submission.unknown": "That submission does not exist.",
  "error.submission.notAccepted": "Only an accepted submission can be answered.",

  "error.version.unknown": "There is no version v{number} of this draft.",

  "versionName.phaseStarted":
    "Start of {phase, select, drafting {Drafting} review {Delegation review} consultation {Public consultation} voting {Voting} closed {Closed} other {{phase}}}: {round}",
  "versionName.phaseChanged":
    "Phase changed to {phase, select, drafting {drafting} review {delegation review} consultation {public consultation} voting {voting} closed {closed} other {{phase}}}",
  "versionName.roundsEnded": "Rounds ended: closed",
  "versionName.phaseChange": "Phase changed",
  "versionName.adoptedByMotion": "A-{amendment} adopted by motion M-{motion}",
} as const;
