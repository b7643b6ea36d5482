import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, TEST_PASSWORD } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { MAX_FAILURES } from "../../server/auth/sign-in";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe("POST /login", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie and redirects to the page asked for", async () => {
    const user = await buildUser();
    const client = server.client();
    const response = await client.post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "/account" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/account");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^accord_session=[a-z2-7]{32}; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it("never redirects off the site after sign-in", async () => {
    const user = await buildUser();
    const response = await server.client().post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "//evil.example/x" });
    expect(response.headers.get("location")).toBe("/drafts");
  });

  it("never redirects off the site through a tab, newline, backslash or encoded slash, signing in or signed in", async () => {
    const user = await buildUser();
    const client = server.client();
    await client.signIn(user.email);
    for (const hostile of ["/\t/evil.example", "/\n/evil.example", "/\\evil.example", "/%2F%2Fevil.example", "/\u200b/evil.example"]) {
      const signingIn = await server.client().post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: hostile });
      expect(signingIn.headers.get("location")).toBe("/drafts");
      const signedIn = await client.get(`/login?redirectTo=${encodeURIComponent(hostile)}`);
      expect(signedIn.headers.get("location")).toBe("/drafts");
    }
    // The issue's own example, as a browser would send it.
    expect((await client.get("/login?redirectTo=%2F%09%2Fevil.example")).headers.get("location")).toBe("/drafts");
  });

  it("answers a wrong password with 401 and the form's error, and throttles with 429 and Retry-After", async () => {
    const user = await buildUser();
    const client = server.client();
    const wrong = await client.post("/login", { email: user.email, password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("The email or password is not correct.");
    for (let i = 1; i < MAX_FAILURES; i += 1) await client.post("/login", { email: user.email, password: "not the password" });
    const throttled = await client.post("/login", { email: user.email, password: TEST_PASSWORD });
    expect(throttled.status).toBe(429);
    const retryAfter = Number(throttled.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(client.sessionCookie()).toBeUndefined();
  });

  it("answers a form with no email with 400 and a field error", async () => {
    const response = await server.client().post("/login", { password: "x" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("This field is required.");
  });
});
