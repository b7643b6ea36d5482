import type { Translation } from "../catalogue";
import type { auth as english } from "../en/auth";

/** Interface text of signing in and accepting an invitation. */
export const auth: Translation<typeof english> = {
  "signIn.title": "Connexion",
  "signIn.email": "Adresse électronique",
  "signIn.password": "Mot de passe",
  "signIn.submit": "Se connecter",
  "signIn.invalid": "L’adresse électronique ou le mot de passe est incorrect.",
  "signIn.throttled": "Trop de tentatives infructueuses. Réessayez dans {minutes, plural, one {# minute} other {# minutes}}.",
  "signIn.help": "Les comptes sont créés sur invitation du secrétariat ou de votre chef de délégation.",
};
