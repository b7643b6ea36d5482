/** Interface text of a delegation's page and its invitations. */
export const delegation = {
  "delegation.colour": "Marked in shared drafts with the colour {colour}.",
  "delegation.membersTitle": "Members",
  "delegation.membersEmpty": "No one has joined this delegation yet.",
  "delegation.name": "Name",
  "delegation.role": "Role",
  "delegation.email": "Email",
  "delegation.inviteTitle": "Invite a delegate",
  "delegation.inviteIntro":
    "Enter the email of the person you want to invite as a delegate of {delegation}. You receive a single-use link to pass on to them; it is valid for {days, plural, one {# day} other {# days}}.",
  "delegation.inviteEmail": "Email",
  "delegation.inviteSubmit": "Create invitation",
  "delegation.invited": "Invitation created for {email}. Pass this link on to them; it works once and is valid for {days, plural, one {# day} other {# days}}.",
  "delegation.emailTaken": "An account with this email already exists.",

  // The partners' names, by delegation code (a delegation not named here shows its stored name).
  "delegationName.us": "United States of America",
  "delegationName.au": "Australia",
  "delegationName.ca": "Canada",
  "delegationName.dk": "Denmark",
  "delegationName.fr": "France",
  "delegationName.nl": "Netherlands",
  "delegationName.no": "Norway",
  "delegationName.uk": "United Kingdom",
  "delegationShortName.us": "United States",
  "delegationShortName.au": "Australia",
  "delegationShortName.ca": "Canada",
  "delegationShortName.dk": "Denmark",
  "delegationShortName.fr": "France",
  "delegationShortName.nl": "Netherlands",
  "delegationShortName.no": "Norway",
  "delegationShortName.uk": "United Kingdom",
} as const;
