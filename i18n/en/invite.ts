/** Interface text of accepting an invitation. */
export const invite = {
  "invite.title": "Join Accord",
  "invite.intro": "You have been invited to Accord. Choose the name others will see and a password to finish.",
  "invite.email": "Email",
  "invite.role": "Role",
  "invite.delegation": "Delegation",
  "invite.noDelegation": "None",
  "invite.signedInAs":
    "You are signed in as {name}. Accepting this invitation signs you out of that account and into the new one.",
  "invite.displayName": "Your name",
  "invite.displayNameHint": "As other delegations will see it, for example “Marie Dupont”. At most 100 characters.",
  "invite.password": "Password",
  "invite.passwordHint": "At least {min, plural, one {# character} other {# characters}}. A few unrelated words make a strong one.",
  "invite.confirmPassword": "Password again",
  "invite.passwordMismatch": "The two passwords are not the same.",
  "invite.submit": "Create my account",
  "invite.emailTaken": "An account with this email address already exists. Sign in instead, or ask the secretariat.",

  "invite.gone.expiredTitle": "This invitation has expired",
  "invite.gone.expired":
    "Invitation links are valid for 7 days. Ask the secretariat or your head of delegation to invite you again.",
  "invite.gone.usedTitle": "This invitation has already been used",
  "invite.gone.used": "Each invitation link works once. If you created your account with it, sign in.",
  "invite.gone.revokedTitle": "This invitation was withdrawn",
  "invite.gone.revoked":
    "The person who invited you withdrew this invitation. Ask the secretariat or your head of delegation if you think this is a mistake.",
  "invite.gone.unknownTitle": "Invitation not found",
  "invite.gone.unknown":
    "There is no invitation at this address. Check that you copied the whole link, or ask for a new invitation.",
  "invite.gone.signIn": "Go to sign-in",
  "invite.mail.subject": "Your invitation to Accord",
  "invite.mail.body": "You are invited to Accord. Choose your name and password here (valid for {days, plural, one {# day} other {# days}}, once): {link}",
} as const;
