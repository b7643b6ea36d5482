import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { generateRecoveryCodes } from "../../server/auth/recovery-codes";
import { LIMITS } from "../../server/auth/throttle";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { publishVersion } from "../../server/domain/publications";
import { findMotion, listBallots, putMotion } from "../../server/domain/motions";
import { createRound } from "../../server/domain/rounds";
import { requiredRoles } from "../../server/domain/second-factor";
import type { User } from "../../server/domain/users";
import { saveVersion } from "../../server/domain/versions";
import { buildUser, TEST_PASSWORD } from "../../test/factories";
import { enrolApp, TestAuthenticatorApp } from "../../test/second-factor";
import { SoftwareAuthenticator } from "../../test/software-authenticator";
import { connectClient, eventually, synced } from "../../test/collab-client";
import { openEventStream } from "../../test/event-stream";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";

let server: TestServer;
let secretariat: User;

beforeAll(async () => {
  // The default policy: the secretariat and heads must have a second factor.
  server = await startTestServer({ secondFactorPolicy: true });
  secretariat = await buildUser({ role: "secretariat" });
});

/** A member of the secretariat with an authenticator app: one per test, so that codes never run short. */
async function newSecretariat(): Promise<{ user: User; app: TestAuthenticatorApp }> {
  const user = await buildUser({ role: "secretariat" });
  return { user, app: await enrolApp(user) };
}
afterAll(async () => {
  await server.stop();
});

/** Signs in with the password, then the app's code; throws unless both steps pass. */
async function signInWithApp(user: User, app: TestAuthenticatorApp): Promise<TestClient> {
  const client = server.client();
  const first = await client.post("/login", { email: user.email, password: TEST_PASSWORD });
  expect(first.status).toBe(302);
  expect(first.headers.get("location")).toBe("/login/second-factor");
  const second = await client.post("/login/second-factor", { intent: "code", code: await app.freshCode() });
  expect(second.status).toBe(302);
  expect(client.sessionCookie()).toBeTruthy();
  return client;
}

/** Makes the session's last second-factor check eleven minutes old. */
async function ageCheck(client: TestClient): Promise<void> {
  const { hashToken } = await import("../../server/auth/tokens");
  await server.database.sql`UPDATE sessions SET second_factor_at = now() - interval '11 minutes' WHERE id = ${hashToken(client.sessionCookie() ?? "")}`;
}

