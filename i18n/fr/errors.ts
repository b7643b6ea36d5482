import type { Translation } from "../catalogue";
import type { errors as english } from "../en/errors";

/** Text the server speaks in codes: the domain’s refusals and failures, and the names it gives the versions it saves. */
export const errors: Translation<typeof english> = {
  "error.unexpected": "Erreur inattendue : {detail}",
  "error.emailTaken": "Un compte existe déjà avec l’adresse électronique {email}.",

  "error.motion.rule": "Choisissez le consensus, la majorité simple ou la majorité des deux tiers.",
  "error.motion.quorum": "Le quorum est un nombre entier de délégations, de 0 à {max}.",
  "error.motion.deadlineInvalid": "Indiquez une date limite valide.",
  "error.motion.deadlinePast": "La date limite doit se situer dans l’avenir.",
  "error.motion.alreadyOpen": "Une motion ouverte est déjà soumise aux délégations sur ce point.",
  "error.motion.choice": "Votez oui ou non, ou abstenez-vous.",
  "error.motion.explanationTooLong": "Une explication de vote compte au plus {max, plural, one {# caractère} other {# caractères}}.",
  "error.motion.bracketUnknown": "Choisissez un crochet ouvert dans le texte actuel, et l’une de ses variantes ou la suppression du passage.",
  "error.motion.clauseUnknown": "Choisissez une clause du texte actuel.",
  "error.motion.amendmentUnknown": "Choisissez un amendement de ce projet.",
  "error.motion.amendmentNotOpen":
    "Cet amendement est {status, select, withdrawn {retiré} adopted {adopté} rejected {rejeté} other {clos}} : seul un amendement ouvert est mis aux voix.",
  "error.motion.versionUnknown": "Choisissez une version de ce projet.",
  "error.motion.authorMissing": "L’auteur de la motion est introuvable.",

  "error.round.versionRequired": "Choisissez la version publiée sur laquelle le public envoie ses contributions.",
  "error.round.overlaps": "Ce cycle chevaucherait « {name} ». Les cycles d’un projet se succèdent.",
  "error.round.notCancellable": "Seul un cycle qui n’a pas commencé peut être annulé.",
  "error.round.nothingNext": "Il n’y a pas de cycle suivant.",
  "error.round.nameRequired": "Donnez un nom au cycle.",
  "error.round.nameTooLong": "Le nom d’un cycle compte au plus {max, plural, one {# caractère} other {# caractères}}.",
  "error.round.startInvalid": "Indiquez un début valide.",
  "error.round.endInvalid": "Indiquez une fin valide, ou aucune.",
  "error.round.endBeforeStart": "Un cycle se termine après son début.",
  "error.round.endPast": "La fin d’un cycle doit se situer dans l’avenir.",
  "error.round.instructionsTooLong": "Les instructions comptent au plus {max, plural, one {# caractère} other {# caractères}}.",

  "error.annotation.bodyRequired": "Rédigez d’abord un commentaire.",
  "error.annotation.bodyTooLong": "Un commentaire compte au plus {max, plural, one {# caractère} other {# caractères}}.",

  "error.amendment.insertPoint": "Choisissez dans le texte l’endroit où insérer.",
  "error.amendment.deletionProposesNothing": "Une suppression ne propose aucun texte nouveau.",
  "error.amendment.proposedRequired": "Rédigez le texte que vous proposez.",
  "error.amendment.proposedOneParagraph": "Le texte proposé tient en un seul paragraphe : supprimez les sauts de ligne.",
  "error.amendment.proposedTooLong": "Le texte proposé compte au plus {max, plural, one {# caractère} other {# caractères}}.",
  "error.amendment.rationaleRequired": "Donnez la justification de l’amendement.",
  "error.amendment.rationaleTooLong": "Une justification compte au plus {max, plural, one {# caractère} other {# caractères}}.",
  "error.amendment.closed":
    "L’amendement est déjà {status, select, open {ouvert} withdrawn {retiré} adopted {adopté} rejected {rejeté} other {clos}}.",
  "error.amendment.changed": "Le texte a changé depuis le dépôt de l’amendement.",
  "error.amendment.textDeleted": "Le texte que modifie l’amendement a été supprimé.",
  "error.amendment.textSplit": "Le texte que modifie l’amendement ne tient plus dans un seul paragraphe.",
  "error.amendment.adoptionBusy": "Une autre tentative est en train d’achever cette adoption.",

  "error.submission.clauseUnknown": "Cette clause ne figure pas dans cette version.",
  "error.submission.unknown": "Cette contribution n’existe pas.",
  "error.submission.notAccepted": "Seule une contribution acceptée reçoit une réponse.",

  "error.version.unknown": "Ce projet n’a pas de version v{number}.",

  "versionName.phaseStarted":
    "Début de la phase {phase, select, drafting {de rédaction} review {d’examen par les délégations} consultation {de consultation publique} voting {de vote} closed {close} other {{phase}}} : {round}",
  "versionName.phaseChanged":
    "Passage à la phase {phase, select, drafting {de rédaction} review {d’examen par les délégations} consultation {de consultation publique} voting {de vote} closed {close} other {{phase}}}",
  "versionName.roundsEnded": "Fin des cycles : clos",
  "versionName.phaseChange": "Changement de phase",
  "versionName.adoptedByMotion": "A-{amendment} adopté par la motion M-{motion}",
};
