import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/connection";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { setFactorSecret } from "./factor-key";
import {
  generateRecoveryCodes,
  RECOVERY_CODE_COUNT,
  remainingRecoveryCodes,
  removeRecoveryCodes,
  // Under another name: the React hooks lint rule takes any `use…` call in a loop for a hook's.
  spendRecoveryCode,
} from "./recovery-codes";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
  setFactorSecret("test-secret-recovery-codes");
});
afterAll(async () => {
  await db.close();
});

describe("recovery codes", () => {
  it("hands out ten distinct codes of 80 bits, as xxxx-xxxx-xxxx-xxxx", async () => {
    const user = await buildUser();
    const codes = await generateRecoveryCodes(user.id);
    expect(RECOVERY_CODE_COUNT).toBe(10);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    expect(await remainingRecoveryCodes(user.id)).toBe(10);
  });

  it("stores the SHA-256 of each code, never the code", async () => {
    const user = await buildUser();
    const codes = await generateRecoveryCodes(user.id);
    const rows = await db.sql<{ code_hash: string }[]>`SELECT code_hash FROM recovery_codes WHERE user_id = ${user.id}`;
    const stored = rows.map((row) => row.code_hash).sort();
    const expected = codes.map((code) => createHash("sha256").update(code.replace(/-/g, "")).digest("hex")).sort();
    expect(stored).toEqual(expected);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace(/-/g, ""));
    }
  });

  it("accepts each code once, and counts those left", async () => {
    const user = await buildUser();
    const [first, second] = await generateRecoveryCodes(user.id);
    if (!first || !second) throw new Error("expected codes");
    expect(await spendRecoveryCode(user.id, first)).toBe(true);
    expect(await spendRecoveryCode(user.id, first)).toBe(false);
    expect(await remainingRecoveryCodes(user.id)).toBe(9);
    expect(await spendRecoveryCode(user.id, second)).toBe(true);
    expect(await remainingRecoveryCodes(user.id)).toBe(8);
  });

  it("takes a code typed in capitals, with spaces or without its hyphens", async () => {
    const user = await buildUser();
    const [a, b, c] = await generateRecoveryCodes(user.id);
    if (!a || !b || !c) throw new Error("expected codes");
    expect(await spendRecoveryCode(user.id, a.toUpperCase())).toBe(true);
    expect(await spendRecoveryCode(user.id, ` ${b.replace(/-/g, " ")} `)).toBe(true);
    expect(await spendRecoveryCode(user.id, c.replace(/-/g, ""))).toBe(true);
    expect(await remainingRecoveryCodes(user.id)).toBe(7);
  });

  it("accepts no one else's code and nothing that is not a code", async () => {
    const owner = await buildUser();
    const other = await buildUser();
    const [code] = await generateRecoveryCodes(owner.id);
    await generateRecoveryCodes(other.id);
    if (!code) throw new Error("expected a code");
    expect(await spendRecoveryCode(other.id, code)).toBe(false);
    for (const typed of ["", "123456", code.slice(0, -1), `${code}a`, code.replace(/[a-z]/, "1")]) {
      expect(await spendRecoveryCode(owner.id, typed)).toBe(false);
    }
    expect(await remainingRecoveryCodes(owner.id)).toBe(10);
  });

  it("accepts one of two simultaneous uses of a code", async () => {
    const user = await buildUser();
    const [code] = await generateRecoveryCodes(user.id);
    if (!code) throw new Error("expected a code");
    const results = await Promise.all([spendRecoveryCode(user.id, code), spendRecoveryCode(user.id, code)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("makes the old codes worthless when new ones are handed out", async () => {
    const user = await buildUser();
    const old = await generateRecoveryCodes(user.id);
    await spendRecoveryCode(user.id, old[0] ?? "");
    const fresh = await generateRecoveryCodes(user.id);
    expect(fresh.some((code) => old.includes(code))).toBe(false);
    expect(await remainingRecoveryCodes(user.id)).toBe(10);
    expect(await spendRecoveryCode(user.id, old[1] ?? "")).toBe(false);
    expect(await spendRecoveryCode(user.id, fresh[0] ?? "")).toBe(true);
    const [rows] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = ${user.id}`;
    expect(rows?.n).toBe(10);
  });

  it("hands out codes inside the caller's transaction, and removes them all", async () => {
    const user = await buildUser();
    await db.sql
      .begin(async (tx) => {
        await generateRecoveryCodes(user.id, tx);
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    expect(await remainingRecoveryCodes(user.id)).toBe(0);
    const codes = await generateRecoveryCodes(user.id);
    await removeRecoveryCodes(user.id);
    expect(await remainingRecoveryCodes(user.id)).toBe(0);
    expect(await spendRecoveryCode(user.id, codes[0] ?? "")).toBe(false);
  });
});
