import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, TEST_PASSWORD } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { MAX_FAILURES } from "../../server/auth/sign-in";
import { LIMITS } from "../../server/auth/throttle";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const PARALLEL = 50;

function guess(email: string, i: number, cookie?: string): Promise<Response> {
  return server.client().fetch("/login", {
    method: "POST",
    body: new URLSearchParams({ email, password: `wrong guess ${i}` }),
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
  });
}

async function count(query: "attempts" | "audit", email = ""): Promise<number> {
  const db = server.database.sql;
  const [row] =
    query === "attempts"
      ? await db<{ n: number }[]>`SELECT count(*)::int AS n FROM sign_in_attempts WHERE email = ${email}`
      : await db<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_events`;
  return row?.n ?? 0;
}

describe("POST /login under parallel guessing", () => {
  it(`evaluates at most ${MAX_FAILURES} of ${PARALLEL} simultaneous wrong passwords; the rest get 429 with Retry-After`, async () => {
    const user = await buildUser();
    const responses = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => guess(user.email, i)));
    expect(await count("attempts", user.email)).toBeLessThanOrEqual(MAX_FAILURES);
    const throttled = responses.filter((response) => response.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(PARALLEL - MAX_FAILURES);
    for (const response of throttled) {
      const retryAfter = Number(response.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    }
    expect(responses.every((response) => response.status === 401 || response.status === 429)).toBe(true);
  });

  it("lets the owner in from their own browser while an attacker behind the same address is throttled", async () => {
    const user = await buildUser();
    const first = await server.client().post("/login", { email: user.email, password: TEST_PASSWORD });
    expect(first.status).toBe(302);
    const device = first.headers.getSetCookie().find((line) => line.startsWith("accord_device="));
    expect(device).toMatch(/^accord_device=[a-z2-7]{32}; Path=\/login; HttpOnly; SameSite=Lax; Max-Age=31536000$/);
    const deviceCookie = device?.split(";")[0] ?? "";
    // The attacker shares the owner's address (one office, one NAT) but not their browser.
    const responses = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => guess(user.email, i)));
    expect(responses.filter((response) => response.status === 401).length).toBeLessThanOrEqual(LIMITS["known-address"]);
    const attacker = await server.client().post("/login", { email: user.email, password: TEST_PASSWORD });
    expect(attacker.status).toBe(429);
    const owner = await server.client().fetch("/login", {
      method: "POST",
      body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: deviceCookie },
    });
    expect(owner.status).toBe(302);
  });

  it("adds no audit rows for 200 throttled attempts", async () => {
    const user = await buildUser();
    await Promise.all(Array.from({ length: MAX_FAILURES + 1 }, (_, i) => guess(user.email, i)));
    const before = await count("audit");
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => guess(user.email, i)));
    expect(responses.every((response) => response.status === 429)).toBe(true);
    expect(await count("audit")).toBe(before);
  });
});
