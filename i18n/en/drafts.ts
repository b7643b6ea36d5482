/** Interface text of the drafts dashboard, a draft's page and the drafts API. */
export const drafts = {
  "drafts.title": "Drafts",
  "drafts.welcome": "Welcome, {name}.",
  "drafts.roleAndDelegation": "{role} · {delegation}",
  "drafts.listTitle": "Drafts you can read",
  "drafts.empty": "There are no drafts yet.",
  "drafts.updated": "Last updated",
  "drafts.newTitle": "New draft",
  "drafts.newIntro": "The draft's address is made from its title.",
  "drafts.titleLabel": "Title",
  "drafts.titleHint": "Up to {max, plural, one {# character} other {# characters}}.",
  "drafts.create": "Create draft",
  "drafts.apiSignIn": "Sign in to list drafts.",

  "draft.backToList": "All drafts",
  "draft.slug": "Address",
  "draft.created": "Created",
  "draft.updated": "Last updated",
  "draft.editingClosed": "Editing is closed: the round has ended and the text is read-only.",
  "draft.editingClosedInPhase": "Editing is closed while the draft is in {phase}.",
  "draft.observerReadOnly": "Observers read drafts and follow changes as they happen; only delegations and the secretariat edit.",
} as const;
