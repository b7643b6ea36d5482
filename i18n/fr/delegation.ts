import type { Translation } from "../catalogue";
import type { delegation as english } from "../en/delegation";

/** Interface text of a delegation's page and its invitations. */
export const delegation: Translation<typeof english> = {
  "delegation.colour": "Signalée par la couleur {colour} dans les projets partagés.",
  "delegation.membersTitle": "Membres",
  "delegation.membersEmpty": "Personne n’a encore rejoint cette délégation.",
  "delegation.name": "Nom",
  "delegation.role": "Rôle",
  "delegation.email": "Adresse électronique",
  "delegation.inviteTitle": "Inviter un délégué",
  "delegation.inviteIntro":
    "Saisissez l’adresse électronique de la personne que vous souhaitez inviter en qualité de délégué (délégation : {delegation}). Vous recevrez un lien à usage unique à lui transmettre ; il est valable {days, plural, one {# jour} other {# jours}}.",
  "delegation.inviteEmail": "Adresse électronique",
  "delegation.inviteSubmit": "Créer l’invitation",
  "delegation.invited": "Invitation créée pour {email}. Transmettez-lui ce lien ; il ne fonctionne qu’une fois et est valable {days, plural, one {# jour} other {# jours}}.",
  "delegation.emailTaken": "Un compte existe déjà avec cette adresse électronique.",

  // The partners' names, by delegation code (a delegation not named here shows its stored name).
  "delegationName.us": "États-Unis d’Amérique",
  "delegationName.au": "Australie",
  "delegationName.ca": "Canada",
  "delegationName.dk": "Danemark",
  "delegationName.fr": "France",
  "delegationName.nl": "Pays-Bas",
  "delegationName.no": "Norvège",
  "delegationName.uk": "Royaume-Uni",
  "delegationShortName.us": "États-Unis",
  "delegationShortName.au": "Australie",
  "delegationShortName.ca": "Canada",
  "delegationShortName.dk": "Danemark",
  "delegationShortName.fr": "France",
  "delegationShortName.nl": "Pays-Bas",
  "delegationShortName.no": "Norvège",
  "delegationShortName.uk": "Royaume-Uni",
};
