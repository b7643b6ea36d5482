import type { Translation } from "../catalogue";
import type { drafts as english } from "../en/drafts";

/** Interface text of the drafts dashboard, a draft's page and the drafts API. */
export const drafts: Translation<typeof english> = {
  "drafts.title": "Projets",
  "drafts.welcome": "Bienvenue, {name}.",
  "drafts.roleAndDelegation": "{role} · {delegation}",
  "drafts.listTitle": "Projets que vous pouvez consulter",
  "drafts.empty": "Aucun projet pour le moment.",
  "drafts.updated": "Dernière mise à jour",
  "drafts.newTitle": "Nouveau projet",
  "drafts.newIntro": "L’adresse du projet est formée à partir de son titre.",
  "drafts.titleLabel": "Titre",
  "drafts.titleHint": "{max, plural, one {# caractère} other {# caractères}} au maximum.",
  "drafts.create": "Créer le projet",
  "drafts.languageLabel": "Langue du texte",
  "drafts.languageHint": "L’éditeur vérifie l’orthographe dans cette langue, les téléchargements y font leurs coupures de mots et le site public indique la langue du texte.",
  "drafts.textIn": "Texte en {language}",
  "drafts.apiSignIn": "Connectez-vous pour obtenir la liste des projets.",

  "draft.backToList": "Tous les projets",
  "draft.slug": "Adresse",
  "draft.created": "Création",
  "draft.updated": "Dernière mise à jour",
  "draft.editingClosed": "La rédaction est close : le cycle est terminé et le texte n’est plus accessible qu’en lecture.",
  "draft.editingClosedInPhase": "Le texte ne peut pas être modifié pendant {phase, select, review {l’examen par les délégations} consultation {la consultation publique} voting {le vote} other {la rédaction}}.",
  "draft.observerReadOnly": "Les observateurs lisent les projets et en suivent les modifications en temps réel ; seuls le secrétariat et les délégations peuvent les modifier.",
};
