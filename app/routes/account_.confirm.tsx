import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { passRetryAfter } from "~/utils/retry-after";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { SecondFactorForm } from "~/components/second-factor-form";
import { STEP_UP_URL } from "~/components/step-up";
import { t } from "../../i18n/translate";
import { errorsOf } from "~/utils/forms";
import { formAction, FormRejection, parseForm } from "~/utils/forms.server";
import { safeRedirectPath } from "~/utils/safe-redirect";
import { proveSecondFactor, relyingParty } from "~/utils/second-factor.server";
import { requireSession } from "~/utils/session.server";
import { markSecondFactor } from "../../server/auth/session";
import { recordAudit } from "../../server/domain/audit";

export const meta: MetaFunction = () => [{ title: `${t("stepUp.title")} — ${t("app.name")}` }];

export const headers = passRetryAfter;

// Where a protected download (or a page without scripts) sends someone to confirm their second
// factor, and back.
export async function loader({ context, request }: LoaderFunctionArgs) {
  const session = requireSession(context, request);
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), "/account/security");
  if (!session.user.secondFactor.enrolled) throw redirect("/account/security");
  return { passkey: session.user.secondFactor.passkey, redirectTo };
}

const Confirm = z.object({ code: z.string().trim().min(1).max(64), redirectTo: z.string().optional() });

export const action = formAction(async ({ context, request }) => {
  const session = requireSession(context, request);
  const input = await parseForm(request, Confirm);
  const proof = await proveSecondFactor(session.user.id, "step-up", { intent: "code", code: input.code }, relyingParty(context));
  if (!proof.ok) throw new FormRejection({ code: proof.message }, {}, proof.status, proof.retryAfterSeconds ? { "Retry-After": String(proof.retryAfterSeconds) } : {});
  await markSecondFactor(session.id);
  await recordAudit({ actor: session.user, action: "second-factor.confirmed", target: { type: "user", id: session.user.id }, details: { method: proof.method } });
  // A full page load: the way back may be a download.
  throw redirect(safeRedirectPath(input.redirectTo, "/account/security"), { headers: { "X-Remix-Reload-Document": "true" } });
});

export default function ConfirmSecondFactor() {
  const { passkey, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page--narrow">
      <h1>{t("stepUp.title")}</h1>
      <div className="panel stack">
        <p>{t("stepUp.text", { minutes: 10 })}</p>
        <SecondFactorForm
          passkey={passkey}
          passkeyUrl={STEP_UP_URL}
          after={redirectTo}
          hidden={{ redirectTo }}
          errors={errorsOf(actionData)}
          answer={actionData}
          busy={busy}
          reloadDocument
        />
      </div>
    </div>
  );
}
