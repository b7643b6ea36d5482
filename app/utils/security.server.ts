import { generateRecoveryCodes, remainingRecoveryCodes } from "../../server/auth/recovery-codes";
import type { SessionUser } from "../../server/auth/session";
import { recordFactorChange } from "../../server/domain/second-factor";

/**
 * Recovery codes for someone who has none left (setting up their first factor, or having used
 * them all): made now and answered once, to be shown once. Null when they still have some.
 */
export async function recoveryCodesIfNone(user: SessionUser): Promise<string[] | null> {
  if ((await remainingRecoveryCodes(user.id)) > 0) return null;
  const codes = await generateRecoveryCodes(user.id);
  await recordFactorChange(user, { kind: "recovery-codes-issued" });
  return codes;
}
