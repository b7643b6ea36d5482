import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/connection";
import { openTestDatabase } from "../../test/database";
import { buildUser, TEST_PASSWORD } from "../../test/factories";
import { changeUserRole, setUserDisabled } from "../domain/users";
import { createSession, invalidateSession, isSessionCurrent, SESSION_LIFETIME_MS, validateSession } from "./session";
import { MAX_FAILURES, passwordChecks, signIn } from "./sign-in";
import { LIMITS, pruneThrottle } from "./throttle";
import { hashToken } from "./tokens";
import { createLive } from "../live";

// No server runs in this file: the domain's live services are this process's own, with no live texts.
const live = createLive();

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
    await setUserDisabled(live, { actor: secretariat, user, disabled: true });
    expect(await signIn({ email: user.email, password: TEST_PASSWORD, address: "a3" })).toEqual({ ok: false, reason: "invalid" });
  });

  it(`throttles an account after ${MAX_FAILURES} failures from strangers, even with the right password, and audits it once`, async () => {
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
    await signIn({ email: user.email, password: "wrong password", address: "acct-again" });
    const [audited] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM audit_events WHERE action = 'sign-in.throttled' AND details->>'email' = ${user.email}`;
    expect(audited?.n).toBe(1);
    const [failed] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM audit_events WHERE action = 'sign-in.failed' AND details->>'email' = ${user.email}`;
    expect(failed?.n).toBe(MAX_FAILURES);
  });

  it("throttles an address that tries many accounts", async () => {
    for (let i = 0; i < LIMITS.address; i += 1) {
      await signIn({ email: `guess-${i}@example.org`, password: "wrong password", address: "spray" });
    }
    const user = await buildUser();
    const result = await signIn({ email: user.email, password: TEST_PASSWORD, address: "spray" });
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
    expect((await signIn({ email: user.email, password: TEST_PASSWORD, address: "elsewhere" })).ok).toBe(true);
    // Once blocked, ever new e-mails from that address add no rows anywhere.
    const [before] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sign_in_throttle`;
    await Promise.all(Array.from({ length: 100 }, (_, i) => signIn({ email: `fresh-${i}@example.org`, password: "wrong", address: "spray" })));
    const [after] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sign_in_throttle`;
    expect(after?.n).toBe(before?.n);
  });

  it("does not let an insider reset their address's budget by signing in to their own account", async () => {
    const insider = await buildUser();
    for (let i = 0; i < LIMITS.address - 1; i += 1) {
      await signIn({ email: `target-${i}@example.org`, password: "wrong password", address: "insider" });
    }
    expect((await signIn({ email: insider.email, password: TEST_PASSWORD, address: "insider" })).ok).toBe(true);
    expect((await signIn({ email: "target-x@example.org", password: "wrong password", address: "insider" })).ok).toBe(false);
    expect(await signIn({ email: "target-y@example.org", password: "wrong password", address: "insider" })).toMatchObject({ reason: "throttled" });
  });

  it("forgets budgets idle for a day, but not one still blocked", async () => {
    await signIn({ email: "idle@example.org", password: "wrong password", address: "idle" });
    await db.sql`UPDATE sign_in_throttle SET updated_at = now() - interval '25 hours' WHERE key IN ('idle@example.org', 'idle')`;
    await db.sql`UPDATE sign_in_throttle SET blocked_until = now() + interval '1 hour' WHERE key = 'idle'`;
    await pruneThrottle();
    const rows = await db.sql<{ key: string }[]>`SELECT key FROM sign_in_throttle WHERE key IN ('idle@example.org', 'idle')`;
    expect(rows.map((row) => row.key)).toEqual(["idle"]);
  });

  it("lets failures older than the window lapse", async () => {
    const user = await buildUser();
    for (let i = 0; i < MAX_FAILURES; i += 1) await signIn({ email: user.email, password: "wrong password", address: "old" });
    expect(await signIn({ email: user.email, password: TEST_PASSWORD, address: "old" })).toMatchObject({ reason: "throttled" });
    await db.sql`
      UPDATE sign_in_throttle SET window_started = now() - interval '5 hours', blocked_until = now() - interval '1 second'
      WHERE key = ${user.email}`;
    expect((await signIn({ email: user.email, password: TEST_PASSWORD, address: "old" })).ok).toBe(true);
  });

  it("backs off exponentially: each block in a row lasts twice as long", async () => {
    const user = await buildUser();
    const waits: number[] = [];
    for (let strike = 0; strike < 3; strike += 1) {
      for (let i = 0; i < MAX_FAILURES; i += 1) await signIn({ email: user.email, password: "wrong password", address: `b-${strike}-${i}` });
      const result = await signIn({ email: user.email, password: "wrong password", address: `b-${strike}` });
      if (result.ok || result.reason !== "throttled") throw new Error("expected throttling");
      waits.push(result.retryAfterSeconds);
      // The block ends (as if its time had passed).
      await db.sql`UPDATE sign_in_throttle SET blocked_until = now() - interval '1 second' WHERE kind = 'account' AND key = ${user.email}`;
    }
    expect(waits).toEqual([15 * 60, 30 * 60, 60 * 60]);
  });
});

