import { clearFailures, reserveAttempt } from "./throttle";
// Under another name: the React hooks lint rule takes any `use…` call for a hook's.
import { spendRecoveryCode } from "./recovery-codes";
import { acceptTotpCode, normaliseTotpCode, secondFactorThrottleKey } from "./totp";

/** What a second-factor code came to, and which kind of code it was when good. */
export type SecondFactorCheck =
  | { ok: true; method: "totp" | "recovery" }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** Longer than any code we hand out, with room for spaces: longer input is not even looked at. */
const MAX_CODE_LENGTH = 64;

/**
 * Checks a code typed as a second factor: six digits as the person's authenticator app's code,
 * anything else as one of their recovery codes (used up if good). The attempt is reserved on the
 * person's second-factor budget before anything is checked, so parallel guesses cannot outrun it.
 */
export async function checkSecondFactorCode(userId: string, code: string, now: Date = new Date()): Promise<SecondFactorCheck> {
  const throttle = secondFactorThrottleKey(userId);
  const reservation = await reserveAttempt([throttle]);
  if (!reservation.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: reservation.retryAfterSeconds };
  if (code.length > MAX_CODE_LENGTH) return { ok: false, reason: "invalid" };
  const method = normaliseTotpCode(code) ? "totp" : "recovery";
  const ok = method === "totp" ? await acceptTotpCode(userId, code, now) : await spendRecoveryCode(userId, code);
  if (!ok) return { ok: false, reason: "invalid" };
  await clearFailures([throttle]);
  return { ok: true, method };
}
