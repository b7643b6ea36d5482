import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/connection";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { SoftwareAuthenticator } from "../../test/software-authenticator";
import type { User } from "../domain/users";
import {
  authenticationOptions,
  countPasskeys,
  listPasskeys,
  MAX_PASSKEYS_PER_ACCOUNT,
  pruneChallenges,
  registrationOptions,
  relyingPartyFor,
  removeAllPasskeys,
  removePasskey,
  renamePasskey,
  verifyAuthentication,
  verifyRegistration,
  type PasskeySummary,
} from "./passkeys";

const ORIGIN = "http://localhost:3000";
const rp = relyingPartyFor(ORIGIN);

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

// Adds a passkey to the account through the whole ceremony, as the settings page would.
async function addPasskey(
  user: User,
  options: { name?: string; passwordless?: boolean; authenticator?: SoftwareAuthenticator } = {},
): Promise<{ authenticator: SoftwareAuthenticator; passkey: PasskeySummary }> {
  const authenticator = options.authenticator ?? new SoftwareAuthenticator({ userVerification: true });
  const creation = await registrationOptions(user, rp);
  const result = await verifyRegistration(user, rp, authenticator.register(creation, ORIGIN), {
    name: options.name ?? "Security key",
    passwordless: options.passwordless ?? false,
  });
  if (!result.ok) throw new Error(`The passkey was refused: ${result.reason}`);
  return { authenticator, passkey: result.passkey };
}

async function expire(challenge: string): Promise<void> {
  await db.sql`UPDATE webauthn_challenges SET expires_at = now() - interval '1 second' WHERE challenge = ${challenge}`;
}

