import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

async function written(): Promise<{ invitations: number; outbox: number; audit: number }> {
  const [row] = await server.database.sql<{ invitations: number; outbox: number; audit: number }[]>`
    SELECT (SELECT count(*)::int FROM invitations) AS invitations,
           (SELECT count(*)::int FROM outbox) AS outbox,
           (SELECT count(*)::int FROM audit_events) AS audit`;
  return row ?? { invitations: 0, outbox: 0, audit: 0 };
}

async function signedInAs(user: { email: string }) {
  const client = server.client();
  await client.signIn(user.email);
  return client;
}

describe("a delegation's page", () => {
  it("sends a signed-out visitor to sign in", async () => {
    const response = await server.client().get("/delegations/fr");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fdelegations%2Ffr");
  });

  it("answers an unknown delegation with 404", async () => {
    const client = await signedInAs(await buildUser());
    expect((await client.get("/delegations/zz")).status).toBe(404);
  });

  it("shows members' emails to the delegation and the secretariat, and hides them from other delegations", async () => {
    const head = await buildUser({ role: "head", delegation: "dk" });
    const delegate = await buildUser({ role: "delegate", delegation: "dk" });
    const outsider = await buildUser({ role: "head", delegation: "no" });
    const secretariat = await buildUser({ role: "secretariat" });

    for (const reader of [delegate, secretariat]) {
      const html = await (await (await signedInAs(reader)).get("/delegations/dk")).text();
      expect(html).toContain("Denmark");
      expect(html).toContain(head.displayName);
      expect(html).toContain(head.email);
      expect(html).toContain(delegate.email);
    }

    const response = await (await signedInAs(outsider)).get("/delegations/dk");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(head.displayName);
    expect(html).toContain(delegate.displayName);
    expect(html).toContain("Head of delegation");
    // Not in the markup, nor in the loader data the page carries for hydration.
    expect(html).not.toContain(head.email);
    expect(html).not.toContain(delegate.email);
    expect(html).not.toContain(">Email</th>");
  });

  it("offers the invitation form to the delegation's head, not to its delegates nor to other heads", async () => {
    const head = await buildUser({ role: "head", delegation: "ca" });
    const delegate = await buildUser({ role: "delegate", delegation: "ca" });
    expect(await (await (await signedInAs(head)).get("/delegations/ca")).text()).toContain("Invite a delegate");
    expect(await (await (await signedInAs(head)).get("/delegations/au")).text()).not.toContain("Invite a delegate");
    expect(await (await (await signedInAs(delegate)).get("/delegations/ca")).text()).not.toContain("Invite a delegate");
  });
});

describe("inviting a delegate", () => {
  it("lets a head invite a delegate of their delegation and shows the single-use link", async () => {
    const head = await buildUser({ role: "head", delegation: "fr" });
    const client = await signedInAs(head);
    const response = await client.post("/delegations/fr", { email: "  New.Delegate@Example.org " });
    expect(response.status).toBe(200);
    const html = await response.text();
    const link = /(http:\/\/[^<"]+\/invite\/[a-z2-7]{32})/.exec(html)?.[1];
    expect(link).toBeTruthy();
    expect(html).toContain("valid for 7 days");

    const [invitation] = await server.database.sql<{ email: string; role: string; delegation_code: string; invited_by: string }[]>`
      SELECT email, role, delegation_code, invited_by FROM invitations`;
    expect(invitation).toEqual({ email: "new.delegate@example.org", role: "delegate", delegation_code: "fr", invited_by: head.id });
    const outbox = await server.database.sql<{ recipient: string; body: string }[]>`SELECT recipient, body FROM outbox`;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.recipient).toBe("new.delegate@example.org");
    expect(outbox[0]?.body).toContain(link);
  });

  it("refuses a crafted request for another delegation or another role, writing nothing", async () => {
    const head = await buildUser({ role: "head", delegation: "fr" });
    const client = await signedInAs(head);
    const before = await written();
    const attempts = [
      client.post("/delegations/uk", { email: "someone@example.org" }),
      client.post("/delegations/fr", { email: "someone@example.org", role: "head" }),
      client.post("/delegations/fr", { email: "someone@example.org", role: "secretariat" }),
      client.post("/delegations/fr", { email: "someone@example.org", delegation: "uk" }),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(403);
    expect(await written()).toEqual(before);
  });

  it("refuses an invitation from a delegate, writing nothing", async () => {
    const delegate = await buildUser({ role: "delegate", delegation: "fr" });
    const client = await signedInAs(delegate);
    const before = await written();
    expect((await client.post("/delegations/fr", { email: "someone@example.org" })).status).toBe(403);
    expect(await written()).toEqual(before);
  });

  it("answers an email that already has an account with a field error", async () => {
    const head = await buildUser({ role: "head", delegation: "nl" });
    const existing = await buildUser({ role: "delegate", delegation: "us" });
    const client = await signedInAs(head);
    const before = await written();
    const response = await client.post("/delegations/nl", { email: existing.email });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="field-email-error"');
    expect(html).toContain("An account with this email already exists.");
    expect(await written()).toEqual(before);
  });

  it("answers an invalid email with a field error", async () => {
    const head = await buildUser({ role: "head", delegation: "nl" });
    const response = await (await signedInAs(head)).post("/delegations/nl", { email: "not-an-email" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Enter a valid email address.");
  });
});
