import type { CollabBudgets } from "../server/collab/budgets";
import type { Database } from "../server/db/connection";
import { readConfig } from "../server/config";
import type { Live } from "../server/live";
import { loadBuild, startAccord, type Accord } from "../server/start";
import { openTestDatabase } from "./database";
import { TEST_PASSWORD } from "./factories";

/** The SESSION_SECRET of test servers: production refuses to start without one. */
export const TEST_SESSION_SECRET = "test-session-secret-0123456789abcdef";

/** A running Accord on a clean database, for HTTP-level tests. */
export interface TestServer {
  accord: Accord;
  /** The server's live services, for tests that call the domain directly. */
  live: Live;
  url: string;
  database: Database;
  /** A browser-like client with its own cookie jar that sends our Origin on every request. */
  client(): TestClient;
  stop(): Promise<void>;
}

/** Starts the built app (run `npm run build` first; `npm test` does) on a free port. */
export async function startTestServer(
  options: {
    collabIdleMs?: number;
    collabBudgets?: Partial<CollabBudgets>;
    /**
     * Keep the default policy (the secretariat and heads need a second factor). Suites about
     * other things leave it off, to sign those roles in with a password alone; the second
     * factor's own suites keep it.
     */
    secondFactorPolicy?: boolean;
  } = {},
): Promise<TestServer> {
  const database = await openTestDatabase();
  if (!options.secondFactorPolicy) await database.sql`DELETE FROM second_factor_roles`;
  const config = { ...readConfig({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", SESSION_SECRET: TEST_SESSION_SECRET }), warnings: [] };
  const accord = await startAccord({ config, remix: await loadBuild(), database, collabIdleMs: options.collabIdleMs, collabBudgets: options.collabBudgets });
  const url = `http://127.0.0.1:${new URL(accord.server.url).port}`;
  return {
    accord,
    live: accord.live,
    url,
    database,
    client: () => new TestClient(url),
    stop: () => accord.stop(),
  };
}

/** A fetch wrapper that keeps cookies like a browser and comes from our origin. */
export class TestClient {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** Sends a request; redirects are not followed so tests can see them. */
  async fetch(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader();
    if (cookie) headers.set("cookie", cookie);
    if (init.origin !== null) headers.set("origin", init.origin ?? this.baseUrl);
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** GETs a page. */
  get(path: string): Promise<Response> {
    return this.fetch(path);
  }

  /** POSTs a url-encoded form, as a browser without JavaScript would. */
  post(path: string, form: Record<string, string>, init: { origin?: string | null } = {}): Promise<Response> {
    return this.fetch(path, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      ...init,
    });
  }

  /** Signs in through the sign-in form; throws unless it redirects. */
  async signIn(email: string, password: string = TEST_PASSWORD): Promise<void> {
    const response = await this.post("/login", { email, password });
    if (response.status !== 302) throw new Error(`Sign-in as ${email} answered ${response.status}`);
  }

  /** The Cookie header this client sends, for requests made without fetch. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** The session cookie, if any. */
  sessionCookie(): string | undefined {
    return this.cookies.get("accord_session");
  }
}

/** A client of `server` signed in as `user` through the sign-in form. */
export async function signedInClient(server: TestServer, user: { email: string }): Promise<TestClient> {
  const client = server.client();
  await client.signIn(user.email);
  return client;
}

/** Sends `body` as JSON (or nothing) with `method` to `path`. */
export function sendJson(client: TestClient, path: string, method: string, body?: unknown): Promise<Response> {
  return client.fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