describe("passkeys", () => {
  it("registers a passkey and signs in with it as a second factor", async () => {
    const user = await buildUser();
    const creation = await registrationOptions(user, rp);
    expect(creation.rp).toEqual({ id: "localhost", name: "Accord" });
    expect(creation.user.name).toBe(user.email);
    expect(creation.pubKeyCredParams.map((param) => param.alg)).toEqual([-7, -257]);
    const authenticator = new SoftwareAuthenticator();
    const registered = await verifyRegistration(user, rp, authenticator.register(creation, ORIGIN), { name: "  Blue key  ", passwordless: false });
    expect(registered).toMatchObject({ ok: true, passkey: { name: "Blue key", passwordless: false, lastUsedAt: null } });
    if (!registered.ok) return;

    const request = await authenticationOptions("sign-in", user.id, rp);
    expect(request.allowCredentials).toEqual([{ id: authenticator.credentialId, type: "public-key", transports: ["usb"] }]);
    const result = await verifyAuthentication("sign-in", user.id, rp, authenticator.authenticate(request, ORIGIN));
    expect(result).toEqual({ ok: true, userId: user.id, passkeyId: registered.passkey.id });
    const [listed] = await listPasskeys(user.id);
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);

    // The next registration tells the browser which authenticator the account already has.
    const again = await registrationOptions(user, rp);
    expect(again.excludeCredentials?.map((credential) => credential.id)).toEqual([authenticator.credentialId]);
    expect(() => authenticator.register(again, ORIGIN)).toThrow(/InvalidStateError/);
  });

  it("keeps several named passkeys, oldest first, and renames and removes them", async () => {
    const user = await buildUser();
    const laptop = await addPasskey(user, { name: "Laptop" });
    const phone = await addPasskey(user, { name: "Phone" });
    await addPasskey(user, { name: "Spare key" });
    expect((await listPasskeys(user.id)).map((passkey) => passkey.name)).toEqual(["Laptop", "Phone", "Spare key"]);

    expect(await renamePasskey(user.id, phone.passkey.id, " Work phone ")).toBe(true);
    expect(await renamePasskey(user.id, phone.passkey.id, "   ")).toBe(false);
    expect(await renamePasskey(user.id, phone.passkey.id, "x".repeat(81))).toBe(false);
    expect((await listPasskeys(user.id)).map((passkey) => passkey.name)).toEqual(["Laptop", "Work phone", "Spare key"]);

    expect(await removePasskey(user.id, laptop.passkey.id)).toBe(true);
    expect(await removePasskey(user.id, laptop.passkey.id)).toBe(false);
    expect(await countPasskeys(user.id)).toBe(2);
    // A removed passkey signs nobody in, even if the browser offers it.
    const request = await authenticationOptions("sign-in", user.id, rp);
    const answer = laptop.authenticator.authenticate({ ...request, allowCredentials: [] }, ORIGIN);
    expect(await verifyAuthentication("sign-in", user.id, rp, answer)).toEqual({ ok: false, reason: "invalid" });

    expect(await removeAllPasskeys(user.id)).toBe(2);
    expect(await listPasskeys(user.id)).toEqual([]);
  });

  it("refuses a blank or overlong name, and leaves the challenge for a corrected one", async () => {
    const user = await buildUser();
    const authenticator = new SoftwareAuthenticator();
    const response = authenticator.register(await registrationOptions(user, rp), ORIGIN);
    expect(await verifyRegistration(user, rp, response, { name: " ", passwordless: false })).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyRegistration(user, rp, response, { name: "é".repeat(81), passwordless: false })).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyRegistration(user, rp, response, { name: "é".repeat(80), passwordless: false })).toMatchObject({ ok: true });
  });

  it("does not let one account rename or remove another's passkey", async () => {
    const owner = await buildUser();
    const other = await buildUser();
    const { passkey } = await addPasskey(owner, { name: "Mine" });
    expect(await renamePasskey(other.id, passkey.id, "Stolen")).toBe(false);
    expect(await removePasskey(other.id, passkey.id)).toBe(false);
    expect(await removeAllPasskeys(other.id)).toBe(0);
    expect((await listPasskeys(owner.id)).map((listed) => listed.name)).toEqual(["Mine"]);
  });

  it("answers false, not a database error, for ids that are not uuids", async () => {
    const user = await buildUser();
    const { authenticator, passkey } = await addPasskey(user);
    expect(await renamePasskey(user.id, "not-a-uuid", "Name")).toBe(false);
    expect(await renamePasskey("1; DROP TABLE passkeys", passkey.id, "Name")).toBe(false);
    expect(await removePasskey(user.id, "42")).toBe(false);
    expect(await removePasskey("", passkey.id)).toBe(false);
    expect(await removeAllPasskeys("nobody")).toBe(0);
    expect(await listPasskeys("nobody")).toEqual([]);
    expect(await countPasskeys("nobody")).toBe(0);
    const answer = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    expect(await verifyAuthentication("sign-in", "not-a-uuid", rp, answer)).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyAuthentication("sign-in", user.id, rp, answer)).toMatchObject({ ok: true });
  });

  it(`refuses a passkey beyond the ${MAX_PASSKEYS_PER_ACCOUNT}th`, async () => {
    const user = await buildUser();
    for (let i = 0; i < MAX_PASSKEYS_PER_ACCOUNT; i += 1) await addPasskey(user, { name: `Key ${i + 1}` });
    const response = new SoftwareAuthenticator().register(await registrationOptions(user, rp), ORIGIN);
    expect(await verifyRegistration(user, rp, response, { name: "One too many", passwordless: false })).toEqual({ ok: false, reason: "too-many" });
    expect(await countPasskeys(user.id)).toBe(MAX_PASSKEYS_PER_ACCOUNT);
  });

  it("refuses a credential id that is already stored, for this account or another", async () => {
    const first = await buildUser();
    const second = await buildUser();
    const { authenticator } = await addPasskey(first);
    const copied = new SoftwareAuthenticator().register(await registrationOptions(second, rp), ORIGIN, { credentialId: authenticator.credentialId });
    expect(await verifyRegistration(second, rp, copied, { name: "Copy", passwordless: false })).toEqual({ ok: false, reason: "already-registered" });
    const again = new SoftwareAuthenticator().register(await registrationOptions(first, rp), ORIGIN, { credentialId: authenticator.credentialId });
    expect(await verifyRegistration(first, rp, again, { name: "Again", passwordless: false })).toEqual({ ok: false, reason: "already-registered" });
    expect(await countPasskeys(second.id)).toBe(0);
  });
});

