import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, TEST_PASSWORD } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const NEW_PASSWORD = "a brand new passphrase";

async function sessionCount(userId: string): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sessions WHERE user_id = ${userId}`;
  return row?.n ?? 0;
}

async function signedInTwice() {
  const user = await buildUser({ role: "head", delegation: "no" });
  const here = server.client();
  const elsewhere = server.client();
  await here.signIn(user.email);
  await elsewhere.signIn(user.email);
  return { user, here, elsewhere };
}

describe("the account page", () => {
  it("sends a signed-out visitor to sign in", async () => {
    const response = await server.client().get("/account");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Faccount");
  });

  it("shows the account's name, email, role and delegation", async () => {
    const { user, here } = await signedInTwice();
    const html = await (await here.get("/account")).text();
    expect(html).toContain(user.displayName);
    expect(html).toContain(user.email);
    expect(html).toContain("Head of delegation");
    expect(html).toContain("Norway");
  });
});

describe("changing the password", () => {
  it("refuses a wrong current password and changes nothing", async () => {
    const { user, here, elsewhere } = await signedInTwice();
    const response = await here.post("/account", {
      intent: "change-password",
      currentPassword: "not my password at all",
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="field-currentPassword-error"');
    expect(html).toContain("This is not your current password.");
    expect(html).not.toContain(NEW_PASSWORD);
    expect((await elsewhere.get("/account")).status).toBe(200);
    await server.client().signIn(user.email, TEST_PASSWORD);
  });

  it("refuses a short new password and a confirmation that differs", async () => {
    const { here } = await signedInTwice();
    const short = await here.post("/account", {
      intent: "change-password",
      currentPassword: TEST_PASSWORD,
      newPassword: "too short",
      confirmPassword: "too short",
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("at least 12 characters");
    const different = await here.post("/account", {
      intent: "change-password",
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
      confirmPassword: `${NEW_PASSWORD}!`,
    });
    expect(different.status).toBe(400);
    expect(await different.text()).toContain("The two new passwords are not the same.");
  });

  it("changes it, ending the account's other sessions at once but keeping this one", async () => {
    const { user, here, elsewhere } = await signedInTwice();
    const response = await here.post("/account", {
      intent: "change-password",
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Your password has been changed.");

    expect((await here.get("/account")).status).toBe(200);
    const other = await elsewhere.get("/account");
    expect(other.status).toBe(302);
    expect(other.headers.get("location")).toMatch(/^\/login/);
    expect(await sessionCount(user.id)).toBe(1);

    await expect(server.client().signIn(user.email, TEST_PASSWORD)).rejects.toThrow();
    await server.client().signIn(user.email, NEW_PASSWORD);
  });
});

describe("signing out everywhere", () => {
  it("ends every session of the account, this one included, and clears the cookie", async () => {
    const { user, here, elsewhere } = await signedInTwice();
    const response = await here.post("/account", { intent: "sign-out-everywhere" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login");
    expect(response.headers.getSetCookie().join("\n")).toMatch(/accord_session=;.*Max-Age=0/);
    expect(here.sessionCookie()).toBeUndefined();
    expect(await sessionCount(user.id)).toBe(0);
    expect((await elsewhere.get("/account")).status).toBe(302);

    const [event] = await server.database.sql<{ action: string }[]>`
      SELECT action FROM audit_events WHERE actor_id = ${user.id} ORDER BY id DESC LIMIT 1`;
    expect(event?.action).toBe("account.signed-out-everywhere");
  });
});
