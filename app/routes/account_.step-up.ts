import type { ActionFunctionArgs } from "@remix-run/node";
import { t } from "../../i18n/translate";
import { authenticationOptions } from "../../server/auth/passkeys";
import { markSecondFactor } from "../../server/auth/session";
import { STEP_UP_WINDOW_MS } from "../../server/auth/step-up";
import { recordAudit } from "../../server/domain/audit";
import { apiError, apiJson, readApiInput } from "~/utils/api.server";
import { FactorAnswer, proveSecondFactor, refusedProof, relyingParty } from "~/utils/second-factor.server";

/**
 * `POST /account/step-up`: confirms a second factor for the session, for protected actions in the
 * next ten minutes. `intent=options` hands out a passkey challenge; `intent=passkey` (with the
 * browser's `response`) or `intent=code` (an authenticator or recovery `code`) answer it.
 */
export async function action({ context, request }: ActionFunctionArgs) {
  const session = context.session;
  if (!session) throw apiError(401, t("api.signIn"));
  const { user } = session;
  const input = await readApiInput(request, FactorAnswer);
  if (!user.secondFactor.enrolled) throw apiError(409, t("secondFactor.noneYet"));
  const rp = relyingParty(context);
  if (input.intent === "options") {
    if (!user.secondFactor.passkey) throw apiError(409, t("secondFactor.noPasskey"));
    return apiJson({ options: await authenticationOptions("step-up", user.id, rp) });
  }
  const proof = await proveSecondFactor(user.id, "step-up", input, rp);
  if (!proof.ok) throw refusedProof(proof);
  const at = await markSecondFactor(session.id);
  await recordAudit({ actor: user, action: "second-factor.confirmed", target: { type: "user", id: user.id }, details: { method: proof.method } });
  return apiJson({ validUntil: new Date(at.getTime() + STEP_UP_WINDOW_MS).toISOString(), method: proof.method });
}
