import type { Translation } from "../catalogue";
import type { meetingRecord as english } from "../en/meeting-record";

/** The words of a session's summary record, as Accord drafts it when the session closes. */
export const meetingRecord: Translation<typeof english> = {
  "meetingRecord.title": "Compte rendu analytique",
  "meetingRecord.documentTitle": "Compte rendu analytique de la séance {number} consacrée à « {draft} »",
  "meetingRecord.held": "{kind, select, formal {Séance officielle} other {Séance officieuse}} tenue le {date}, de {opened} à {closed}.",
  "meetingRecord.heldAcrossDays": "{kind, select, formal {Séance officielle} other {Séance officieuse}} tenue du {opened} au {closed}.",
  "meetingRecord.chair": "Présidence : {name}.",
  "meetingRecord.attendance": "Participation",
  "meetingRecord.attendance.delegation": "{delegation} : {people}.",
  "meetingRecord.attendance.delegationUnnamed": "{delegation}.",
  "meetingRecord.attendance.absent": "Délégations non représentées : {delegations}.",
  "meetingRecord.attendance.others": "Assistaient également à la séance : {people}.",
  "meetingRecord.attendance.none": "Aucune délégation n’était présente.",
  "meetingRecord.proceedings": "Déroulement de la séance",
  "meetingRecord.proceedings.general": "Déclarations générales : {speakers}.",
  "meetingRecord.proceedings.noClause": "Aucune clause n’a été examinée.",
  "meetingRecord.proceedings.clause":
    "{place, select, numbered {Clause {number}} other {Clause ne figurant plus dans le texte}} (« {excerpt} »).",
  "meetingRecord.proceedings.clauseWithoutWords": "{place, select, numbered {Clause {number}} other {Clause ne figurant plus dans le texte}}.",
  "meetingRecord.proceedings.speakers": "Ont pris la parole : {speakers}.",
  "meetingRecord.proceedings.noSpeakers": "Aucune délégation n’a pris la parole.",
  "meetingRecord.proceedings.reply": "{delegation} (droit de réponse)",
  "meetingRecord.decisions": "Décisions",
  "meetingRecord.decisions.none": "Aucune décision n’a été prise.",
  "meetingRecord.decision.agreed": "{place, select, numbered {La clause {number}} other {Une clause qui ne figure plus dans le texte}} a été {status}.",
  "meetingRecord.decision.pending": "{place, select, numbered {La clause {number}} other {Une clause qui ne figure plus dans le texte}} a été remise en suspens.",
  "meetingRecord.decision.reserved":
    "{place, select, numbered {La clause {number}} other {Une clause qui ne figure plus dans le texte}} a fait l’objet d’une réserve{count, plural, =0 {} other { émise par : {delegations}}}.",
  "meetingRecord.decision.bracketKept":
    "Un crochet a été levé {place, select, numbered {dans la clause {number}} preamble {dans le préambule} other {dans une clause qui ne figure plus dans le texte}} : le passage « {kept} » a été conservé.",
  "meetingRecord.decision.bracketDropped":
    "Un crochet a été levé {place, select, numbered {dans la clause {number}} preamble {dans le préambule} other {dans une clause qui ne figure plus dans le texte}} : le passage entre crochets a été supprimé.",
  "meetingRecord.decision.amendmentAdopted": "L’amendement {number} a été adopté.",
  "meetingRecord.decision.motionPut": "La motion {number} a été soumise : {subject}.",
  "meetingRecord.decision.motionClosed":
    "Motion {number} : {outcome} ({yes, number} voix pour, {no, number} voix contre, {abstain, plural, one {# abstention} other {# abstentions}}).",
  "meetingRecord.outcome.withdrawn": "retirée",
  "meetingRecord.openItems": "Questions en suspens",
  "meetingRecord.openItems.item": "Clause {number} : {status}{count, plural, =0 {} one {, # crochet ouvert} other {, # crochets ouverts}}.",
  "meetingRecord.openItems.none": "Aucune question ne reste en suspens.",
};
