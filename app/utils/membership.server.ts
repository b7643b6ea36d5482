import { z } from "zod";
import { t } from "../../i18n/translate";
import { actsForDelegation, ROLES, type Role } from "../../server/auth/roles";
import { fields, formMessage } from "./forms.server";

/**
 * The form fields `role` and `delegation` (a delegation code, or "" for none), as used by
 * invitations and role changes; `delegation` arrives as a known code or null.
 */
export function membershipFields(delegationCodes: readonly string[]) {
  return {
    role: fields.choice(ROLES),
    delegation: z
      .string({ required_error: formMessage("form.required") })
      .trim()
      .refine((code) => code === "" || delegationCodes.includes(code), t("form.invalidChoice"))
      .transform((code) => (code === "" ? null : code)),
  };
}

/**
 * Flags `delegation` when it does not fit the role: heads and delegates act for a delegation,
 * the secretariat for none, observers either way (the database holds the same rule).
 */
export function checkMembership(input: { role: Role; delegation: string | null }, ctx: z.RefinementCtx): void {
  if (actsForDelegation(input.role) && input.delegation === null) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["delegation"], message: formMessage("membership.delegationRequired") });
  } else if (input.role === "secretariat" && input.delegation !== null) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["delegation"], message: formMessage("membership.secretariatHasNone") });
  }
}
