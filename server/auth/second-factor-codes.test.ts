import { createHmac } from "node:crypto";
import { decodeBase32 } from "@oslojs/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/connection";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { setFactorSecret } from "./factor-key";
import { generateRecoveryCodes, remainingRecoveryCodes } from "./recovery-codes";
import { checkSecondFactorCode } from "./second-factor-codes";
import { LIMITS } from "./throttle";
import { confirmTotpEnrolment, startTotpEnrolment } from "./totp";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
  setFactorSecret("test-secret-second-factor-codes");
});
afterAll(async () => {
  await db.close();
});

// RFC 6238 with SHA-1, six digits and 30 s steps, from node's HMAC: apart from the code under test.
function totpAt(key: Uint8Array, at: Date): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 30_000)));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

const start = new Date(Date.UTC(2030, 0, 1, 0, 0, 15));
const after = (steps: number) => new Date(start.getTime() + steps * 30_000);

// A person with an authenticator app in use (set up at `start`) and ten recovery codes.
async function protectedUser() {
  const user = await buildUser();
  const key = decodeBase32((await startTotpEnrolment(user, start)).secret.replace(/ /g, ""));
  expect(await confirmTotpEnrolment(user.id, totpAt(key, start), start)).toEqual({ ok: true });
  const recoveryCodes = await generateRecoveryCodes(user.id);
  return { user, key, recoveryCodes };
}

const LIMIT = LIMITS["second-factor"];

describe("second-factor codes", () => {
  it("takes six digits as the authenticator app's code, once", async () => {
    const { user, key } = await protectedUser();
    const code = totpAt(key, after(2));
    expect(await checkSecondFactorCode(user.id, code, after(2))).toEqual({ ok: true, method: "totp" });
    expect(await checkSecondFactorCode(user.id, code, after(2))).toEqual({ ok: false, reason: "invalid" });
    expect(await checkSecondFactorCode(user.id, `${code.slice(0, 3)} ${code.slice(3)}`, after(3))).toEqual({ ok: false, reason: "invalid" });
    const next = totpAt(key, after(3));
    expect(await checkSecondFactorCode(user.id, `${next.slice(0, 3)} ${next.slice(3)}`, after(3))).toEqual({ ok: true, method: "totp" });
  });

  it("takes anything else as a recovery code, and uses it up", async () => {
    const { user, recoveryCodes } = await protectedUser();
    const code = recoveryCodes[0] ?? "";
    expect(await checkSecondFactorCode(user.id, code.toUpperCase(), after(2))).toEqual({ ok: true, method: "recovery" });
    expect(await checkSecondFactorCode(user.id, code, after(2))).toEqual({ ok: false, reason: "invalid" });
    expect(await remainingRecoveryCodes(user.id)).toBe(9);
  });

  it("refuses an authenticator code from a person without an app in use", async () => {
    const user = await buildUser();
    const key = decodeBase32((await startTotpEnrolment(user, start)).secret.replace(/ /g, ""));
    // Being set up is not in use.
    expect(await checkSecondFactorCode(user.id, totpAt(key, start), start)).toEqual({ ok: false, reason: "invalid" });
  });

  it(`refuses the attempt after ${LIMIT} wrong codes, even with a right code, and checks nothing`, async () => {
    const { user, key, recoveryCodes } = await protectedUser();
    const wrong = ["000000", "abcd-efgh-ijkl-mnop", "x".repeat(65)];
    for (let i = 0; i < LIMIT; i += 1) {
      expect(await checkSecondFactorCode(user.id, wrong[i % wrong.length] ?? "", after(2))).toEqual({ ok: false, reason: "invalid" });
    }
    const totp = await checkSecondFactorCode(user.id, totpAt(key, after(2)), after(2));
    if (totp.ok || totp.reason !== "throttled") throw new Error(`expected throttling, got ${JSON.stringify(totp)}`);
    expect(totp.retryAfterSeconds).toBeGreaterThan(0);
    const recovery = await checkSecondFactorCode(user.id, recoveryCodes[0] ?? "", after(2));
    expect(recovery).toMatchObject({ ok: false, reason: "throttled" });
    // Refused unchecked: the recovery code is still there to use once the block ends.
    expect(await remainingRecoveryCodes(user.id)).toBe(10);
    // Another person's budget is their own.
    const other = await protectedUser();
    expect(await checkSecondFactorCode(other.user.id, totpAt(other.key, after(2)), after(2))).toEqual({ ok: true, method: "totp" });
  });

  it("forgets the wrong codes once a right one is given", async () => {
    const { user, key } = await protectedUser();
    for (let i = 0; i < LIMIT - 1; i += 1) {
      expect(await checkSecondFactorCode(user.id, "000000", after(2))).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await checkSecondFactorCode(user.id, totpAt(key, after(2)), after(2))).toEqual({ ok: true, method: "totp" });
    for (let i = 0; i < LIMIT; i += 1) {
      expect(await checkSecondFactorCode(user.id, "000000", after(3))).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await checkSecondFactorCode(user.id, totpAt(key, after(3)), after(3))).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("shares its budget with confirming a new app", async () => {
    const { user } = await protectedUser();
    for (let i = 0; i < LIMIT; i += 1) await checkSecondFactorCode(user.id, "000000", after(2));
    const key = decodeBase32((await startTotpEnrolment(user, after(2))).secret.replace(/ /g, ""));
    expect(await confirmTotpEnrolment(user.id, totpAt(key, after(2)), after(2))).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("accepts one of many simultaneous uses of one code", async () => {
    const { user, key, recoveryCodes } = await protectedUser();
    const totp = totpAt(key, after(2));
    const totps = await Promise.all(Array.from({ length: 4 }, () => checkSecondFactorCode(user.id, totp, after(2))));
    expect(totps.filter((result) => result.ok)).toHaveLength(1);
    const recovery = recoveryCodes[0] ?? "";
    const recoveries = await Promise.all(Array.from({ length: 4 }, () => checkSecondFactorCode(user.id, recovery, after(2))));
    expect(recoveries.filter((result) => result.ok)).toHaveLength(1);
  });
});