describe("challenges", () => {
  it("answers each challenge once: a replayed registration or assertion is refused", async () => {
    const user = await buildUser();
    const authenticator = new SoftwareAuthenticator();
    const response = authenticator.register(await registrationOptions(user, rp), ORIGIN);
    expect(await verifyRegistration(user, rp, response, { name: "Key", passwordless: false })).toMatchObject({ ok: true });
    expect(await verifyRegistration(user, rp, response, { name: "Key again", passwordless: false })).toEqual({ ok: false, reason: "invalid" });

    const assertion = authenticator.authenticate(await authenticationOptions("step-up", user.id, rp), ORIGIN);
    expect(await verifyAuthentication("step-up", user.id, rp, assertion)).toMatchObject({ ok: true });
    expect(await verifyAuthentication("step-up", user.id, rp, assertion)).toEqual({ ok: false, reason: "invalid" });
    expect(await countPasskeys(user.id)).toBe(1);
  });

  it("answers two copies of one assertion sent at once only once", async () => {
    const user = await buildUser();
    const { authenticator } = await addPasskey(user);
    const assertion = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    const results = await Promise.all([1, 2, 3].map(() => verifyAuthentication("sign-in", user.id, rp, assertion)));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });

  it("does not take a challenge issued for another purpose or another account", async () => {
    const user = await buildUser();
    const other = await buildUser();
    const { authenticator } = await addPasskey(user);
    const stepUp = authenticator.authenticate(await authenticationOptions("step-up", user.id, rp), ORIGIN);
    expect(await verifyAuthentication("sign-in", user.id, rp, stepUp)).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyAuthentication("step-up", other.id, rp, stepUp)).toEqual({ ok: false, reason: "invalid" });
    // Those attempts did not use it up for its own purpose and account.
    expect(await verifyAuthentication("step-up", user.id, rp, stepUp)).toMatchObject({ ok: true });

    const forOther = new SoftwareAuthenticator().register(await registrationOptions(other, rp), ORIGIN);
    expect(await verifyRegistration(user, rp, forOther, { name: "Key", passwordless: false })).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses an answer after the challenge expired", async () => {
    const user = await buildUser();
    const authenticator = new SoftwareAuthenticator();
    const creation = await registrationOptions(user, rp);
    await expire(creation.challenge);
    expect(await verifyRegistration(user, rp, authenticator.register(creation, ORIGIN), { name: "Late", passwordless: false })).toEqual({
      ok: false,
      reason: "expired",
    });

    await addPasskey(user, { authenticator });
    const request = await authenticationOptions("sign-in", user.id, rp);
    await expire(request.challenge);
    expect(await verifyAuthentication("sign-in", user.id, rp, authenticator.authenticate(request, ORIGIN))).toEqual({ ok: false, reason: "expired" });
  });

  it("prunes expired challenges and keeps live ones", async () => {
    const user = await buildUser();
    const stale = await authenticationOptions("sign-in", user.id, rp);
    const live = await authenticationOptions("sign-in", user.id, rp);
    await expire(stale.challenge);
    expect(await pruneChallenges()).toBeGreaterThanOrEqual(1);
    const rows = await db.sql<{ challenge: string }[]>`
      SELECT challenge FROM webauthn_challenges WHERE challenge IN (${stale.challenge}, ${live.challenge})`;
    expect(rows.map((row) => row.challenge)).toEqual([live.challenge]);
  });
});