async function countRows(table: "ballots" | "publications" | "disposition_publications" | "outbox", where: { column: string; value: string }): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${server.database.sql(table)} WHERE ${server.database.sql(where.column)} = ${where.value}`;
  return row?.n ?? -1;
}

describe("the second-factor policy", () => {
  it("requires one of the secretariat and heads of delegation by default", async () => {
    expect(await requiredRoles()).toEqual(["secretariat", "head"]);
  });

  it("holds a head without a factor at the set-up page: pages redirect, everything else is refused", async () => {
    const head = await buildUser({ role: "head", delegation: "ca" });
    const client = server.client();
    await client.signIn(head.email);
    const page = await client.fetch("/drafts", { headers: { accept: "text/html" } });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/account/security?redirectTo=%2Fdrafts");
    const json = await client.fetch("/notifications", { headers: { accept: "application/json" } });
    expect(json.status).toBe(403);
    expect(await json.json()).toEqual({ error: "Set up a second factor first, at /account/security." });
    expect((await client.post("/account", { intent: "set-language", language: "fr" })).status).toBe(403);
    expect((await client.post("/drafts/anything/motions/1", { intent: "vote", choice: "yes" })).status).toBe(403);
    // A navigation inside the app asks for the page's data: the root loader redirects it, and
    // the answer holds nothing of the page.
    await createDraft({ actor: secretariat, title: "Held back from the unenrolled" });
    const data = await client.get("/drafts.data");
    expect([200, 202, 302, 303]).toContain(data.status);
    const body = await data.text();
    expect(body).toContain("/account/security");
    expect(body).not.toContain("Held back from the unenrolled");
    // A resource route asked for as data gives nothing away either.
    const resource = await client.get("/api/drafts.data");
    expect(await resource.text()).not.toContain("Held back from the unenrolled");
    expect((await client.get("/api/drafts")).status).toBe(403);
    expect((await client.get("/account/security")).status).toBe(200);
    const loggedOut = await client.post("/logout", {});
    expect(loggedOut.status).toBe(302);
  });

  it("lets a head with nothing but a delegate's role in a role not protected work with a password alone", async () => {
    const delegate = await buildUser({ role: "delegate", delegation: "ca" });
    const client = server.client();
    await client.signIn(delegate.email);
    expect((await client.fetch("/drafts", { headers: { accept: "text/html" } })).status).toBe(200);
  });

  it("lets only the secretariat change it, with a recent second factor, even by a direct POST", async () => {
    const head = await buildUser({ role: "head", delegation: "no" });
    const headClient = await signInWithApp(head, await enrolApp(head));
    expect((await headClient.post("/admin/security", { "role-delegate": "on" })).status).toBe(403);

    const { user: chair, app: chairApp } = await newSecretariat();
    const client = await signInWithApp(chair, chairApp);
    await ageCheck(client);
    const stale = await client.post("/admin/security", { "role-secretariat": "on", "role-head": "on", "role-delegate": "on" });
    expect(stale.status).toBe(403);
    expect(await requiredRoles()).toEqual(["secretariat", "head"]);
    const stepped = await client.post("/account/step-up", { intent: "code", code: await chairApp.freshCode() });
    expect(stepped.status).toBe(200);
    const saved = await client.post("/admin/security", { "role-secretariat": "on", "role-head": "on", "role-delegate": "on" });
    expect(saved.status).toBe(200);
    expect(await requiredRoles()).toEqual(["secretariat", "head", "delegate"]);
    // A delegate without a factor is now held at the set-up page too.
    const delegate = await buildUser({ role: "delegate", delegation: "no" });
    const delegateClient = server.client();
    await delegateClient.signIn(delegate.email);
    expect((await delegateClient.fetch("/drafts", { headers: { accept: "text/html" } })).status).toBe(303);
    expect((await client.post("/admin/security", { "role-secretariat": "on", "role-head": "on" })).status).toBe(200);
    const [audit] = await server.database.sql<{ details: { from: string[]; to: string[] } }[]>`
      SELECT details FROM audit_events WHERE action = 'second-factor.policy-changed' ORDER BY id DESC LIMIT 1`;
    expect(audit?.details).toEqual({ from: ["secretariat", "head", "delegate"], to: ["secretariat", "head"] });
  });
});

describe("a policy made stricter while people are connected", () => {
  it("ends the event streams and co-editing sockets of those it now holds, and lets them back only once they have a factor", async () => {
    const draft = await createDraft({ actor: secretariat, title: `Held ${Math.random().toString(36).slice(2, 8)}` });
    const delegate = await buildUser({ role: "delegate", delegation: "fr" });
    const client = server.client();
    await client.signIn(delegate.email);
    const { stream, ready } = openEventStream(client, `/drafts/${draft.slug}/events`);
    await ready;
    expect(stream.status).toBe(200);
    const socket = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: client.sessionCookie() });
    await synced(socket);
    let socketClosed = false;
    socket.provider.on("connection-close", () => (socketClosed = true));

    const { user: chair, app: chairApp } = await newSecretariat();
    const chairClient = await signInWithApp(chair, chairApp);
    expect((await chairClient.post("/admin/security", { "role-secretariat": "on", "role-head": "on", "role-delegate": "on" })).status).toBe(200);
    try {
      await Promise.race([stream.ended, new Promise((_, reject) => setTimeout(() => reject(new Error("the stream did not end")), 3000))]);
      await eventually(() => socketClosed, 3000, "the socket closed");
      const again = openEventStream(client, `/drafts/${draft.slug}/events`);
      await again.ready;
      expect(again.stream.status).toBe(403);
      again.stream.close();
      socket.destroy();
      await enrolApp(delegate);
      expect((await client.fetch("/drafts", { headers: { accept: "text/html" } })).status).toBe(200);
    } finally {
      socket.destroy();
      stream.close();
      expect((await chairClient.post("/admin/security", { "role-secretariat": "on", "role-head": "on" })).status).toBe(200);
    }
  });
});

describe("signing in with a second factor", () => {
  it("asks for the code after the password, and starts no session before it", async () => {
    const head = await buildUser({ role: "head", delegation: "fr" });
    const app = await enrolApp(head);
    const client = server.client();
    const first = await client.post("/login", { email: head.email, password: TEST_PASSWORD, redirectTo: "/drafts" });
    expect(first.headers.get("location")).toBe("/login/second-factor?redirectTo=%2Fdrafts");
    expect(client.sessionCookie()).toBeUndefined();
    expect((await client.get("/drafts")).status).toBe(302);
    const wrong = await client.post("/login/second-factor", { intent: "code", code: "000000" === app.codeAt() ? "111111" : "000000" });
    expect(wrong.status).toBe(401);
    expect(client.sessionCookie()).toBeUndefined();
    const code = await app.freshCode();
    const right = await client.post("/login/second-factor", { intent: "code", code, redirectTo: "/drafts" });
    expect(right.status).toBe(302);
    expect(right.headers.get("location")).toBe("/drafts");
    const [session] = await server.database.sql<{ auth_method: string; second_factor_at: Date | null }[]>`
      SELECT auth_method, second_factor_at FROM sessions WHERE user_id = ${head.id}`;
    expect(session?.auth_method).toBe("password+totp");
    expect(session?.second_factor_at).toBeInstanceOf(Date);

    // The same code again, in another browser, is refused.
    const other = server.client();
    await other.post("/login", { email: head.email, password: TEST_PASSWORD });
    expect((await other.post("/login/second-factor", { intent: "code", code })).status).toBe(401);
    expect(other.sessionCookie()).toBeUndefined();
  });

  it("refuses a code without a pending sign-in, and the page without one sends back to the password", async () => {
    const client = server.client();
    const post = await client.post("/login/second-factor", { intent: "code", code: "123456" });
    expect(post.status).toBe(302);
    expect(post.headers.get("location")).toBe("/login");
    expect(client.sessionCookie()).toBeUndefined();
    const page = await client.get("/login/second-factor");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/login");
  });

  it("throttles codes like passwords: after the limit even the right code waits", async () => {
    const head = await buildUser({ role: "head", delegation: "dk" });
    const app = await enrolApp(head);
    const client = server.client();
    await client.post("/login", { email: head.email, password: TEST_PASSWORD });
    const wrongCode = app.codeAt() === "999999" ? "999998" : "999999";
    for (let attempt = 0; attempt < LIMITS["second-factor"]; attempt += 1) {
      expect((await client.post("/login/second-factor", { intent: "code", code: wrongCode })).status).toBe(401);
    }
    const blocked = await client.post("/login/second-factor", { intent: "code", code: await app.freshCode() });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(client.sessionCookie()).toBeUndefined();
  });

  it("takes a recovery code once, and says how many are left", async () => {
    const head = await buildUser({ role: "head", delegation: "nl" });
    await enrolApp(head);
    const [code] = await generateRecoveryCodes(head.id);
    const client = server.client();
    await client.post("/login", { email: head.email, password: TEST_PASSWORD });
    const used = await client.post("/login/second-factor", { intent: "code", code: code?.toUpperCase() ?? "" });
    expect(used.status).toBe(302);
    expect(used.headers.get("location")).toBe("/account/security?recovered");
    expect(await (await client.get("/account/security?recovered")).text()).toContain("You have 9 left.");
    const again = server.client();
    await again.post("/login", { email: head.email, password: TEST_PASSWORD });
    expect((await again.post("/login/second-factor", { intent: "code", code: code ?? "" })).status).toBe(401);
  });
});

describe("step-up before protected actions", () => {
  async function votingDraftWithMotion(): Promise<{ draft: Draft; number: number }> {
    const draft = await createDraft({
      actor: secretariat,
      title: `Ballots ${Math.random().toString(36).slice(2, 8)}`,
      content: documentJson("Ballots", ["Preamble."], [section("Scope", clause("States should assess the risk."))]),
    });
    await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "First", kind: "manual" });
    await createRound(server.live, { actor: secretariat, draftId: draft.id, round: { name: "Vote", phase: "voting", startsAt: new Date(), endsAt: null, instructions: "", observersComment: false } });
    const motion = await putMotion(server.live, {
      actor: secretariat,
      draftId: draft.id,
      subject: { kind: "version", number: 1 },
      rule: "majority",
      quorum: 0,
      deadline: new Date(Date.now() + 86_400_000),
    });
    return { draft, number: motion.number };
  }

  it("refuses a ballot on a session whose check is older than ten minutes, then takes it after a step-up", async () => {
    const { draft, number } = await votingDraftWithMotion();
    const head = await buildUser({ role: "head", delegation: "au" });
    const app = await enrolApp(head);
    const client = await signInWithApp(head, app);
    await ageCheck(client);
    const path = `/drafts/${draft.slug}/motions/${number}`;
    const refused = await client.post(path, { intent: "vote", choice: "yes", explanation: "For Australia." });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Confirm your second factor first");
    const motion = await findMotion({ draftId: draft.id, number });
    if (!motion) throw new Error("no motion");
    expect(await listBallots(motion.id)).toEqual([]);

    const badStep = await client.post("/account/step-up", { intent: "code", code: "12345" });
    expect(badStep.status).toBe(401);
    const step = await client.post("/account/step-up", { intent: "code", code: await app.freshCode() });
    expect(step.status).toBe(200);
    const { validUntil } = (await step.json()) as { validUntil: string };
    expect(new Date(validUntil).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect((await client.post(path, { intent: "vote", choice: "yes", explanation: "For Australia." })).status).toBe(200);
    expect((await listBallots(motion.id)).map((ballot) => ballot.explanation)).toEqual(["For Australia."]);
    // Changing and withdrawing the ballot need it too.
    await ageCheck(client);
    expect((await client.post(path, { intent: "vote", choice: "no", explanation: "" })).status).toBe(403);
    expect((await client.post(path, { intent: "withdraw" })).status).toBe(403);
    expect((await listBallots(motion.id)).map((ballot) => ballot.choice)).toEqual(["yes"]);
  });

  it("refuses publishing, role changes, invitations and the audit export without a recent check", async () => {
    const draft = await createDraft({ actor: secretariat, title: `Publish ${Math.random().toString(36).slice(2, 8)}` });
    await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "First", kind: "manual" });
    const { user: chair, app: chairApp } = await newSecretariat();
    const client = await signInWithApp(chair, chairApp);
    await ageCheck(client);
    const publish = await client.post(`/drafts/${draft.slug}/versions/1/publish`, { publicTitle: "Code", summary: "", statusLabel: "Draft", attribution: "anonymous" });
    expect(publish.status).toBe(403);
    expect(await countRows("publications", { column: "draft_id", value: draft.id })).toBe(0);

    const delegate = await buildUser({ role: "delegate", delegation: "uk" });
    const role = await client.post("/admin/accounts", { intent: "change-role", userId: delegate.id, role: "head", delegation: "uk" });
    expect(role.status).toBe(403);
    const [still] = await server.database.sql<{ role: string }[]>`SELECT role FROM users WHERE id = ${delegate.id}`;
    expect(still?.role).toBe("delegate");
    expect((await client.post("/admin/accounts", { intent: "disable", userId: delegate.id })).status).toBe(403);
    expect((await client.post("/admin/invitations", { intent: "invite", email: "new-person@example.org", role: "secretariat", delegation: "" })).status).toBe(403);
    const csv = await client.get("/admin/audit.csv");
    expect(csv.status).toBe(302);
    expect(csv.headers.get("location")).toBe("/account/confirm?redirectTo=%2Fadmin%2Faudit.csv");

    expect((await client.post("/account/step-up", { intent: "code", code: await chairApp.freshCode() })).status).toBe(200);
    expect((await client.post(`/drafts/${draft.slug}/versions/1/publish`, { publicTitle: "Code", summary: "", statusLabel: "Draft", attribution: "anonymous" })).status).toBe(302);

    expect((await client.post("/admin/accounts", { intent: "change-role", userId: delegate.id, role: "head", delegation: "uk" })).status).toBe(200);
    expect((await client.get("/admin/audit.csv")).status).toBe(200);
  });

  it("refuses publishing a consultation's disposition table without a recent check", async () => {
    const draft = await createDraft({ actor: secretariat, title: `Dispositions ${Math.random().toString(36).slice(2, 8)}` });
    await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "First", kind: "manual" });
    const publication = await publishVersion(server.live, { actor: secretariat, draftId: draft.id, versionNumber: 1, publicTitle: "Code", summary: "", statusLabel: "Draft", attribution: "anonymous" });
    const { user: chair, app: chairApp } = await newSecretariat();
    const client = await signInWithApp(chair, chairApp);
    await ageCheck(client);
    const form = { intent: "publish", versionId: publication.versionId };
    expect((await client.post(`/drafts/${draft.slug}/consultation`, form)).status).toBe(403);
    expect(await countRows("disposition_publications", { column: "draft_id", value: draft.id })).toBe(0);
    expect((await client.post("/account/step-up", { intent: "code", code: await chairApp.freshCode() })).status).toBe(200);
    expect((await client.post(`/drafts/${draft.slug}/consultation`, form)).status).toBe(200);
    expect(await countRows("disposition_publications", { column: "draft_id", value: draft.id })).toBe(1);
  });

  it("confirms a code on the page for browsers without scripts, and goes back to the download", async () => {
    const { user: chair, app: chairApp } = await newSecretariat();
    const client = await signInWithApp(chair, chairApp);
    await ageCheck(client);
    expect((await client.get("/account/confirm?redirectTo=%2Fadmin%2Faudit.csv")).status).toBe(200);
    const wrong = await client.post("/account/confirm", { code: "000000", redirectTo: "/admin/audit.csv" });
    expect([400, 401]).toContain(wrong.status);
    const right = await client.post("/account/confirm", { code: await chairApp.freshCode(), redirectTo: "https://evil.example/" });
    expect(right.status).toBe(302);
    expect(right.headers.get("location")).toBe("/account/security");
  });
});

describe("changing and resetting factors", () => {
  it("refuses removing a protected person's last factor, and changes need a recent check", async () => {
    const head = await buildUser({ role: "head", delegation: "us" });
    const app = await enrolApp(head);
    const client = await signInWithApp(head, app);
    const last = await client.post("/account/security", { intent: "totp-remove" });
    expect(last.status).toBe(409);
    expect(await last.text()).toContain("add another before removing this one");
    await ageCheck(client);
    expect((await client.post("/account/security", { intent: "recovery-renew" })).status).toBe(403);
    expect((await client.post("/account/security/passkeys", { intent: "options" })).status).toBe(403);
    const password = { intent: "change-password", currentPassword: TEST_PASSWORD, newPassword: "a new and long password", confirmPassword: "a new and long password" };
    expect((await client.post("/account", password)).status).toBe(403);
    expect((await client.post("/account/step-up", { intent: "code", code: await app.freshCode() })).status).toBe(200);
    const renewed = await client.post("/account/security", { intent: "recovery-renew" });
    expect(renewed.status).toBe(200);
    expect(new Set((await renewed.text()).match(/[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}/g)).size).toBe(10);
    expect(await countRows("outbox", { column: "recipient", value: head.email })).toBeGreaterThan(0);
  });

  it("lets the secretariat reset a lost factor after a check it writes down: sessions end, the person is told", async () => {
    const head = await buildUser({ role: "head", delegation: "fr" });
    const headApp = await enrolApp(head);
    const headClient = await signInWithApp(head, headApp);
    const mailBefore = await countRows("outbox", { column: "recipient", value: head.email });
    const { user: chair, app: chairApp } = await newSecretariat();
    const client = await signInWithApp(chair, chairApp);
    const page = await client.get(`/accounts/${head.id}/second-factor`);
    expect(page.status).toBe(200);
    const short = await client.post(`/accounts/${head.id}/second-factor`, { check: "ok" });
    expect(short.status).toBe(400);
    const reset = await client.post(`/accounts/${head.id}/second-factor`, { check: "Called her on the number in the delegation list." });
    expect(reset.status).toBe(200);
    const [factors] = await server.database.sql<{ n: number }[]>`
      SELECT (SELECT count(*) FROM totp_keys WHERE user_id = ${head.id}) + (SELECT count(*) FROM recovery_codes WHERE user_id = ${head.id})
        + (SELECT count(*) FROM sessions WHERE user_id = ${head.id}) AS n`;
    expect(Number(factors?.n)).toBe(0);
    expect((await headClient.get("/drafts")).status).toBe(302);
    expect(await countRows("outbox", { column: "recipient", value: head.email })).toBe(mailBefore + 1);
    const [audit] = await server.database.sql<{ actor_id: string; details: { check: string } }[]>`
      SELECT actor_id, details FROM audit_events WHERE action = 'second-factor.reset' AND target_id = ${head.id}`;
    expect(audit).toMatchObject({ actor_id: chair.id, details: { check: "Called her on the number in the delegation list." } });
    // Signing in again needs no code, and leads to setting up a new factor.
    const again = server.client();
    await again.signIn(head.email);
    expect((await again.fetch("/drafts", { headers: { accept: "text/html" } })).headers.get("location")).toContain("/account/security");
  });

  it("lets a head reset their own delegates' factors and no one else's", async () => {
    const head = await buildUser({ role: "head", delegation: "dk" });
    const client = await signInWithApp(head, await enrolApp(head));
    const own = await buildUser({ role: "delegate", delegation: "dk" });
    await enrolApp(own);
    const foreign = await buildUser({ role: "delegate", delegation: "fr" });
    await enrolApp(foreign);
    const otherHead = await buildUser({ role: "head", delegation: "dk" });
    expect((await client.get(`/accounts/${foreign.id}/second-factor`)).status).toBe(403);
    expect((await client.post(`/accounts/${foreign.id}/second-factor`, { check: "Phoned them at the embassy." })).status).toBe(403);
    expect((await client.post(`/accounts/${otherHead.id}/second-factor`, { check: "Phoned them at the embassy." })).status).toBe(403);
    expect((await client.post(`/accounts/${head.id}/second-factor`, { check: "Phoned them at the embassy." })).status).toBe(403);
    expect((await client.post(`/accounts/not-an-id/second-factor`, { check: "Phoned them at the embassy." })).status).toBe(404);
    expect((await client.post(`/accounts/${own.id}/second-factor`, { check: "Phoned them at the embassy." })).status).toBe(200);
    const [left] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM totp_keys WHERE user_id IN ${server.database.sql([own.id, foreign.id])}`;
    expect(left?.n).toBe(1);
  });
});

