import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { relyingPartyFor, verifyAuthentication, type RelyingParty } from "../../server/auth/passkeys";
import { checkSecondFactorCode } from "../../server/auth/second-factor-codes";
import { apiError } from "./api.server";

/** The relying party of a request: the origin the person used (one of ours: the server checked). */
export function relyingParty(context: AppLoadContext): RelyingParty {
  return relyingPartyFor(context.origin);
}

// A passkey's answer is a few hundred bytes of JSON; a code is short. Anything longer is refused
// before it is parsed.
const MAX_RESPONSE_CHARS = 16_000;

/** What the second-factor endpoints accept: a challenge to ask for, a passkey's answer, or a code. */
export const FactorAnswer = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("options") }),
  z.object({ intent: z.literal("passkey"), response: z.string().min(1).max(MAX_RESPONSE_CHARS) }),
  z.object({ intent: z.literal("code"), code: z.string().trim().min(1).max(64) }),
]);
export type FactorAnswer = z.infer<typeof FactorAnswer>;

/** How a second factor was given, when it was accepted. */
export type FactorProof = { ok: true; method: "passkey" | "totp" | "recovery" } | { ok: false; status: number; message: string; retryAfterSeconds?: number };

/**
 * Checks a passkey's answer (to a challenge of `purpose`) or a typed code for `userId`. Codes are
 * throttled per account like passwords; a passkey's answer needs its one-time challenge.
 */
export async function proveSecondFactor(
  userId: string,
  purpose: "sign-in" | "step-up",
  answer: Exclude<FactorAnswer, { intent: "options" }>,
  rp: RelyingParty,
): Promise<FactorProof> {
  if (answer.intent === "passkey") {
    const verified = await verifyAuthentication(purpose, userId, rp, parseJson(answer.response));
    return verified.ok ? { ok: true, method: "passkey" } : { ok: false, status: 401, message: t("secondFactor.passkeyRefused") };
  }
  const checked = await checkSecondFactorCode(userId, answer.code);
  if (checked.ok) return { ok: true, method: checked.method };
  if (checked.reason === "throttled") {
    const minutes = Math.max(1, Math.ceil(checked.retryAfterSeconds / 60));
    return { ok: false, status: 429, message: t("secondFactor.throttled", { minutes }), retryAfterSeconds: checked.retryAfterSeconds };
  }
  return { ok: false, status: 401, message: t("secondFactor.codeRefused") };
}

/** A refused proof as the JSON endpoints answer it (with Retry-After when throttled). */
export function refusedProof(proof: Extract<FactorProof, { ok: false }>): Response {
  const answer = apiError(proof.status, proof.message);
  if (proof.retryAfterSeconds) answer.headers.set("Retry-After", String(proof.retryAfterSeconds));
  return answer;
}

/** A browser's answer as sent (JSON text), parsed; null when it is not JSON, for the checks to refuse. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
