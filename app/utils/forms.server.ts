import { data, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { t, type MessageKey, type MessageParams } from "../../i18n/translate";
import { BodyRefused, MAX_BODY_BYTES, readBoundedText } from "../../server/http/body";
import type { FieldErrors, FormFailure } from "./forms";

// A validation message names its catalogue key and parameters, and is translated when a form is
// answered: schemas are built once, at start-up, and must not freeze the language of that moment.
const DEFERRED = "\u0000t:";

/** A validation message for a schema, translated into the language of the request it refuses. */
export function formMessage(key: MessageKey, params: MessageParams = {}): string {
  return `${DEFERRED}${JSON.stringify([key, params])}`;
}

/** What a validation issue says, in the language of the request. */
export function issueMessage(issue: { message: string }): string {
  if (!issue.message.startsWith(DEFERRED)) return issue.message;
  const [key, params] = JSON.parse(issue.message.slice(DEFERRED.length)) as [MessageKey, MessageParams];
  return t(key, params);
}

/** The largest form body accepted. */
export const MAX_FORM_BYTES = MAX_BODY_BYTES;

/** A form that cannot be accepted; `formAction` answers it with 400 and the field errors. */
export class FormRejection extends Error {
  constructor(
    readonly errors: FieldErrors,
    readonly values: Record<string, string> = {},
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super("The form was rejected.");
  }
}

/**
 * Reads a form post (bounded in size) and validates it with `schema`. On failure throws a
 * FormRejection, which `formAction` turns into a 400 the page shows next to the fields.
 */
export async function parseForm<S extends z.ZodTypeAny>(request: Request, schema: S): Promise<z.infer<S>> {
  const values = await readFormValues(request);
  const result = schema.safeParse(values);
  if (result.success) return result.data as z.infer<S>;
  throw new FormRejection(fieldErrors(result.error), publicValues(values));
}

/** The `intent` field of a form post, read without consuming the request (for actions that dispatch on it). */
export async function formIntent(request: Request): Promise<string> {
  try {
    // The copy is read through the same bound, so the original never buffers more than the limit.
    const intent = (await readFormValues(request.clone())).intent;
    return typeof intent === "string" ? intent : "";
  } catch {
    // Not a form, or too large: the action's own parsing answers it.
    return "";
  }
}

/** Wraps an action so that a FormRejection thrown inside answers with its status and field errors. */
export function formAction<T>(handler: (args: ActionFunctionArgs) => Promise<T>) {
  return async (args: ActionFunctionArgs) => {
    try {
      return await handler(args);
    } catch (error) {
      if (!(error instanceof FormRejection)) throw error;
      return data<FormFailure>(
        { errors: error.errors, values: error.values },
        { status: error.status, headers: error.headers },
      );
    }
  };
}

async function readFormValues(request: Request): Promise<Record<string, string>> {
  const text = await readFormText(request);
  const type = request.headers.get("content-type") ?? "";
  let params: URLSearchParams;
  if (type.startsWith("application/x-www-form-urlencoded")) {
    params = new URLSearchParams(text);
  } else if (type.startsWith("multipart/form-data")) {
    const form = await new Request("http://form.local", { method: "POST", headers: { "content-type": type }, body: text }).formData();
    params = new URLSearchParams();
    for (const [name, value] of form) if (typeof value === "string") params.append(name, value);
  } else {
    throw new FormRejection({ form: t("form.tooLarge") });
  }
  const values: Record<string, string> = {};
  for (const [name, value] of params) values[name] = value;
  return values;
}

// Over the limit the answer is 413 with the form's own message; the HTTP server closes the
// connection because the body was not read to its end.
async function readFormText(request: Request): Promise<string> {
  try {
    return await readBoundedText(request, MAX_FORM_BYTES);
  } catch (error) {
    if (!(error instanceof BodyRefused)) throw error;
    throw new FormRejection({ form: t("form.tooLarge") }, {}, error.reason === "too-large" ? 413 : 400, { Connection: "close" });
  }
}

// Passwords are never sent back to the page.
function publicValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => !/password/i.test(name)));
}

function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issueMessage(issue);
  }
  return errors;
}

/** Zod helpers whose messages come from the translation layer. */
export const fields = {
  text: (max: number, min = 1) =>
    z
      .string({ required_error: formMessage("form.required") })
      .trim()
      .min(min, min <= 1 ? formMessage("form.required") : formMessage("form.tooShort", { min }))
      .max(max, formMessage("form.tooLong", { max })),
  email: () =>
    z
      .string({ required_error: formMessage("form.required") })
      .trim()
      .min(1, formMessage("form.required"))
      .max(254, formMessage("form.tooLong", { max: 254 }))
      .email(formMessage("form.invalidEmail")),
  password: (min: number, max: number) =>
    z
      .string({ required_error: formMessage("form.required") })
      .min(min, min <= 1 ? formMessage("form.required") : formMessage("form.tooShort", { min }))
      .max(max, formMessage("form.tooLong", { max })),
  choice: <T extends readonly [string, ...string[]]>(options: T) =>
    z.enum(options, { errorMap: () => ({ message: formMessage("form.invalidChoice") }) }),
  message: (key: MessageKey, params?: MessageParams) => formMessage(key, params),
};
