import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { registrationOptions, verifyRegistration } from "../../server/auth/passkeys";
import { markSecondFactor } from "../../server/auth/session";
import { mayChangeFactors } from "../../server/auth/step-up";
import { recordFactorChange } from "../../server/domain/second-factor";
import { apiError, apiJson, readApiInput } from "~/utils/api.server";
import { parseJson, relyingParty } from "~/utils/second-factor.server";
import { recoveryCodesIfNone } from "~/utils/security.server";

const Registration = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("options") }),
  z.object({
    intent: z.literal("register"),
    response: z.string().min(1).max(16_000),
    name: z.string().trim().min(1).max(80),
    passwordless: z.enum(["on", "off"]).optional(),
  }),
]);

const REFUSALS = {
  invalid: "security.passkey.invalid",
  expired: "security.passkey.expired",
  "too-many": "security.passkey.tooMany",
  "already-registered": "security.passkey.already",
  "not-verified-user": "security.passkey.notVerified",
} as const;

/**
 * `POST /account/security/passkeys`: adds a passkey to one's account. `intent=options` hands out
 * the challenge; `intent=register` stores the browser's answer under `name` (and, with
 * `passwordless=on`, lets it sign in alone). Someone who has a factor already confirms one first.
 * The first factor set up also brings the recovery codes, answered once.
 */
export async function action({ context, request }: ActionFunctionArgs) {
  const session = context.session;
  if (!session) throw apiError(401, t("api.signIn"));
  const { user } = session;
  const input = await readApiInput(request, Registration);
  if (!mayChangeFactors(session)) throw apiError(403, t("stepUp.required"));
  const rp = relyingParty(context);
  if (input.intent === "options") return apiJson({ options: await registrationOptions(user, rp) });
  const result = await verifyRegistration(user, rp, parseJson(input.response), { name: input.name, passwordless: input.passwordless === "on" });
  if (!result.ok) throw apiError(result.reason === "too-many" || result.reason === "already-registered" ? 409 : 400, t(REFUSALS[result.reason]));
  // Making the passkey proved the person holds it: a check of a second factor, now.
  await markSecondFactor(session.id);
  await recordFactorChange(user, { kind: "passkey-added", name: result.passkey.name, passwordless: result.passkey.passwordless });
  return apiJson({ passkey: { id: result.passkey.id, name: result.passkey.name }, recoveryCodes: await recoveryCodesIfNone(user) });
}
