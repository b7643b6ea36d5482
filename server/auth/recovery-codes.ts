import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import { hashToken } from "./tokens";

/** How many recovery codes a person is given at a time. */
export const RECOVERY_CODE_COUNT = 10;
/** 80 random bits: sixteen base32 characters. */
const CODE_BYTES = 10;

/**
 * Gives the person ten new recovery codes, replacing all their codes, used or not, and returns
 * them as they are to be shown (`xxxx-xxxx-xxxx-xxxx`): only their hashes are kept.
 */
export async function generateRecoveryCodes(userId: string, db: Queryable = sql()): Promise<string[]> {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) {
    codes.add(encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(CODE_BYTES))));
  }
  const hashes = [...codes].map((code) => hashToken(code));
  // One statement, so that even outside a transaction the old codes never outlive the new ones'
  // arrival, nor is the person ever left with none.
  await db`
    WITH removed AS (DELETE FROM recovery_codes WHERE user_id = ${userId})
    INSERT INTO recovery_codes (user_id, code_hash) SELECT ${userId}, unnest(${hashes}::text[])`;
  return [...codes].map((code) => code.replace(/(.{4})(?=.)/g, "$1-"));
}

/**
 * Uses up one of the person's recovery codes, typed in any case, with or without its hyphens and
 * spaces; whether it was one they had and had not used. Not throttled: the caller is.
 */
export async function spendRecoveryCode(userId: string, code: string): Promise<boolean> {
  const normalised = code.toLowerCase().replace(/[\s-]+/g, "");
  if (!/^[a-z2-7]{16}$/.test(normalised)) return false;
  // Checked and spent in one statement: the same code sent twice at once is accepted once.
  const used = await sql()`
    UPDATE recovery_codes SET used_at = now()
    WHERE user_id = ${userId} AND code_hash = ${hashToken(normalised)} AND used_at IS NULL
    RETURNING code_hash`;
  return used.length > 0;
}

/** How many of the person's recovery codes are still unused. */
export async function remainingRecoveryCodes(userId: string): Promise<number> {
  const [row] = await sql()<{ remaining: number }[]>`
    SELECT count(*)::int AS remaining FROM recovery_codes WHERE user_id = ${userId} AND used_at IS NULL`;
  return row?.remaining ?? 0;
}

/** Removes all the person's recovery codes. */
export async function removeRecoveryCodes(userId: string, db: Queryable = sql()): Promise<void> {
  await db`DELETE FROM recovery_codes WHERE user_id = ${userId}`;
}
