import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";

let server: TestServer;
let secretariat: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  const user = await buildUser({ role: "secretariat" });
  secretariat = server.client();
  await secretariat.signIn(user.email);
});
afterAll(async () => {
  await server.stop();
});

const GOOD_PASSWORD = "a long and memorable passphrase";

/** Invites through the administration page, as the secretariat would; returns the link's path. */
async function invite(email: string, role = "delegate", delegation = "nl"): Promise<string> {
  const response = await secretariat.post("/admin/invitations", { intent: "invite", email, role, delegation });
  expect(response.status).toBe(200);
  const path = /\/invite\/[a-z2-7]{32}/.exec(await response.text())?.[0];
  if (!path) throw new Error("No invitation link on the page");
  return path;
}

async function userCount(email: string): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM users WHERE email = ${email}`;
  return row?.n ?? 0;
}

describe("accepting an invitation", () => {
  it("shows the invitation, refuses a bad form, then creates the account and signs it in, once", async () => {
    const path = await invite("femke.devries@example.org");
    const client = server.client();

    const page = await client.get(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("femke.devries@example.org");
    expect(html).toContain("Delegate");
    expect(html).toContain("Netherlands");

    const short = await client.post(path, { displayName: "Femke de Vries", password: "pw-1234", confirmPassword: "pw-1234" });
    expect(short.status).toBe(400);
    const shortHtml = await short.text();
    expect(shortHtml).toContain("at least 12 characters");
    expect(shortHtml).not.toContain("pw-1234");
    const mismatch = await client.post(path, { displayName: "Femke de Vries", password: GOOD_PASSWORD, confirmPassword: `${GOOD_PASSWORD}!` });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("The two passwords are not the same.");
    const nameless = await client.post(path, { displayName: "   ", password: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD });
    expect(nameless.status).toBe(400);
    const [open] = await server.database.sql<{ accepted_at: Date | null }[]>`
      SELECT accepted_at FROM invitations WHERE email = 'femke.devries@example.org'`;
    expect(open?.accepted_at).toBeNull();
    expect(await userCount("femke.devries@example.org")).toBe(0);

    const accepted = await client.post(path, { displayName: " Femke de Vries ", password: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe("/drafts");
    expect(accepted.headers.get("set-cookie")).toMatch(/^accord_session=[a-z2-7]{32}; Path=\/; HttpOnly; SameSite=Lax/);
    expect(client.sessionCookie()).toBeTruthy();

    // Following the redirect: the new session is accepted, not sent back to sign in.
    const drafts = await client.get("/drafts");
    expect(drafts.status).not.toBe(302);
    expect(await drafts.text()).toContain("Signed in as Femke de Vries");

    const [user] = await server.database.sql<{ id: string; display_name: string; role: string; delegation_code: string }[]>`
      SELECT id, display_name, role, delegation_code FROM users WHERE email = 'femke.devries@example.org'`;
    expect(user).toMatchObject({ display_name: "Femke de Vries", role: "delegate", delegation_code: "nl" });
    const audit = await server.database.sql`
      SELECT 1 FROM audit_events WHERE action = 'invitation.accepted' AND actor_id = ${user?.id ?? null}`;
    expect(audit).toHaveLength(1);
    // The new password is the one that signs in.
    await server.client().signIn("femke.devries@example.org", GOOD_PASSWORD);

    const reused = await server.client().get(path);
    expect(reused.status).toBe(410);
    expect(await reused.text()).toContain("This invitation has already been used");
    const again = await server.client().post(path, { displayName: "Someone Else", password: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD });
    expect(again.status).toBe(410);
    expect(await userCount("femke.devries@example.org")).toBe(1);
  });

  it("refuses an expired invitation, to view and to accept", async () => {
    const path = await invite("late@example.org", "observer", "");
    await server.database.sql`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE email = 'late@example.org'`;
    const client = server.client();
    const page = await client.get(path);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("This invitation has expired");
    const post = await client.post(path, { displayName: "Too Late", password: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD });
    expect(post.status).toBe(410);
    expect(await userCount("late@example.org")).toBe(0);
  });

  it("answers an unknown or malformed link with 404", async () => {
    for (const path of ["/invite/abcdefghijklmnopqrstuvwxyz234567", "/invite/not-a-token"]) {
      const response = await server.client().get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toContain("Invitation not found");
    }
  });

  it("shows the invitation to someone already signed in, and hands the browser over to the new account", async () => {
    const path = await invite("second.account@example.org", "observer", "");
    const someone = await buildUser({ role: "observer", delegation: null, displayName: "Already Here" });
    const client = server.client();
    await client.signIn(someone.email);
    const oldSession = client.sessionCookie();

    const page = await client.get(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("second.account@example.org");
    expect(html).toContain("You are signed in as Already Here");

    const accepted = await client.post(path, { displayName: "Second Account", password: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD });
    expect(accepted.status).toBe(302);
    expect(client.sessionCookie()).not.toBe(oldSession);
    expect(await (await client.get("/")).text()).toContain("Signed in as Second Account");
    const [ended] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sessions WHERE user_id = ${someone.id}`;
    expect(ended?.n).toBe(0);
  });
});
