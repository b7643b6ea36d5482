import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { passRetryAfter } from "~/utils/retry-after";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { FormAlert, FormField } from "~/components/form-field";
import { PasskeySignIn } from "~/components/passkey-sign-in";
import { t } from "../../i18n/translate";
import { fields, formAction, FormRejection, parseForm } from "~/utils/forms.server";
import { errorsOf, valuesOf } from "~/utils/forms";
import { safeRedirectPath } from "~/utils/safe-redirect";
import { readCookie, sessionCookie } from "../../server/auth/cookie";
import { DEVICE_COOKIE, deviceCookie } from "../../server/auth/known-devices";
import { MAX_PASSWORD_LENGTH } from "../../server/auth/password";
import { pendingCookie } from "../../server/auth/pending-sign-ins";
import { signIn } from "../../server/auth/sign-in";

export const meta: MetaFunction = () => [{ title: `${t("signIn.title")} — ${t("app.name")}` }];

// A throttled sign-in says when to try again.
export const headers = passRetryAfter;

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.session) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), "/drafts"));
  return null;
}

const SignInForm = z.object({
  email: fields.email(),
  password: fields.password(1, MAX_PASSWORD_LENGTH),
  redirectTo: z.string().optional(),
});

export const action = formAction(async ({ request, context }) => {
  const input = await parseForm(request, SignInForm);
  const deviceToken = readCookie(request.headers.get("Cookie") ?? undefined, DEVICE_COOKIE);
  const result = await signIn({ email: input.email, password: input.password, address: context.clientAddress, deviceToken, browserLanguage: context.language });
  if (result.ok) {
    // The device cookie lets this browser sign in to the account while strangers are throttled.
    const headers = new Headers();
    headers.append("Set-Cookie", sessionCookie(result.token, result.expiresAt, context.secureCookies));
    headers.append("Set-Cookie", deviceCookie(result.deviceToken, context.secureCookies));
    throw redirect(safeRedirectPath(input.redirectTo, "/drafts"), { headers });
  }
  if (result.reason === "second-factor") {
    const to = safeRedirectPath(input.redirectTo, "");
    throw redirect(`/login/second-factor${to ? `?redirectTo=${encodeURIComponent(to)}` : ""}`, {
      headers: { "Set-Cookie": pendingCookie(result.pendingToken, context.secureCookies) },
    });
  }
  if (result.reason === "throttled") {
    const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
    throw new FormRejection({ form: t("signIn.throttled", { minutes }) }, { email: input.email }, 429, {
      "Retry-After": String(result.retryAfterSeconds),
    });
  }
  throw new FormRejection({ form: t("signIn.invalid") }, { email: input.email }, 401);
});

export default function SignIn() {
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const password = useRef<HTMLInputElement>(null);
  // After a refusal the password is cleared and focused, ready for another try.
  useEffect(() => {
    if (!actionData || !password.current) return;
    password.current.value = "";
    password.current.focus();
  }, [actionData]);
  return (
    <div className="page--narrow">
      <h1>{t("signIn.title")}</h1>
      <div className="panel">
        <FormAlert message={errors.form} />
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="redirectTo" value={safeRedirectPath(params.get("redirectTo"), "")} />
          <FormField
            label={t("signIn.email")}
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={values.email}
            error={errors.email}
          />
          <FormField
            label={t("signIn.password")}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            ref={password}
            error={errors.password}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("signIn.submit")}
            </button>
          </div>
        </Form>
        <PasskeySignIn redirectTo={safeRedirectPath(params.get("redirectTo"), "")} />
      </div>
      <p className="muted">{t("signIn.help")}</p>
    </div>
  );
}