describe("sign-in under parallel guessing", () => {
  const PARALLEL = 50;

  async function evaluated(email: string): Promise<number> {
    const [row] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sign_in_attempts WHERE email = ${email}`;
    return row?.n ?? 0;
  }

  it(`checks at most ${MAX_FAILURES} of ${PARALLEL} parallel wrong passwords for one account, from as many addresses`, async () => {
    const user = await buildUser();
    const checksBefore = passwordChecks.count;
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => signIn({ email: user.email, password: `wrong ${i}`, address: `swarm-${i}` })),
    );
    expect(passwordChecks.count - checksBefore).toBeLessThanOrEqual(MAX_FAILURES);
    expect(await evaluated(user.email)).toBeLessThanOrEqual(MAX_FAILURES);
    expect(results.filter((result) => !result.ok && result.reason === "throttled").length).toBeGreaterThanOrEqual(PARALLEL - MAX_FAILURES);
  });

  it(`checks at most ${LIMITS.address} of ${PARALLEL} parallel guesses from one address across accounts`, async () => {
    const checksBefore = passwordChecks.count;
    await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => signIn({ email: `spray-${i}@example.org`, password: "wrong", address: "one-address" })),
    );
    expect(passwordChecks.count - checksBefore).toBeLessThanOrEqual(LIMITS.address);
  });

  it("lets the owner in from their known browser, and from their usual address, while an attacker is throttled", async () => {
    const user = await buildUser();
    const first = await signIn({ email: user.email, password: TEST_PASSWORD, address: "home" });
    if (!first.ok) throw new Error("expected sign-in");
    expect((await signIn({ email: user.email, password: TEST_PASSWORD, address: "office" })).ok).toBe(true);
    // The attacker elsewhere, and the attacker behind the owner's own address without the cookie.
    await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => signIn({ email: user.email, password: `wrong ${i}`, address: `attacker-${i}` })),
    );
    await Promise.all(Array.from({ length: PARALLEL }, (_, i) => signIn({ email: user.email, password: `wrong ${i}`, address: "home" })));
    expect(await signIn({ email: user.email, password: TEST_PASSWORD, address: "attacker-0" })).toMatchObject({ reason: "throttled" });
    expect(await signIn({ email: user.email, password: TEST_PASSWORD, address: "home" })).toMatchObject({ reason: "throttled" });
    const owner = await signIn({ email: user.email, password: TEST_PASSWORD, address: "home", deviceToken: first.deviceToken });
    expect(owner.ok).toBe(true);
    // Another of the owner's places, without the cookie: an address the account signed in from before.
    expect((await signIn({ email: user.email, password: TEST_PASSWORD, address: "office" })).ok).toBe(true);
  });

  it("forgets a device token it did not issue for this account", async () => {
    const owner = await buildUser();
    const other = await buildUser();
    const otherSignIn = await signIn({ email: other.email, password: TEST_PASSWORD, address: "x" });
    if (!otherSignIn.ok) throw new Error("expected sign-in");
    await Promise.all(Array.from({ length: 20 }, (_, i) => signIn({ email: owner.email, password: `wrong ${i}`, address: `y-${i}` })));
    const borrowed = await signIn({ email: owner.email, password: TEST_PASSWORD, address: "y-0", deviceToken: otherSignIn.deviceToken });
    expect(borrowed).toMatchObject({ reason: "throttled" });
  });

  it("keeps one browser known to two accounts, and never adopts a device token it did not issue", async () => {
    const first = await buildUser();
    const second = await buildUser();
    const one = await signIn({ email: first.email, password: TEST_PASSWORD, address: "shared" });
    if (!one.ok) throw new Error("expected sign-in");
    const two = await signIn({ email: second.email, password: TEST_PASSWORD, address: "shared", deviceToken: one.deviceToken });
    expect(two).toMatchObject({ ok: true, deviceToken: one.deviceToken });
    const planted = "a".repeat(32);
    const three = await signIn({ email: first.email, password: TEST_PASSWORD, address: "shared", deviceToken: planted });
    if (!three.ok) throw new Error("expected sign-in");
    expect(three.deviceToken).not.toBe(planted);
  });

  it("adds no audit rows for 200 throttled attempts", async () => {
    const user = await buildUser();
    await Promise.all(Array.from({ length: PARALLEL }, (_, i) => signIn({ email: user.email, password: `wrong ${i}`, address: `flood-${i % 3}` })));
    const [before] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_events`;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => signIn({ email: user.email, password: `wrong ${i}`, address: `flood-${i % 3}` })),
    );
    const [after] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_events`;
    expect(results.every((result) => !result.ok && result.reason === "throttled")).toBe(true);
    expect(after?.n).toBe(before?.n);
    const [row] = await db.sql<{ refused: number }[]>`
      SELECT refused::int AS refused FROM sign_in_throttle WHERE kind = 'account' AND key = ${user.email}`;
    expect(row?.refused).toBeGreaterThanOrEqual(200);
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
    await setUserDisabled(live, { actor: secretariat, user, disabled: true });
    expect(await validateSession(token)).toBeNull();
  });

  it("tells whether a session is still the one a connection was authorised with", async () => {
    const secretariat = await buildUser({ role: "secretariat" });
    const [moved, disabled, expired, signedOut] = [await buildUser(), await buildUser(), await buildUser(), await buildUser()];
    const sessionOf = async (user: { id: string }) => hashToken((await createSession(user.id)).token);
    const [movedSession, disabledSession, expiredSession, signedOutSession] = [
      await sessionOf(moved),
      await sessionOf(disabled),
      await sessionOf(expired),
      await sessionOf(signedOut),
    ];
    for (const [sessionId, user] of [[movedSession, moved], [disabledSession, disabled], [expiredSession, expired], [signedOutSession, signedOut]] as const) {
      expect(await isSessionCurrent(sessionId, user)).toBe(true);
    }
    // Another account's session is not this person's.
    expect(await isSessionCurrent(movedSession, disabled)).toBe(false);

    await changeUserRole(live, { actor: secretariat, user: moved, role: "delegate", delegationCode: "no" });
    await setUserDisabled(live, { actor: secretariat, user: disabled, disabled: true });
    await db.sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = ${expiredSession}`;
    await invalidateSession(live, signedOutSession);
    expect(await isSessionCurrent(movedSession, moved)).toBe(false);
    expect(await isSessionCurrent(movedSession, { ...moved, delegationCode: "no" })).toBe(true);
    expect(await isSessionCurrent(disabledSession, disabled)).toBe(false);
    expect(await isSessionCurrent(expiredSession, expired)).toBe(false);
    expect(await isSessionCurrent(signedOutSession, signedOut)).toBe(false);
  });
});
