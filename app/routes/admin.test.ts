import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../server/auth/roles";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const PAGES = ["/admin", "/admin/accounts", "/admin/invitations", "/admin/delegations", "/admin/audit"];

async function signedIn(role: Role, delegation?: string | null) {
  const user = await buildUser({ role, delegation });
  const client = server.client();
  await client.signIn(user.email);
  return { user, client };
}

async function auditRows(action: string, targetId: string) {
  return server.database.sql<{ actor_id: string | null; details: Record<string, unknown> }[]>`
    SELECT actor_id, details FROM audit_events WHERE action = ${action} AND target_id = ${targetId}`;
}

async function countRows(table: "audit_events" | "invitations"): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${server.database.sql(table)}`;
  return row?.n ?? 0;
}

async function storedUser(id: string) {
  const [row] = await server.database.sql<{ role: string; delegation_code: string | null; disabled: boolean }[]>`
    SELECT role, delegation_code, disabled FROM users WHERE id = ${id}`;
  return row;
}

describe("access to the administration", () => {
  it("sends a signed-out visitor to sign in", async () => {
    const client = server.client();
    for (const path of PAGES) {
      const response = await client.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    }
    const post = await client.post("/admin/invitations", { intent: "invite", email: "x@example.org", role: "observer", delegation: "" });
    expect(post.status).toBe(302);
    expect(await countRows("invitations")).toBe(0);
  });

  it.each([
    ["head", "fr"],
    ["delegate", "fr"],
    ["observer", null],
  ] as const)("answers a %s with the 403 page on every admin page", async (role, delegation) => {
    const { client } = await signedIn(role, delegation);
    for (const path of PAGES) {
      const response = await client.get(path);
      expect(response.status, path).toBe(403);
      expect(await response.text(), path).toContain("Not allowed");
    }
  });

  it("refuses every admin form from a head of delegation, writing nothing", async () => {
    const { client } = await signedIn("head", "fr");
    const target = await buildUser({ role: "delegate", delegation: "fr" });
    const auditBefore = await countRows("audit_events");
    const posts: [string, Record<string, string>][] = [
      ["/admin/accounts", { intent: "disable", userId: target.id }],
      ["/admin/accounts", { intent: "change-role", userId: target.id, role: "head", delegation: "fr" }],
      // Even an invitation a head may create on their delegation's page is not theirs to make here.
      ["/admin/invitations", { intent: "invite", email: "new-fr@example.org", role: "delegate", delegation: "fr" }],
    ];
    for (const [path, form] of posts) {
      const response = await client.post(path, form);
      expect(response.status, `${path} ${form.intent}`).toBe(403);
    }
    expect(await storedUser(target.id)).toEqual({ role: "delegate", delegation_code: "fr", disabled: false });
    expect(await countRows("invitations")).toBe(0);
    expect(await countRows("audit_events")).toBe(auditBefore);
  });

  it("leads the secretariat from /admin to the accounts", async () => {
    const { client } = await signedIn("secretariat");
    const response = await client.get("/admin");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin/accounts");
  });
});

describe("the accounts page", () => {
  it("lists every account, with named buttons on every row but one's own", async () => {
    const { user: me, client } = await signedIn("secretariat");
    const other = await buildUser({ role: "delegate", delegation: "no", displayName: "Kari Nordmann" });
    const response = await client.get("/admin/accounts");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Kari Nordmann");
    expect(html).toContain(other.email);
    expect(html).toContain('aria-label="Disable Kari Nordmann"');
    expect(html).toContain('aria-label="Change role of Kari Nordmann"');
    expect(html).toContain(me.email);
    expect(html).not.toContain(`aria-label="Disable ${me.displayName}"`);
  });

  it("disables an account, ending its session at once, and re-enables it", async () => {
    const { client } = await signedIn("secretariat");
    const { user: colleague, client: colleagueClient } = await signedIn("secretariat");
    expect((await colleagueClient.get("/admin/accounts")).status).toBe(200);

    const disabled = await client.post("/admin/accounts", { intent: "disable", userId: colleague.id });
    expect(disabled.status).toBe(200);
    expect(await disabled.text()).toContain("account is disabled");
    expect((await storedUser(colleague.id))?.disabled).toBe(true);
    expect(await auditRows("account.disabled", colleague.id)).toHaveLength(1);

    const after = await colleagueClient.get("/admin/accounts");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login\?/);
    await expect(server.client().signIn(colleague.email)).rejects.toThrow(/answered 401/);

    const enabled = await client.post("/admin/accounts", { intent: "enable", userId: colleague.id });
    expect(enabled.status).toBe(200);
    expect((await storedUser(colleague.id))?.disabled).toBe(false);
    expect(await auditRows("account.enabled", colleague.id)).toHaveLength(1);
    await server.client().signIn(colleague.email);
  });

  it("changes a role and delegation, and audits it", async () => {
    const { user: me, client } = await signedIn("secretariat");
    const target = await buildUser({ role: "delegate", delegation: "fr", displayName: "Jean Martin" });
    const response = await client.post("/admin/accounts", {
      intent: "change-role",
      userId: target.id,
      role: "head",
      delegation: "ca",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Jean Martin is now Head of delegation.");
    expect(await storedUser(target.id)).toEqual({ role: "head", delegation_code: "ca", disabled: false });
    const [row] = await auditRows("account.role-changed", target.id);
    expect(row?.actor_id).toBe(me.id);
    expect(row?.details).toMatchObject({ from: { role: "delegate", delegation: "fr" }, to: { role: "head", delegation: "ca" } });
  });

  it.each([
    [{ role: "delegate", delegation: "" }, "must belong to a delegation"],
    [{ role: "secretariat", delegation: "fr" }, "does not belong to a delegation"],
    [{ role: "delegate", delegation: "zz" }, "Choose one of the options."],
    [{ role: "president", delegation: "fr" }, "Choose one of the options."],
  ])("refuses %o with a clear error and writes nothing", async (change, message) => {
    const { client } = await signedIn("secretariat");
    const target = await buildUser({ role: "observer", delegation: null });
    const auditBefore = await countRows("audit_events");
    const response = await client.post("/admin/accounts", { intent: "change-role", userId: target.id, ...change });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
    expect(await storedUser(target.id)).toEqual({ role: "observer", delegation_code: null, disabled: false });
    expect(await countRows("audit_events")).toBe(auditBefore);
  });

  it("refuses a tampered, oversized or self-directed form", async () => {
    const { user: me, client } = await signedIn("secretariat");
    const target = await buildUser();
    const auditBefore = await countRows("audit_events");
    expect((await client.post("/admin/accounts", { intent: "delete", userId: target.id })).status).toBe(400);
    expect((await client.post("/admin/accounts", { intent: "disable" })).status).toBe(400);
    const huge = await client.post("/admin/accounts", { intent: "disable", userId: target.id, pad: "x".repeat(70_000) });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain("The form is too large.");
    expect((await client.post("/admin/accounts", { intent: "disable", userId: "not-an-id" })).status).toBe(404);
    expect((await client.post("/admin/accounts", { intent: "disable", userId: me.id })).status).toBe(403);
    expect(
      (await client.post("/admin/accounts", { intent: "change-role", userId: me.id, role: "observer", delegation: "" })).status,
    ).toBe(403);
    expect((await storedUser(target.id))?.disabled).toBe(false);
    expect((await storedUser(me.id))?.role).toBe("secretariat");
    expect(await countRows("audit_events")).toBe(auditBefore);
  });
});

describe("the invitations page", () => {
  it("creates an invitation and shows its single-use link once", async () => {
    const { user: me, client } = await signedIn("secretariat");
    const response = await client.post("/admin/invitations", {
      intent: "invite",
      email: "  Ingrid.Hansen@Example.org ",
      role: "delegate",
      delegation: "dk",
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Invitation for ingrid.hansen@example.org created.");
    expect(html).toContain("it is valid for 7 days and works once");
    expect(html).toMatch(/class="link-box">http:\/\/[^<]+\/invite\/[a-z2-7]{32}</);

    const [invitation] = await server.database.sql<{ id: string; role: string; delegation_code: string }[]>`
      SELECT id, role, delegation_code FROM invitations WHERE email = 'ingrid.hansen@example.org'`;
    expect(invitation).toMatchObject({ role: "delegate", delegation_code: "dk" });
    const [audit] = await auditRows("invitation.created", invitation?.id ?? "");
    expect(audit?.actor_id).toBe(me.id);

    const list = await (await client.get("/admin/invitations")).text();
    expect(list).toContain('aria-label="Revoke the invitation for ingrid.hansen@example.org"');
    expect(list).not.toMatch(/\/invite\/[a-z2-7]{32}/);
  });

  it("puts a taken email and a delegation that does not fit the role next to their fields, writing nothing", async () => {
    const { client } = await signedIn("secretariat");
    const existing = await buildUser();
    const before = await countRows("invitations");
    const taken = await client.post("/admin/invitations", { intent: "invite", email: existing.email, role: "observer", delegation: "" });
    expect(taken.status).toBe(400);
    const takenHtml = await taken.text();
    expect(takenHtml).toContain("An account with this email address already exists.");
    expect(takenHtml).toContain(`value="${existing.email}"`);
    const headless = await client.post("/admin/invitations", { intent: "invite", email: "nobody@example.org", role: "head", delegation: "" });
    expect(headless.status).toBe(400);
    expect(await headless.text()).toContain("must belong to a delegation");
    const bad = await client.post("/admin/invitations", { intent: "invite", email: "not an email", role: "observer", delegation: "" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter a valid email address.");
    expect(await countRows("invitations")).toBe(before);
  });

  it("revokes an open invitation, whose link then no longer works", async () => {
    const { client } = await signedIn("secretariat");
    const created = await (
      await client.post("/admin/invitations", { intent: "invite", email: "revoked@example.org", role: "observer", delegation: "" })
    ).text();
    const path = /\/invite\/[a-z2-7]{32}/.exec(created)?.[0] ?? "";
    const [invitation] = await server.database.sql<{ id: string }[]>`SELECT id FROM invitations WHERE email = 'revoked@example.org'`;
    const id = invitation?.id ?? "";

    const revoked = await client.post("/admin/invitations", { intent: "revoke", invitationId: id });
    expect(revoked.status).toBe(200);
    expect(await revoked.text()).toContain("The invitation is revoked");
    expect(await auditRows("invitation.revoked", id)).toHaveLength(1);
    const page = await server.client().get(path);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("This invitation was withdrawn");

    const again = await client.post("/admin/invitations", { intent: "revoke", invitationId: id });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("no longer open");
    expect(await auditRows("invitation.revoked", id)).toHaveLength(1);
  });
});

describe("the delegations and audit pages", () => {
  it("lists the eight delegations with their colours and pages", async () => {
    const { client } = await signedIn("secretariat");
    const response = await client.get("/admin/delegations");
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const code of ["us", "au", "ca", "dk", "fr", "nl", "no", "uk"]) expect(html).toContain(`href="/delegations/${code}"`);
    expect(html).toContain("Norway");
    expect(html).toMatch(/style="background:#6a3fa0"/);
  });

  it("shows recent audit events with their actor", async () => {
    const { user: me, client } = await signedIn("secretariat");
    const target = await buildUser();
    await client.post("/admin/accounts", { intent: "disable", userId: target.id });
    const response = await client.get("/admin/audit");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("account.disabled");
    expect(html).toContain(me.displayName);
    expect(html).toContain(target.email);
  });
});
