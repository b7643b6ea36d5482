import type { Translation } from "../catalogue";
import type { common as english } from "../en/common";

/** Interface text shared by every page. */
export const common: Translation<typeof english> = {
  "app.name": "Accord",
  "app.tagline": "Rédaction du code de conduite sur le contrôle des exportations et les droits de l’homme",
  "nav.main": "Menu principal",
  "nav.home": "Accueil",
  "nav.drafts": "Projets",
  "nav.delegation": "Ma délégation",
  "nav.admin": "Administration",
  "nav.account": "Compte",
  "nav.signIn": "Se connecter",
  "nav.signOut": "Se déconnecter",
  "nav.skip": "Aller au contenu",
  "nav.signedInAs": "Session de {name}",
  "table.scrolls": "Tableau (faites-le défiler horizontalement pour tout voir)",
  "language.switchLabel": "Langue",
  "language.unknown": "Accord ne propose pas cette langue.",
  "language.name.en": "anglais",
  "language.name.fr": "français",
  "common.label": "{label} :",
  "common.labelled": "{label} : {value}",
  "footer.text": "Accord — Initiative sur le contrôle des exportations et les droits de l’homme",

  "role.secretariat": "Secrétariat",
  "role.head": "Chef de délégation",
  "role.delegate": "Délégué",
  "role.observer": "Observateur",

  "form.required": "Ce champ est obligatoire.",
  "form.invalidEmail": "Saisissez une adresse électronique valide.",
  "form.tooLong": "Ce texte est trop long : {max, plural, one {# caractère} other {# caractères}} au maximum.",
  "form.tooShort": "Ce texte est trop court : {min, plural, one {# caractère} other {# caractères}} au minimum.",
  "form.invalidChoice": "Choisissez l’une des options proposées.",
  "form.tooLarge": "Le formulaire est trop volumineux.",
  "form.errorSummary": "Veuillez corriger les champs signalés.",

  "error.notFoundTitle": "Page introuvable",
  "error.notFound": "Il n’y a rien à cette adresse, ou vous n’y avez pas accès.",
  "error.forbiddenTitle": "Action non autorisée",
  "error.forbidden": "Votre compte ne vous permet pas d’effectuer cette action.",
  "error.badRequestTitle": "La requête n’a pas pu être comprise",
  "error.title": "Une erreur s’est produite",
  "error.text": "Une erreur inattendue s’est produite. Veuillez réessayer ; si le problème persiste, informez-en le secrétariat.",
  "error.backHome": "Retour à la page d’accueil",
};
