import type { Translation } from "../catalogue";
import type { invite as english } from "../en/invite";

/** Interface text of accepting an invitation. */
export const invite: Translation<typeof english> = {
  "invite.title": "Rejoindre Accord",
  "invite.intro": "Une invitation à rejoindre Accord vous a été adressée. Pour terminer, choisissez le nom que verront les autres utilisateurs ainsi qu’un mot de passe.",
  "invite.email": "Adresse électronique",
  "invite.role": "Rôle",
  "invite.delegation": "Délégation",
  "invite.noDelegation": "Aucune",
  "invite.signedInAs":
    "Une session est ouverte au nom de {name}. Si vous acceptez cette invitation, cette session sera fermée et une nouvelle session sera ouverte sur le nouveau compte.",
  "invite.displayName": "Votre nom",
  "invite.displayNameHint": "Tel que les autres délégations le verront, par exemple « Marie Dupont ». 100 caractères au maximum.",
  "invite.password": "Mot de passe",
  "invite.passwordHint": "{min, plural, one {# caractère} other {# caractères}} au minimum. Quelques mots sans rapport entre eux forment un mot de passe robuste.",
  "invite.confirmPassword": "Confirmer le mot de passe",
  "invite.passwordMismatch": "Les deux mots de passe ne sont pas identiques.",
  "invite.submit": "Créer mon compte",
  "invite.emailTaken": "Un compte existe déjà avec cette adresse électronique. Connectez-vous plutôt, ou adressez-vous au secrétariat.",

  "invite.gone.expiredTitle": "Cette invitation a expiré",
  "invite.gone.expired":
    "Les liens d’invitation sont valables 7 jours. Demandez au secrétariat ou à votre chef de délégation de vous inviter de nouveau.",
  "invite.gone.usedTitle": "Cette invitation a déjà été utilisée",
  "invite.gone.used": "Chaque lien d’invitation ne fonctionne qu’une fois. Si vous avez créé votre compte avec ce lien, connectez-vous.",
  "invite.gone.revokedTitle": "Cette invitation a été retirée",
  "invite.gone.revoked":
    "Cette invitation a été retirée par la personne qui l’avait envoyée. Si vous pensez qu’il s’agit d’une erreur, adressez-vous au secrétariat ou à votre chef de délégation.",
  "invite.gone.unknownTitle": "Invitation introuvable",
  "invite.gone.unknown":
    "Aucune invitation ne correspond à cette adresse. Vérifiez que vous avez copié le lien en entier, ou demandez une nouvelle invitation.",
  "invite.gone.signIn": "Aller à la page de connexion",
  "invite.mail.subject": "Votre invitation à Accord",
  "invite.mail.body": "Vous avez reçu une invitation à rejoindre Accord. Choisissez votre nom et votre mot de passe ici (lien valable {days, plural, one {# jour} other {# jours}}, une seule fois) : {link}",
};