describe("what a response is bound to", () => {
  it("refuses a registration or assertion made for another origin or another relying party", async () => {
    const user = await buildUser();
    const authenticator = new SoftwareAuthenticator();
    const elsewhere = authenticator.register(await registrationOptions(user, rp), "http://evil.example");
    expect(await verifyRegistration(user, rp, elsewhere, { name: "Key", passwordless: false })).toEqual({ ok: false, reason: "invalid" });
    const otherRp = authenticator.register(await registrationOptions(user, rp), ORIGIN, { rpId: "evil.example" });
    expect(await verifyRegistration(user, rp, otherRp, { name: "Key", passwordless: false })).toEqual({ ok: false, reason: "invalid" });

    await addPasskey(user, { authenticator });
    const fromElsewhere = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), "http://localhost:4000");
    expect(await verifyAuthentication("sign-in", user.id, rp, fromElsewhere)).toEqual({ ok: false, reason: "invalid" });
    const forOtherRp = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN, { rpId: "evil.example" });
    expect(await verifyAuthentication("sign-in", user.id, rp, forOtherRp)).toEqual({ ok: false, reason: "invalid" });
    // And the right page still signs in.
    const good = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    expect(await verifyAuthentication("sign-in", user.id, rp, good)).toMatchObject({ ok: true, userId: user.id });
  });

  it("refuses someone else's passkey when the account is given", async () => {
    const victim = await buildUser();
    const attacker = await buildUser();
    await addPasskey(victim);
    const { authenticator } = await addPasskey(attacker);
    const request = await authenticationOptions("sign-in", victim.id, rp);
    // A hostile page ignores the allow list and answers with its own, valid, passkey.
    const answer = authenticator.authenticate({ ...request, allowCredentials: [] }, ORIGIN);
    expect(await verifyAuthentication("sign-in", victim.id, rp, answer)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a signature counter that went backwards: a cloned authenticator", async () => {
    const user = await buildUser();
    const { authenticator } = await addPasskey(user);
    authenticator.signCount = 10;
    const first = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    expect(await verifyAuthentication("sign-in", user.id, rp, first)).toMatchObject({ ok: true });
    authenticator.signCount = 4;
    const clone = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    expect(await verifyAuthentication("sign-in", user.id, rp, clone)).toEqual({ ok: false, reason: "invalid" });
    const [row] = await db.sql<{ counter: string }[]>`SELECT counter FROM passkeys WHERE user_id = ${user.id}`;
    expect(Number(row?.counter)).toBe(11);
  });

  it("accepts only one of two assertions with the same counter verified at once", async () => {
    const user = await buildUser();
    const { authenticator } = await addPasskey(user);
    const first = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    authenticator.signCount -= 1;
    const twin = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    const results = await Promise.all([first, twin].map((answer) => verifyAuthentication("sign-in", user.id, rp, answer)));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });

  it("accepts an authenticator that keeps no counter, every time", async () => {
    const user = await buildUser();
    const { authenticator } = await addPasskey(user, { authenticator: new SoftwareAuthenticator({ keepsCounter: false }) });
    for (let i = 0; i < 2; i += 1) {
      const answer = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
      expect(await verifyAuthentication("sign-in", user.id, rp, answer)).toMatchObject({ ok: true });
    }
  });
});

describe("passwordless sign-in", () => {
  it("signs in with a passkey marked passwordless, with no account named", async () => {
    const user = await buildUser();
    const { authenticator, passkey } = await addPasskey(user, { passwordless: true, name: "Phone" });
    expect(passkey.passwordless).toBe(true);
    const request = await authenticationOptions("passwordless", null, rp);
    expect(request.allowCredentials).toBeUndefined();
    expect(request.userVerification).toBe("required");
    const result = await verifyAuthentication("passwordless", null, rp, authenticator.authenticate(request, ORIGIN));
    expect(result).toEqual({ ok: true, userId: user.id, passkeyId: passkey.id });
  });

  it("refuses a passkey that is only a second factor", async () => {
    const user = await buildUser();
    const { authenticator } = await addPasskey(user, { passwordless: false });
    const request = await authenticationOptions("passwordless", null, rp);
    expect(await verifyAuthentication("passwordless", null, rp, authenticator.authenticate(request, ORIGIN))).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses to mark passwordless a passkey that did not verify its user, and an assertion that did not", async () => {
    const user = await buildUser();
    const unverified = new SoftwareAuthenticator({ userVerification: false });
    const response = unverified.register(await registrationOptions(user, rp), ORIGIN);
    expect(await verifyRegistration(user, rp, response, { name: "Plain key", passwordless: true })).toEqual({ ok: false, reason: "not-verified-user" });

    const { authenticator } = await addPasskey(user, { passwordless: true });
    authenticator.userVerification = false;
    const request = await authenticationOptions("passwordless", null, rp);
    expect(await verifyAuthentication("passwordless", null, rp, authenticator.authenticate(request, ORIGIN))).toEqual({ ok: false, reason: "invalid" });
    // As a second factor, presence is enough.
    const secondFactor = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    expect(await verifyAuthentication("sign-in", user.id, rp, secondFactor)).toMatchObject({ ok: true });
  });

  it("refuses an assertion whose user handle names another account", async () => {
    const user = await buildUser();
    const { authenticator } = await addPasskey(user, { passwordless: true });
    const answer = authenticator.authenticate(await authenticationOptions("passwordless", null, rp), ORIGIN);
    const forged = { ...answer, response: { ...answer.response, userHandle: Buffer.alloc(16, 7).toString("base64url") } };
    expect(await verifyAuthentication("passwordless", null, rp, forged)).toEqual({ ok: false, reason: "invalid" });
    const anonymous = authenticator.authenticate(await authenticationOptions("passwordless", null, rp), ORIGIN);
    const { userHandle: _dropped, ...withoutHandle } = anonymous.response;
    expect(await verifyAuthentication("passwordless", null, rp, { ...anonymous, response: withoutHandle })).toEqual({ ok: false, reason: "invalid" });
  });

  it("will not hand out a second-factor challenge without an account", async () => {
    await expect(authenticationOptions("sign-in", null, rp)).rejects.toThrow();
  });
});

