import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { authenticationOptions, verifyAuthentication } from "../../server/auth/passkeys";
import { endPendingSignIn } from "../../server/auth/pending-sign-ins";
import { recordAudit } from "../../server/domain/audit";
import { apiError, apiJson, readApiInput } from "~/utils/api.server";
import { safeRedirectPath } from "~/utils/safe-redirect";
import { parseJson, relyingParty } from "~/utils/second-factor.server";
import { pendingSignInOf, signedInHeaders } from "~/utils/sign-in.server";

const PasskeySignIn = z.object({
  // "sign-in": the second step after the password; "passwordless": a passkey alone.
  purpose: z.enum(["sign-in", "passwordless"]),
  intent: z.enum(["options", "passkey"]),
  response: z.string().max(16_000).optional(),
  redirectTo: z.string().max(2048).optional(),
});

/**
 * `POST /login/passkey`: signs in with a passkey, as the second step after the password
 * (`purpose=sign-in`, with the pending sign-in's cookie) or alone (`purpose=passwordless`, with a
 * passkey its owner allowed for that). `intent=options` hands out the challenge; `intent=passkey`
 * answers it, and on success sets the session's cookie and answers where to go.
 */
export async function action({ context, request }: ActionFunctionArgs) {
  const input = await readApiInput(request, PasskeySignIn);
  const rp = relyingParty(context);
  const pending = input.purpose === "sign-in" ? await pendingSignInOf(request) : null;
  if (input.purpose === "sign-in" && !pending) throw apiError(401, t("secondFactor.signInLapsed"));
  const userId = pending?.userId ?? null;
  if (input.intent === "options") return apiJson({ options: await authenticationOptions(input.purpose, userId, rp) });
  const verified = await verifyAuthentication(input.purpose, userId, rp, parseJson(input.response ?? ""));
  if (!verified.ok) {
    await recordAudit({ actor: null, action: "sign-in.failed", target: userId ? { type: "user", id: userId } : undefined, details: { address: context.clientAddress, method: "passkey" } });
    throw apiError(401, t("secondFactor.passkeyRefused"));
  }
  // A pending sign-in completes once: a second answer finds it gone.
  if (pending && !(await endPendingSignIn(pending.id))) throw apiError(401, t("secondFactor.signInLapsed"));
  const headers = await signedInHeaders(context, request, verified.userId, input.purpose === "sign-in" ? "password+passkey" : "passkey");
  if (!headers) throw apiError(401, t("secondFactor.passkeyRefused"));
  headers.set("Cache-Control", "private, no-store");
  return Response.json({ redirectTo: safeRedirectPath(input.redirectTo, "/drafts") }, { headers });
}