describe("passkeys over HTTP", () => {
  /** Adds a passkey to the signed-in account through the security page's endpoint. */
  async function addPasskey(client: TestClient, authenticator: SoftwareAuthenticator, name: string, passwordless: boolean) {
    const options = await client.post("/account/security/passkeys", { intent: "options" });
    expect(options.status).toBe(200);
    const { options: creation } = (await options.json()) as { options: Parameters<SoftwareAuthenticator["register"]>[0] };
    const response = authenticator.register(creation, server.url);
    return client.post("/account/security/passkeys", { intent: "register", response: JSON.stringify(response), name, passwordless: passwordless ? "on" : "off" });
  }

  it("sets up a first factor with a passkey, then signs in with the password and the passkey, or the passkey alone", async () => {
    const head = await buildUser({ role: "head", delegation: "au" });
    const client = server.client();
    await client.signIn(head.email);
    const authenticator = new SoftwareAuthenticator({ userVerification: true });
    const added = await addPasskey(client, authenticator, "Office laptop", true);
    expect(added.status).toBe(200);
    const { recoveryCodes } = (await added.json()) as { recoveryCodes: string[] | null };
    expect(recoveryCodes).toHaveLength(10);
    // The gate opens at once: the passkey was just proved.
    expect((await client.fetch("/drafts", { headers: { accept: "text/html" } })).status).toBe(200);

    const second = server.client();
    await second.post("/login", { email: head.email, password: TEST_PASSWORD });
    const options = await second.post("/login/passkey", { purpose: "sign-in", intent: "options" });
    const { options: request } = (await options.json()) as { options: Parameters<SoftwareAuthenticator["authenticate"]>[0] };
    const answer = JSON.stringify(authenticator.authenticate(request, server.url));
    const signedIn = await second.post("/login/passkey", { purpose: "sign-in", intent: "passkey", response: answer, redirectTo: "/drafts" });
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toEqual({ redirectTo: "/drafts" });
    expect(second.sessionCookie()).toBeTruthy();
    // The same answer again (a replay) finds its challenge spent.
    const replay = server.client();
    await replay.post("/login", { email: head.email, password: TEST_PASSWORD });
    expect((await replay.post("/login/passkey", { purpose: "sign-in", intent: "passkey", response: answer })).status).toBe(401);
    expect(replay.sessionCookie()).toBeUndefined();

    const alone = server.client();
    const passwordless = await alone.post("/login/passkey", { purpose: "passwordless", intent: "options" });
    const { options: discoverable } = (await passwordless.json()) as { options: Parameters<SoftwareAuthenticator["authenticate"]>[0] };
    const done = await alone.post("/login/passkey", { purpose: "passwordless", intent: "passkey", response: JSON.stringify(authenticator.authenticate(discoverable, server.url)) });
    expect(done.status).toBe(200);
    const methods = await server.database.sql<{ auth_method: string }[]>`SELECT auth_method FROM sessions WHERE user_id = ${head.id} ORDER BY created_at`;
    expect(methods.map((row) => row.auth_method)).toEqual(["password", "password+passkey", "passkey"]);
  });

  it("refuses a passkey that may not sign in alone, a sign-in step without a pending sign-in, and garbage", async () => {
    const head = await buildUser({ role: "head", delegation: "ca" });
    const client = server.client();
    await client.signIn(head.email);
    const authenticator = new SoftwareAuthenticator({ userVerification: true });
    expect((await addPasskey(client, authenticator, "Key", false)).status).toBe(200);
    const alone = server.client();
    const passwordless = await alone.post("/login/passkey", { purpose: "passwordless", intent: "options" });
    const { options } = (await passwordless.json()) as { options: Parameters<SoftwareAuthenticator["authenticate"]>[0] };
    expect((await alone.post("/login/passkey", { purpose: "passwordless", intent: "passkey", response: JSON.stringify(authenticator.authenticate(options, server.url)) })).status).toBe(401);
    expect((await alone.post("/login/passkey", { purpose: "sign-in", intent: "options" })).status).toBe(401);
    for (const response of ["", "null", "{", JSON.stringify({ id: "x".repeat(5000) }), "[]"]) {
      const refused = await alone.post("/login/passkey", { purpose: "passwordless", intent: "passkey", response });
      expect(refused.status).toBe(401);
    }
    expect((await alone.post("/login/passkey", { purpose: "passwordless", intent: "passkey", response: "x".repeat(20_000) })).status).toBe(400);
    expect((await alone.post("/login/passkey", { purpose: "admin", intent: "options" })).status).toBe(400);
    expect(alone.sessionCookie()).toBeUndefined();
  });

  it("steps up with a passkey", async () => {
    const head = await buildUser({ role: "head", delegation: "nl" });
    const client = server.client();
    await client.signIn(head.email);
    const authenticator = new SoftwareAuthenticator({ userVerification: true });
    expect((await addPasskey(client, authenticator, "Key", false)).status).toBe(200);
    await ageCheck(client);
    expect((await client.post("/account/security", { intent: "recovery-renew" })).status).toBe(403);
    const options = await client.post("/account/step-up", { intent: "options" });
    const { options: request } = (await options.json()) as { options: Parameters<SoftwareAuthenticator["authenticate"]>[0] };
    const stepped = await client.post("/account/step-up", { intent: "passkey", response: JSON.stringify(authenticator.authenticate(request, server.url)) });
    expect(stepped.status).toBe(200);
    expect((await client.post("/account/security", { intent: "recovery-renew" })).status).toBe(200);
  });
});