describe("hostile responses", () => {
  const megabyte = "A".repeat(1024 * 1024);

  it("answers { ok: false } to garbage, and never throws", async () => {
    const user = await buildUser();
    const { authenticator } = await addPasskey(user, { passwordless: true });
    const registration = new SoftwareAuthenticator().register(await registrationOptions(user, rp), ORIGIN);
    const assertion = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    // A client data whose challenge is a live one, around an attestation object that is not CBOR.
    const liveChallenge = (await registrationOptions(user, rp)).challenge;
    const liveClientData = Buffer.from(JSON.stringify({ type: "webauthn.create", challenge: liveChallenge, origin: ORIGIN })).toString("base64url");

    const garbage: unknown[] = [
      null,
      undefined,
      42,
      "a string",
      megabyte,
      [],
      {},
      { id: megabyte, rawId: megabyte, type: "public-key", response: registration.response },
      { ...registration, response: undefined },
      { ...registration, response: { ...registration.response, clientDataJSON: megabyte } },
      { ...registration, response: { ...registration.response, attestationObject: megabyte } },
      { ...registration, response: { ...registration.response, clientDataJSON: "!!not base64url!!" } },
      { ...registration, response: { ...registration.response, clientDataJSON: "abcde" } },
      { ...registration, response: { ...registration.response, clientDataJSON: Buffer.from("not json").toString("base64url") } },
      { ...registration, response: { ...registration.response, clientDataJSON: Buffer.from('{"challenge": 7}').toString("base64url") } },
      { ...registration, response: { ...registration.response, clientDataJSON: liveClientData, attestationObject: "AAAAAAAA" } },
      { ...registration, response: { ...registration.response, transports: Array.from({ length: 1000 }, () => "usb") } },
      { ...registration, type: "password" },
      { ...registration, id: 12 },
      { ...assertion, response: { ...assertion.response, signature: megabyte } },
      { ...assertion, response: { ...assertion.response, authenticatorData: "AAAA" } },
      { ...assertion, response: { ...assertion.response, signature: "AAAA" } },
      { ...assertion, response: { ...assertion.response, userHandle: { nested: true } } },
      { ...assertion, response: null },
      { ...assertion, id: "short", rawId: "short" },
    ];
    for (const value of garbage) {
      await expect(verifyRegistration(user, rp, value, { name: "Junk", passwordless: false })).resolves.toMatchObject({ ok: false });
      await expect(verifyAuthentication("sign-in", user.id, rp, value)).resolves.toMatchObject({ ok: false });
      await expect(verifyAuthentication("passwordless", null, rp, value)).resolves.toMatchObject({ ok: false });
    }
    expect(await countPasskeys(user.id)).toBe(1);
  });

  it("refuses an assertion whose signature was altered, and still answers the next honest one", async () => {
    const user = await buildUser();
    const { authenticator } = await addPasskey(user);
    const answer = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    const signature = Buffer.from(answer.response.signature, "base64url");
    signature[signature.length - 1] = (signature.at(-1) ?? 0) ^ 1;
    const altered = { ...answer, response: { ...answer.response, signature: signature.toString("base64url") } };
    expect(await verifyAuthentication("sign-in", user.id, rp, altered)).toEqual({ ok: false, reason: "invalid" });
    const honest = authenticator.authenticate(await authenticationOptions("sign-in", user.id, rp), ORIGIN);
    expect(await verifyAuthentication("sign-in", user.id, rp, honest)).toMatchObject({ ok: true });
  });
});
