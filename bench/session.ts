// Chaired sessions: how long a step of the chair takes to reach every participant's screen. The
// chair moves the pointer, clause after clause, on a real server; each participant has the draft's
// event stream open (as the draft page does) and, on hearing the step, reloads the session's state
// (GET /drafts/<slug>/session.json), as the page does. Measured: the chair's request, the step's
// event at the last of the participants' streams, and the last participant holding the new state.
import http from "node:http";
import { createSession } from "../server/auth/session";
import type { DatabaseKind } from "../server/db/connection";
import { clause, documentJson, section } from "../schema/content";
import { listDraftClauses } from "../server/domain/clause-status";
import { createDraft } from "../server/domain/drafts";
import { createBenchDatabase, createDelegates, createSecretariat, withDatabase, type BenchPerson } from "./lib/database";
import { startServer, type BenchServer, type ServerFolder } from "./lib/server";
import { median, now, quantile, round } from "./lib/stats";

/** What to run. */
export interface SessionOptions {
  /** Participants following the session, one event stream each. */
  followers: number[];
  /** Pointer moves measured per run. */
  steps: number;
  repetitions: number;
}

/** The figures of one number of participants (ms, over every step of every run). */
export interface SessionResult {
  followers: number;
  steps: number;
  /** The chair's POST, answered. */
  requestMedian: number;
  /** From the chair's POST to the step's event at the last participant's stream. */
  eventMedian: number;
  eventP99: number;
  /** From the chair's POST to the last participant holding the new state (event, then reload). */
  screenMedian: number;
  screenP99: number;
  screenMax: number;
}

export interface SessionReport {
  database: DatabaseKind;
  options: SessionOptions;
  results: SessionResult[];
}

interface Follower {
  events: number;
  waiters: (() => void)[];
  close(): void;
}

/** Runs the sessions part: for each number of participants, the chair moves the pointer `steps` times, `repetitions` times over. */
export async function runSession(options: SessionOptions, root: string, folder: ServerFolder): Promise<SessionReport> {
  const database = await createBenchDatabase(root);
  const most = Math.max(...options.followers);
  const setup = await withDatabase(database, async () => {
    const secretariat = await createSecretariat();
    const chair = (await createSession(secretariat.id, "password+totp")).token;
    const people = await createDelegates(most, "session");
    const draft = await createDraft({
      actor: secretariat,
      title: "Session benchmark",
      content: documentJson("Session benchmark", ["Preamble."], [section("Scope", ...Array.from({ length: 20 }, (_, index) => clause(`Clause ${index + 1} of the text under negotiation.`)))]),
    });
    const clauses = (await listDraftClauses(draft.id)).map((outline) => outline.id);
    return { chair, people, slug: draft.slug, clauses };
  });
  const server = await startServer(database, folder);
  const results: SessionResult[] = [];
  try {
    for (const count of options.followers) {
      const request: number[] = [];
      const event: number[] = [];
      const screen: number[] = [];
      for (let run = 0; run < options.repetitions; run += 1) {
        const figures = await oneRun(server, setup, setup.people.slice(0, count), options.steps);
        request.push(...figures.request);
        event.push(...figures.event);
        screen.push(...figures.screen);
      }
      const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
      results.push({
        followers: count,
        steps: options.steps * options.repetitions,
        requestMedian: round(median(request), 1),
        eventMedian: round(median(event), 1),
        eventP99: round(quantile(sorted(event), 0.99), 1),
        screenMedian: round(median(screen), 1),
        screenP99: round(quantile(sorted(screen), 0.99), 1),
        screenMax: round(Math.max(...screen), 1),
      });
      console.log(`session: ${count} participants, screen median ${results.at(-1)?.screenMedian} ms, p99 ${results.at(-1)?.screenP99} ms`);
    }
  } finally {
    await server.stop();
  }
  return { database: database.kind, options, results };
}

// One session: opened, every follower connected, the pointer moved `steps` times, closed.
async function oneRun(server: BenchServer, setup: { chair: string; slug: string; clauses: string[] }, people: BenchPerson[], steps: number) {
  const followers = await Promise.all(people.map((person) => follow(server.url, setup.slug, person.cookie)));
  const figures = { request: [] as number[], event: [] as number[], screen: [] as number[] };
  try {
    await post(server.url, setup.chair, `/drafts/${setup.slug}/sessions`, { intent: "open", kind: "formal" });
    await Promise.all(followers.map((follower) => until(follower, 1)));
    const [meeting] = (await state(server.url, setup.chair, setup.slug)) as [{ number: number } | null];
    if (!meeting) throw new Error("The session did not open.");
    for (let step = 0; step < steps; step += 1) {
      const clauseId = setup.clauses[(step % (setup.clauses.length - 1)) + 1] ?? "";
      // Attendance and the like can announce too: each step waits for the events that follow it.
      const before = followers.map((follower) => follower.events);
      const started = now();
      await post(server.url, setup.chair, `/drafts/${setup.slug}/sessions/${meeting.number}`, { intent: "take-up", clauseId });
      figures.request.push(now() - started);
      const reached = await Promise.all(
        followers.map(async (follower, index) => {
          await until(follower, (before[index] ?? 0) + 1);
          const heardAt = now() - started;
          // As the page does: the state reloaded on hearing the step.
          const [view] = (await state(server.url, people[index]?.cookie ?? "", setup.slug)) as [{ pointer: { clauseId: string } | null } | null];
          if (view?.pointer?.clauseId !== clauseId) throw new Error("A participant reloaded an old state.");
          return { heardAt, shownAt: now() - started };
        }),
      );
      figures.event.push(Math.max(...reached.map((item) => item.heardAt)));
      figures.screen.push(Math.max(...reached.map((item) => item.shownAt)));
    }
    await post(server.url, setup.chair, `/drafts/${setup.slug}/sessions/${meeting.number}`, { intent: "close" });
  } finally {
    for (const follower of followers) follower.close();
  }
  return figures;
}

// A participant's event stream of the draft, counting the session's events.
function follow(url: string, slug: string, cookie: string): Promise<Follower> {
  return new Promise((resolve, reject) => {
    const follower: Follower = { events: 0, waiters: [], close: () => request.destroy() };
    const request = http.get(new URL(`/drafts/${slug}/events`, url), { headers: { cookie: `accord_session=${cookie}`, origin: url } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`The event stream answered ${response.statusCode}.`));
      response.setEncoding("utf8");
      let connected = false;
      response.on("data", (chunk: string) => {
        if (!connected && chunk.includes(": connected")) {
          connected = true;
          resolve(follower);
        }
        follower.events += chunk.split("event: meeting").length - 1;
        for (const wake of follower.waiters.splice(0)) wake();
      });
    });
    request.on("error", reject);
  });
}

async function until(follower: Follower, events: number): Promise<void> {
  while (follower.events < events) await new Promise<void>((resolve) => follower.waiters.push(resolve));
}

async function post(url: string, cookie: string, path: string, form: Record<string, string>): Promise<void> {
  const response = await fetch(new URL(path, url), {
    method: "POST",
    redirect: "manual",
    headers: { cookie: `accord_session=${cookie}`, origin: url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  await response.arrayBuffer();
  if (response.status >= 400) throw new Error(`${path} answered ${response.status}.`);
}

async function state(url: string, cookie: string, slug: string): Promise<unknown[]> {
  const response = await fetch(new URL(`/drafts/${slug}/session.json`, url), { headers: { cookie: `accord_session=${cookie}`, origin: url } });
  if (!response.ok) throw new Error(`session.json answered ${response.status}.`);
  return [((await response.json()) as { meeting: unknown }).meeting];
}
