import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/connection";
import { openTestDatabase } from "../../test/database";
import { buildUser, TEST_PASSWORD } from "../../test/factories";
import { setUserDisabled } from "../domain/users";
import { createSession, SESSION_LIFETIME_MS, validateSession } from "./session";
import { MAX_FAILURES, signIn } from "./sign-in";
import { hashToken } from "./tokens";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe("sign-in", () => {
  it("signs in with the right password, whatever the email's case, and stores only the token's hash", async () => {
    const user = await buildUser({ email: "claire.martin@example.org" });
    const result = await signIn({ email: "Claire.Martin@Example.org", password: TEST_PASSWORD, address: "a1" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.id).toBe(user.id);
    const stored = await db.sql<{ id: string }[]>`SELECT id FROM sessions WHERE user_id = ${user.id}`;
    expect(stored.map((row) => row.id)).toEqual([hashToken(result.token)]);
    expect(stored[0]?.id).not.toBe(result.token);
  });

  it("answers an unknown email and a wrong password alike", async () => {
    const user = await buildUser();
    const wrong = await signIn({ email: user.email, password: "not the password", address: "a2" });
    const unknown = await signIn({ email: "nobody@example.org", password: "not the password", address: "a2" });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
  });

  it("refuses a disabled account with the same answer", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const user = await buildUser();
    await setUserDisabled({ actor: secretariat, user, disabled: true });
    expect(await signIn({ email: user.email, password: TEST_PASSWORD, address: "a3" })).toEqual({ ok: false, reason: "invalid" });
  });

  it(`throttles an account after ${MAX_FAILURES} failures in 15 minutes, even with the right password, and audits it`, async () => {
    const user = await buildUser();
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      // A different address each time: the account's own count must trip.
      expect((await signIn({ email: user.email, password: "wrong password", address: `acct-${i}` })).ok).toBe(false);
    }
    const result = await signIn({ email: user.email, password: TEST_PASSWORD, address: "acct-last" });
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== "throttled") throw new Error("expected throttling");
    expect(result.retryAfterSeconds).toBeGreaterThan(0);
    expect(result.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    const [audited] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM audit_events WHERE action = 'sign-in.throttled' AND details->>'email' = ${user.email}`;
    expect(audited?.n).toBe(1);
    const [failed] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM audit_events WHERE action = 'sign-in.failed' AND details->>'email' = ${user.email}`;
    expect(failed?.n).toBe(MAX_FAILURES);
  });

  it("throttles an address that tries many accounts", async () => {
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      await signIn({ email: `guess-${i}@example.org`, password: "wrong password", address: "spray" });
    }
    const user = await buildUser();
    const result = await signIn({ email: user.email, password: TEST_PASSWORD, address: "spray" });
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
    expect((await signIn({ email: user.email, password: TEST_PASSWORD, address: "elsewhere" })).ok).toBe(true);
  });

  it("lets failures older than the window lapse", async () => {
    const user = await buildUser();
    for (let i = 0; i < MAX_FAILURES; i += 1) await signIn({ email: user.email, password: "wrong password", address: "old" });
    await db.sql`UPDATE sign_in_attempts SET created_at = now() - interval '16 minutes' WHERE email = ${user.email}`;
    expect((await signIn({ email: user.email, password: TEST_PASSWORD, address: "old" })).ok).toBe(true);
  });
});

describe("sessions", () => {
  it("validates a token, and nothing else", async () => {
    const user = await buildUser();
    const { token } = await createSession(user.id);
    expect((await validateSession(token))?.user.id).toBe(user.id);
    // One character changed (to one it is not already).
    const altered = `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
    expect(await validateSession(altered)).toBeNull();
    expect(await validateSession("not-a-token")).toBeNull();
  });

  it("renews a session in the second half of its life, and drops an expired one", async () => {
    const user = await buildUser();
    const { token } = await createSession(user.id);
    const id = hashToken(token);
    await db.sql`UPDATE sessions SET expires_at = now() + interval '2 days' WHERE id = ${id}`;
    const renewed = await validateSession(token);
    expect(renewed?.renewed).toBe(true);
    expect(renewed?.expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_LIFETIME_MS - 60_000);
    await db.sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = ${id}`;
    expect(await validateSession(token)).toBeNull();
    expect(await db.sql`SELECT 1 FROM sessions WHERE id = ${id}`).toHaveLength(0);
  });

  it("ends every session of an account the moment it is disabled", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const user = await buildUser();
    const { token } = await createSession(user.id);
    await setUserDisabled({ actor: secretariat, user, disabled: true });
    expect(await validateSession(token)).toBeNull();
  });
});
