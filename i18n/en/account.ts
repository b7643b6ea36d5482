/** Interface text of the account page. */
export const account = {
  "account.title": "Your account",
  "account.detailsTitle": "Details",
  "account.name": "Name",
  "account.email": "Email",
  "account.role": "Role",
  "account.delegation": "Delegation",
  "account.noDelegation": "None",
  "account.passwordTitle": "Change password",
  "account.passwordIntro": "Changing your password signs you out on every other device.",
  "account.currentPassword": "Current password",
  "account.newPassword": "New password",
  "account.newPasswordHint": "At least {min} characters.",
  "account.confirmPassword": "New password again",
  "account.passwordSubmit": "Change password",
  "account.wrongPassword": "This is not your current password.",
  "account.passwordMismatch": "The two new passwords are not the same.",
  "account.passwordChanged": "Your password has been changed. You have been signed out on every other device.",
  "account.sessionsTitle": "Sign out everywhere",
  "account.sessionsIntro":
    "If you signed in on a device you no longer use, or think someone else may have, end every session of your account, this one included.",
  "account.signOutEverywhere": "Sign out everywhere",
} as const;
