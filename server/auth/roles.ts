/** The roles a person can hold; see DESIGN.md. */
export const ROLES = ["secretariat", "head", "delegate", "observer"] as const;
export type Role = (typeof ROLES)[number];

/** Whether a role acts for a delegation (and so must belong to one). */
export function actsForDelegation(role: Role): boolean {
  return role === "head" || role === "delegate";
}
