import { createHmac } from "node:crypto";
import { decodeBase32 } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/connection";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { sealSecret, setFactorSecret } from "./factor-key";
import { qrSvg } from "./qr";
import { LIMITS } from "./throttle";
import {
  acceptTotpCode,
  confirmTotpEnrolment,
  hasTotp,
  pendingTotpEnrolment,
  removeTotp,
  startTotpEnrolment,
} from "./totp";

const FACTOR_SECRET = "test-secret-totp";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
  setFactorSecret(FACTOR_SECRET);
});
afterAll(async () => {
  await db.close();
});

// HOTP written out from RFC 4226 (section 5.3) with node's HMAC, apart from the library under test.
function referenceHotp(key: Uint8Array, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

const STEP_MS = 30_000;
const stepOf = (at: Date) => Math.floor(at.getTime() / STEP_MS);
/** The code an app holding `key` shows `steps` steps after the step of `at`. */
const codeAt = (key: Uint8Array, at: Date, steps = 0) => referenceHotp(key, stepOf(at) + steps, 6);
/** Some moment in the middle of a step, `minutes` after a fixed start, so that tests do not meet. */
const moment = (minutes: number) => new Date(Date.UTC(2030, 0, 1) + minutes * 60_000 + 15_000);

const RFC_KEY = new TextEncoder().encode("12345678901234567890");

// Sets up and confirms an app for a new person at `at`; the app's key.
async function enrolled(at: Date) {
  const user = await buildUser();
  const started = await startTotpEnrolment(user, at);
  const key = keyOf(started.secret);
  expect(await confirmTotpEnrolment(user.id, codeAt(key, at), at)).toEqual({ ok: true });
  return { user, key };
}

function keyOf(secret: string): Uint8Array {
  return decodeBase32(secret.replace(/ /g, ""));
}

describe("the one-time code algorithm", () => {
  it("gives the RFC 4226 and RFC 6238 test vectors, here and in the library", () => {
    const rfc4226 = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    rfc4226.forEach((code, counter) => {
      expect(referenceHotp(RFC_KEY, counter, 6)).toBe(code);
      expect(generateHOTP(RFC_KEY, BigInt(counter), 6)).toBe(code);
    });
    // RFC 6238, SHA-1, T = 59 s: step 1.
    expect(referenceHotp(RFC_KEY, Math.floor(59 / 30), 8)).toBe("94287082");
    expect(generateHOTP(RFC_KEY, 1n, 8)).toBe("94287082");
  });

  it("accepts the RFC 6238 code at T = 59 s from a key stored sealed", async () => {
    const user = await buildUser();
    await db.sql`INSERT INTO totp_keys (user_id, secret, confirmed_at) VALUES (${user.id}, ${sealSecret(RFC_KEY)}, now())`;
    const at = new Date(59_000);
    // Six digits are the last six of the eight.
    expect(await acceptTotpCode(user.id, "287082", at)).toBe(true);
    // At T = 89 s (step 2): step 4's code is two steps ahead; step 2's is good.
    expect(await acceptTotpCode(user.id, "338314", new Date(89_000))).toBe(false);
    expect(await acceptTotpCode(user.id, "359152", new Date(89_000))).toBe(true);
  });
});

describe("authenticator codes at sign-in", () => {
  it("accepts the codes of the step before and after, and refuses those two steps away", async () => {
    const at = moment(10);
    const later = new Date(at.getTime() + 10 * STEP_MS);
    const before = await enrolled(at);
    expect(await acceptTotpCode(before.user.id, codeAt(before.key, later, -1), later)).toBe(true);
    const after = await enrolled(at);
    expect(await acceptTotpCode(after.user.id, codeAt(after.key, later, 1), later)).toBe(true);
    const far = await enrolled(at);
    expect(await acceptTotpCode(far.user.id, codeAt(far.key, later, -2), later)).toBe(false);
    expect(await acceptTotpCode(far.user.id, codeAt(far.key, later, 2), later)).toBe(false);
    expect(await acceptTotpCode(far.user.id, codeAt(far.key, later), later)).toBe(true);
  });

  it("accepts a code once, and no code of an older step after a newer one", async () => {
    const at = moment(20);
    const later = new Date(at.getTime() + 5 * STEP_MS);
    const { user, key } = await enrolled(at);
    expect(await acceptTotpCode(user.id, codeAt(key, later), later)).toBe(true);
    expect(await acceptTotpCode(user.id, codeAt(key, later), later)).toBe(false);
    expect(await acceptTotpCode(user.id, codeAt(key, later, 1), later)).toBe(true);
    expect(await acceptTotpCode(user.id, codeAt(key, later, -1), later)).toBe(false);
    // The code shown at confirmation was used up by it.
    expect(await acceptTotpCode(user.id, codeAt(key, at), at)).toBe(false);
  });

  it("accepts one of two simultaneous uses of a code", async () => {
    const at = moment(30);
    const later = new Date(at.getTime() + 3 * STEP_MS);
    const { user, key } = await enrolled(at);
    const code = codeAt(key, later);
    const results = await Promise.all([acceptTotpCode(user.id, code, later), acceptTotpCode(user.id, code, later)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("takes the code with spaces, and nothing but six digits", async () => {
    const at = moment(40);
    const later = new Date(at.getTime() + 2 * STEP_MS);
    const { user, key } = await enrolled(at);
    const code = codeAt(key, later);
    for (const typed of [code.slice(0, 5), `${code}0`, "abcdef", `${code.slice(0, 5)}x`, ""]) {
      expect(await acceptTotpCode(user.id, typed, later)).toBe(false);
    }
    expect(await acceptTotpCode(user.id, ` ${code.slice(0, 3)} ${code.slice(3)} `, later)).toBe(true);
  });

  it("never matches a key sealed under another SESSION_SECRET", async () => {
    const at = moment(50);
    const later = new Date(at.getTime() + 2 * STEP_MS);
    const { user, key } = await enrolled(at);
    setFactorSecret("test-secret-another");
    try {
      expect(await acceptTotpCode(user.id, codeAt(key, later), later)).toBe(false);
    } finally {
      setFactorSecret(FACTOR_SECRET);
    }
    expect(await acceptTotpCode(user.id, codeAt(key, later), later)).toBe(true);
  });

  it("refuses everything for a person without an app in use", async () => {
    const user = await buildUser();
    const at = moment(55);
    const started = await startTotpEnrolment(user, at);
    // A key being set up is not yet a second factor.
    expect(await acceptTotpCode(user.id, codeAt(keyOf(started.secret), at), at)).toBe(false);
    expect(await hasTotp(user.id)).toBe(false);
  });
});

describe("setting up an authenticator app", () => {
  it("hands out a 160-bit key, its URI and its QR code, and shows the same again after a reload", async () => {
    const user = await buildUser({ email: "marie.dupont@example.org" });
    const at = moment(60);
    const started = await startTotpEnrolment(user, at);
    expect(started.secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(keyOf(started.secret)).toHaveLength(20);
    const bare = started.secret.replace(/ /g, "");
    expect(started.uri).toBe(
      `otpauth://totp/Accord:marie.dupont%40example.org?secret=${bare}&issuer=Accord&algorithm=SHA1&digits=6&period=30`,
    );
    expect(started.qrSvg).toMatch(/^<svg [^>]*role="img"/);
    expect(started.qrSvg).toContain("<title>Accord: marie.dupont@example.org</title>");
    expect(await pendingTotpEnrolment(user, new Date(at.getTime() + 60_000))).toEqual(started);
    // The key is stored sealed, not as the app's key.
    const [stored] = await db.sql<{ secret: Buffer }[]>`SELECT secret FROM totp_keys WHERE user_id = ${user.id}`;
    expect(Buffer.from(keyOf(started.secret)).equals(stored?.secret ?? Buffer.alloc(0))).toBe(false);
    expect(stored?.secret.includes(Buffer.from(keyOf(started.secret)))).toBe(false);
  });

  it("confirms only with a right code, and then the app is in use", async () => {
    const user = await buildUser();
    const at = moment(70);
    const key = keyOf((await startTotpEnrolment(user, at)).secret);
    const wrong = String((Number(codeAt(key, at)) + 1) % 1_000_000).padStart(6, "0");
    expect(await confirmTotpEnrolment(user.id, wrong, at)).toEqual({ ok: false, reason: "invalid" });
    expect(await confirmTotpEnrolment(user.id, codeAt(key, at, 2), at)).toEqual({ ok: false, reason: "invalid" });
    expect(await hasTotp(user.id)).toBe(false);
    expect(await confirmTotpEnrolment(user.id, codeAt(key, at), at)).toEqual({ ok: true });
    expect(await hasTotp(user.id)).toBe(true);
    expect(await pendingTotpEnrolment(user, at)).toBeNull();
    expect(await confirmTotpEnrolment(user.id, codeAt(key, at, 1), at)).toEqual({ ok: false, reason: "none" });
  });

  it("keeps the app in use until a new one is confirmed, then only the new one works", async () => {
    const at = moment(80);
    const { user, key: old } = await enrolled(at);
    const next = keyOf((await startTotpEnrolment(user, at)).secret);
    const t1 = new Date(at.getTime() + 2 * STEP_MS);
    expect(await confirmTotpEnrolment(user.id, codeAt(old, t1), t1)).toEqual({ ok: false, reason: "invalid" });
    expect(await acceptTotpCode(user.id, codeAt(old, t1), t1)).toBe(true);
    expect(await acceptTotpCode(user.id, codeAt(next, t1, 1), t1)).toBe(false);
    const t2 = new Date(at.getTime() + 4 * STEP_MS);
    expect(await confirmTotpEnrolment(user.id, codeAt(next, t2), t2)).toEqual({ ok: true });
    const t3 = new Date(at.getTime() + 6 * STEP_MS);
    expect(await acceptTotpCode(user.id, codeAt(old, t3), t3)).toBe(false);
    expect(await acceptTotpCode(user.id, codeAt(next, t3), t3)).toBe(true);
    const [keys] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM totp_keys WHERE user_id = ${user.id}`;
    expect(keys?.n).toBe(1);
  });

  it("replaces a key being set up with a new one", async () => {
    const user = await buildUser();
    const at = moment(90);
    const first = keyOf((await startTotpEnrolment(user, at)).secret);
    const second = await startTotpEnrolment(user, at);
    expect(await pendingTotpEnrolment(user, at)).toEqual(second);
    expect(await confirmTotpEnrolment(user.id, codeAt(first, at), at)).toEqual({ ok: false, reason: "invalid" });
    expect(await confirmTotpEnrolment(user.id, codeAt(keyOf(second.secret), at), at)).toEqual({ ok: true });
  });

  it("forgets a key being set up after an hour", async () => {
    const user = await buildUser();
    const at = moment(100);
    const key = keyOf((await startTotpEnrolment(user, at)).secret);
    const late = new Date(at.getTime() + 61 * 60_000);
    expect(await pendingTotpEnrolment(user, late)).toBeNull();
    expect(await confirmTotpEnrolment(user.id, codeAt(key, late), late)).toEqual({ ok: false, reason: "none" });
    expect(await confirmTotpEnrolment(user.id, codeAt(key, at), at)).toEqual({ ok: false, reason: "none" });
  });

  it("confirms one of two simultaneous confirmations with one code", async () => {
    const user = await buildUser();
    const at = moment(110);
    const key = keyOf((await startTotpEnrolment(user, at)).secret);
    const results = await Promise.all([
      confirmTotpEnrolment(user.id, codeAt(key, at), at),
      confirmTotpEnrolment(user.id, codeAt(key, at), at),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(await hasTotp(user.id)).toBe(true);
  });

  it(`throttles confirmation after ${LIMITS["second-factor"]} wrong codes, even a right one`, async () => {
    const user = await buildUser();
    const at = moment(120);
    const key = keyOf((await startTotpEnrolment(user, at)).secret);
    for (let i = 0; i < LIMITS["second-factor"]; i += 1) {
      expect(await confirmTotpEnrolment(user.id, "12345", at)).toEqual({ ok: false, reason: "invalid" });
    }
    const result = await confirmTotpEnrolment(user.id, codeAt(key, at), at);
    if (result.ok || result.reason !== "throttled") throw new Error(`expected throttling, got ${JSON.stringify(result)}`);
    expect(result.retryAfterSeconds).toBeGreaterThan(0);
    expect(await hasTotp(user.id)).toBe(false);
  });

  it("removes the app in use and the key being set up", async () => {
    const at = moment(130);
    const { user, key } = await enrolled(at);
    await startTotpEnrolment(user, at);
    expect(await removeTotp(user.id)).toBe(true);
    expect(await hasTotp(user.id)).toBe(false);
    expect(await pendingTotpEnrolment(user, at)).toBeNull();
    const later = new Date(at.getTime() + 2 * STEP_MS);
    expect(await acceptTotpCode(user.id, codeAt(key, later), later)).toBe(false);
    expect(await removeTotp(user.id)).toBe(false);
  });
});

describe("the QR code", () => {
  it("escapes its label, which is inserted into the page as markup", () => {
    const svg = qrSvg("otpauth://totp/x", `<script>alert("x")</script> & 'co'`);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("<title>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;co&#39;</title>");
    expect(svg).toMatch(/<rect [^>]*fill="#fff"\/><path fill="#000" d="[\dMhvz -]+"\/><\/svg>$/);
  });

  it("draws a version 2 code (25 modules) with its finder pattern inside a quiet zone of four", () => {
    const svg = qrSvg("x".repeat(20), "label");
    expect(svg).toContain('viewBox="0 0 33 33"');
    expect(svg).toContain('width="200" height="200"');
    // The top-left finder pattern's first row: seven dark modules from (4, 4).
    expect(svg).toContain('d="M4 4h7v1h-7z');
  });
});
