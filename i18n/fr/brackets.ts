import type { Translation } from "../catalogue";
import type { brackets as english } from "../en/brackets";

/** Interface text of square brackets: what is not yet agreed, its alternatives and their resolution. */
export const brackets: Translation<typeof english> = {
  "brackets.gone": "Ce crochet n’est plus dans le texte : il a été levé entre-temps, ou ses mots ont été supprimés. Rechargez la page.",
  "brackets.noOption": "Ce crochet n’a pas cette variante. Rechargez la page.",
  "brackets.title": "Crochets ouverts",
  "brackets.intro": "Les crochets signalent ce qui n’est pas encore convenu, avec les variantes proposées et les délégations qui soutiennent chacune.",
  "brackets.none": "Aucun crochet n’est ouvert dans ce texte.",
  "brackets.count": "{count, plural, one {# crochet ouvert} other {# crochets ouverts}}",
  "brackets.inClause": "Clause {number}",
  "brackets.inPreamble": "Préambule",
  "brackets.option": "Variante {number}",
  "brackets.supportedBy": "soutenue par {delegations}",
  "brackets.noSupporters": "aucune délégation nommée",
  "brackets.keep": "Retenir la variante {number} : « {text} »",
  "brackets.drop": "Supprimer tout le passage",
  "brackets.resolve": "Lever le crochet",
  "brackets.view.label": "Crochets dans le texte",
  "brackets.view.bracketed": "Afficher les crochets",
  "brackets.view.clean": "Lire le texte sans crochets (premières variantes)",
  "brackets.support": "Soutenir la variante {number} ({delegation})",
  "brackets.withdrawSupport": "Ne plus soutenir la variante {number} ({delegation})",
  "brackets.action": "Crochets",
  "brackets.formTitle": "Mettre les mots choisis entre crochets",
  "brackets.formIntro": "Les mots choisis deviennent la première variante ; chaque ligne ci-dessous en ajoute une autre. Votre délégation est nommée comme soutenant les variantes que vous ajoutez.",
  "brackets.alternativesLabel": "Autres variantes (une par ligne, facultatif)",
  "brackets.create": "Mettre entre crochets",
  "brackets.cancel": "Annuler",
  "brackets.oneParagraph": "Choisissez des mots à l’intérieur d’un seul paragraphe d’une clause ou du préambule.",
  "brackets.nested": "Ces mots sont déjà entre crochets.",
  "brackets.notStored": "Le crochet n’a pas été levé : la modification n’a pas pu être enregistrée, le texte est donc inchangé. Réessayez dans un instant.",
};
