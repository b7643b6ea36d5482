import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { FormAlert, FormField } from "~/components/form-field";
import { t } from "../../i18n/translate";
import { errorsOf } from "~/utils/forms";
import { formAction, FormRejection, parseForm } from "~/utils/forms.server";
import { answerWithPasskey, usePasskeySupport } from "~/utils/passkey-client";
import { safeRedirectPath } from "~/utils/safe-redirect";
import { proveSecondFactor, relyingParty } from "~/utils/second-factor.server";
import { pendingSignInOf, signedInHeaders } from "~/utils/sign-in.server";
import { countPasskeys } from "../../server/auth/passkeys";
import { clearedPendingCookie, endPendingSignIn } from "../../server/auth/pending-sign-ins";
import { hasTotp } from "../../server/auth/totp";

export const meta: MetaFunction = () => [{ title: `${t("signIn.secondStepTitle")} — ${t("app.name")}` }];

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ context, request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), "");
  if (context.session) throw redirect(redirectTo || "/drafts");
  const pending = await pendingSignInOf(request);
  if (!pending) throw redirect(`/login${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`);
  return { passkey: (await countPasskeys(pending.userId)) > 0, totp: await hasTotp(pending.userId), redirectTo };
}

const SecondStepForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("code"), code: z.string().trim().min(1).max(64), redirectTo: z.string().optional() }),
  z.object({ intent: z.literal("cancel") }),
]);

export const action = formAction(async ({ context, request }) => {
  const input = await parseForm(request, SecondStepForm);
  const pending = await pendingSignInOf(request);
  if (input.intent === "cancel") {
    if (pending) await endPendingSignIn(pending.id);
    throw redirect("/login", { headers: { "Set-Cookie": clearedPendingCookie(context.secureCookies) } });
  }
  if (!pending) throw new FormRejection({ form: t("secondFactor.signInLapsed") }, {}, 401);
  const proof = await proveSecondFactor(pending.userId, "sign-in", input, relyingParty(context));
  if (!proof.ok) {
    throw new FormRejection({ code: proof.message }, {}, proof.status, proof.retryAfterSeconds ? { "Retry-After": String(proof.retryAfterSeconds) } : {});
  }
  if (!(await endPendingSignIn(pending.id))) throw new FormRejection({ form: t("secondFactor.signInLapsed") }, {}, 401);
  const headers = await signedInHeaders(context, request, pending.userId, proof.method === "recovery" ? "password+recovery" : "password+totp");
  if (!headers) throw new FormRejection({ form: t("secondFactor.signInLapsed") }, {}, 401);
  // A recovery code spent: the security page says how many are left and offers a new factor.
  const to = proof.method === "recovery" ? "/account/security?recovered" : safeRedirectPath(input.redirectTo, "/drafts");
  throw redirect(to, { headers });
});

export default function SecondStep() {
  const { passkey, totp, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const busy = useNavigation().state === "submitting";
  const code = useRef<HTMLInputElement>(null);
  const supported = usePasskeySupport();
  const canUsePasskey = passkey && supported;
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  useEffect(() => {
    if (!actionData || !code.current) return;
    code.current.value = "";
    code.current.focus();
  }, [actionData]);
  const signWithPasskey = async () => {
    setPasskeyBusy(true);
    setPasskeyError(null);
    const answer = await answerWithPasskey<{ redirectTo: string }>("/login/passkey", { purpose: "sign-in", redirectTo });
    if (answer.ok) return window.location.assign(answer.data.redirectTo);
    setPasskeyBusy(false);
    setPasskeyError(answer.message);
  };
  return (
    <div className="page--narrow">
      <h1>{t("signIn.secondStepTitle")}</h1>
      <div className="panel stack">
        <p>{t(passkey && totp ? "signIn.secondStepBoth" : passkey ? "signIn.secondStepPasskey" : "signIn.secondStepCode")}</p>
        <FormAlert message={errors.form ?? passkeyError ?? undefined} />
        {canUsePasskey ? (
          <div>
            <button type="button" className="button" disabled={passkeyBusy} onClick={() => void signWithPasskey()}>
              {t("secondFactor.usePasskey")}
            </button>
          </div>
        ) : null}
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="code" />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <FormField
            ref={code}
            label={t("secondFactor.code")}
            hint={t("secondFactor.codeHint")}
            name="code"
            autoComplete="one-time-code"
            spellCheck={false}
            autoCapitalize="off"
            maxLength={40}
            required
            error={errors.code}
            autoFocus={!canUsePasskey}
          />
          <div>
            <button type="submit" className={canUsePasskey ? "button button--quiet" : "button"} disabled={busy}>
              {t("secondFactor.confirm")}
            </button>
          </div>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="cancel" />
          <button type="submit" className="button button--quiet button--small">
            {t("signIn.cancelSecondStep")}
          </button>
        </Form>
      </div>
      <p className="muted">{t("signIn.lostFactor")}</p>
    </div>
  );
}
