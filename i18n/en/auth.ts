/** Interface text of signing in and accepting an invitation. */
export const auth = {
  "signIn.title": "Sign in",
  "signIn.email": "Email",
  "signIn.password": "Password",
  "signIn.submit": "Sign in",
  "signIn.invalid": "The email or password is not correct.",
  "signIn.throttled": "Too many failed attempts. Try again in {minutes, plural, one {# minute} other {# minutes}}.",
  "signIn.help": "Accounts are created by invitation from the secretariat or your head of delegation.",
} as const;
