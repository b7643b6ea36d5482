/** Field errors by field name, as the forms show them; `form` holds an error about the whole form. */
export type FieldErrors = Record<string, string>;

/** What an action answers when a form is wrong: its errors, and the values to show again. */
export interface FormFailure {
  errors: FieldErrors;
  values: Record<string, string>;
}

/** The field errors in an action's answer, if it was a rejection. */
export function errorsOf(actionData: unknown): FieldErrors {
  if (actionData && typeof actionData === "object" && "errors" in actionData) return actionData.errors as FieldErrors;
  return {};
}

/** The submitted values in an action's answer, to fill the form again. */
export function valuesOf(actionData: unknown): Record<string, string> {
  if (actionData && typeof actionData === "object" && "values" in actionData) {
    return actionData.values as Record<string, string>;
  }
  return {};
}
