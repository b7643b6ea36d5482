import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { passRetryAfter } from "~/utils/retry-after";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { SecondFactorForm } from "~/components/second-factor-form";
import { t } from "../../i18n/translate";
import { errorsOf } from "~/utils/forms";
import { formAction, FormRejection, parseForm } from "~/utils/forms.server";
import { safeRedirectPath } from "~/utils/safe-redirect";
import { proveSecondFactor, relyingParty } from "~/utils/second-factor.server";
import { pendingSignInOf, signedInHeaders } from "~/utils/sign-in.server";
import { countPasskeys } from "../../server/auth/passkeys";
import { clearedPendingCookie, endPendingSignIn } from "../../server/auth/pending-sign-ins";
import { hasTotp } from "../../server/auth/totp";

export const meta: MetaFunction = () => [{ title: `${t("signIn.secondStepTitle")} — ${t("app.name")}` }];

export const headers = passRetryAfter;

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
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page--narrow">
      <h1>{t("signIn.secondStepTitle")}</h1>
      <div className="panel stack">
        <p>{t(passkey && totp ? "signIn.secondStepBoth" : passkey ? "signIn.secondStepPasskey" : "signIn.secondStepCode")}</p>
        <SecondFactorForm
          passkey={passkey}
          passkeyUrl="/login/passkey"
          passkeyFields={{ purpose: "sign-in", redirectTo }}
          after="/drafts"
          hidden={{ intent: "code", redirectTo }}
          errors={errorsOf(actionData)}
          answer={actionData}
          busy={busy}
        />
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
