import type { Translation } from "../catalogue";
import type { account as english } from "../en/account";

/** Interface text of the account page. */
export const account: Translation<typeof english> = {
  "account.title": "Votre compte",
  "account.detailsTitle": "Informations",
  "account.name": "Nom",
  "account.email": "Adresse électronique",
  "account.role": "Rôle",
  "account.delegation": "Délégation",
  "account.noDelegation": "Aucune",
  "account.passwordTitle": "Modifier le mot de passe",
  "account.passwordIntro": "La modification de votre mot de passe ferme vos sessions sur tous vos autres appareils.",
  "account.currentPassword": "Mot de passe actuel",
  "account.newPassword": "Nouveau mot de passe",
  "account.newPasswordHint": "{min, plural, one {# caractère} other {# caractères}} au minimum.",
  "account.confirmPassword": "Confirmer le nouveau mot de passe",
  "account.passwordSubmit": "Modifier le mot de passe",
  "account.wrongPassword": "Ce n’est pas votre mot de passe actuel.",
  "account.passwordMismatch": "Les deux nouveaux mots de passe ne sont pas identiques.",
  "account.passwordChanged": "Votre mot de passe a été modifié. Vos sessions sur tous vos autres appareils ont été fermées.",
  "account.languageTitle": "Langue",
  "account.language": "Langue de l’interface",
  "account.languageHint": "Les pages, messages, courriels et téléchargements vous parviennent dans cette langue.",
  "account.languageBrowser": "La langue de mon navigateur",
  "account.languageSubmit": "Enregistrer",
  "account.languageSaved": "Votre langue a été enregistrée.",
  "account.sessionsTitle": "Se déconnecter partout",
  "account.sessionsIntro":
    "Si vous avez ouvert une session sur un appareil que vous n’utilisez plus, ou si vous pensez qu’une autre personne a pu le faire, fermez toutes les sessions de votre compte, y compris celle-ci.",
  "account.signOutEverywhere": "Se déconnecter partout",
};
