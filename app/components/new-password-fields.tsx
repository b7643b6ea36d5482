import type { FieldErrors } from "~/utils/forms";
import { FormField } from "./form-field";

/** A new password and its confirmation, with the rules' hint: choosing and changing a password alike. */
export function NewPasswordFields(props: {
  name: string;
  label: string;
  confirmLabel: string;
  hint: string;
  minLength: number;
  errors: FieldErrors;
}) {
  return (
    <>
      <FormField
        label={props.label}
        name={props.name}
        type="password"
        autoComplete="new-password"
        required
        minLength={props.minLength}
        hint={props.hint}
        error={props.errors[props.name]}
      />
      <FormField
        label={props.confirmLabel}
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        error={props.errors.confirmPassword}
      />
    </>
  );
}
