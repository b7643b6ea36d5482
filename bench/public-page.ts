// Part 4, public page: requests/s and latency of a published version page, fresh and with
// If-None-Match, against a static file server serving the very same bytes from disk; the load
// comes from autocannon in its own process.
import { execFile } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import type { DatabaseKind } from "../server/db/connection";
import { codeOfConductOpeningText } from "../server/demo/code-of-conduct";
import { createDraft } from "../server/domain/drafts";
import { publishVersion } from "../server/domain/publications";
import { saveVersion } from "../server/domain/versions";
import { createBenchDatabase, createDelegates, createSecretariat, withDatabase } from "./lib/database";
import { sampleProcess, startServer, startStaticServer, type BenchServer, type ServerFolder } from "./lib/server";
import { median, round } from "./lib/stats";
import { createLive } from "../server/live";

/** What to run. */
export interface PublicPageOptions {
  repetitions: number;
  durationSeconds: number;
  connections: number;
  /** A folder for Accord's CPU profile (.cpuprofile), if wanted. */
  profileDir?: string;
}

/** One autocannon run: requests/s (mean over the run), latency (ms), status codes, server CPU. */
export interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Responses with the status the case expects (200 fresh, 304 revalidated), over all responses. */
  expectedShare: number;
  /** Responses other than 2xx/3xx, and connection errors and timeouts. */
  errors: number;
  serverCpuPercent: number;
}

const LOAD_FIGURES = ["requestsPerSecond", "p50", "p99", "max", "expectedShare", "errors", "serverCpuPercent"] as const;

/** One case (a server and a request), every run and the median. */
export interface LoadSeries {
  name: string;
  runs: LoadFigures[];
  median: LoadFigures;
}

/** The whole public-page part. */
export interface PublicPageReport {
  database: DatabaseKind;
  options: PublicPageOptions;
  path: string;
  pageBytes: number;
  cases: LoadSeries[];
  /** Accord's fresh requests/s over the static server's (the target: at least 0.5). */
  freshShareOfStatic: number;
}

const require = createRequire(import.meta.url);
const AUTOCANNON = path.join(path.dirname(require.resolve("autocannon/package.json")), "autocannon.js");
const run = promisify(execFile);

/** Runs the public-page part. */
export async function runPublicPage(options: PublicPageOptions, root: string, serverFolder: ServerFolder): Promise<PublicPageReport> {
  const database = await createBenchDatabase(root);
  // Set up without a server: nothing live is reached but the version's own save.
  const live = createLive();
  const { slug, session } = await withDatabase(database, async () => {
    const secretariat = await createSecretariat();
    const title = "Code of Conduct on export controls and human rights";
    const draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
    const version = await saveVersion(live, { actor: secretariat, draftId: draft.id, name: "First reading", kind: "manual" });
    await publishVersion(live, {
      actor: secretariat,
      draftId: draft.id,
      versionNumber: version.number,
      publicTitle: title,
      summary: "The text as it stood after the first reading.",
      statusLabel: "Draft for consultation",
      attribution: "anonymous",
    });
    const [reader] = await createDelegates(1, "public-page-reader");
    return { slug: draft.slug, session: reader?.cookie ?? "" };
  });
  const page = `/p/${slug}/v/1`;
  const accord = await startServer(database, serverFolder, options.profileDir);
  try {
    const response = await fetch(`${accord.url}${page}`);
    const etag = response.headers.get("etag");
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200 || !etag) throw new Error(`${page} answered ${response.status} (ETag ${etag ?? "none"}).`);
    const file = path.join(root, "page.html");
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(file, body);
    const staticServer = await startStaticServer(file);
    try {
      const cases = [
        { name: "Accord, fresh", server: accord, path: page, headers: [] as string[], status: 200 },
        { name: "Accord, If-None-Match", server: accord, path: page, headers: [`if-none-match=${etag}`], status: 304 },
        // A signed-in reader's page is never cached: every request is rendered (a query no longer
        // misses the cache), at most 4 at once, the other connections waiting their turn.
        { name: "Accord, rendered each time", server: accord, path: page, headers: [`cookie=accord_session=${session}`], status: 200 },
        { name: "static file server", server: staticServer, path: page, headers: [] as string[], status: 200 },
      ];
      // Warm both servers up (JIT, caches) before anything counts.
      for (const one of cases) await load(one.server, one.path, one.headers, one.status, { ...options, durationSeconds: 2 });
      const runs = new Map<string, LoadFigures[]>(cases.map((one) => [one.name, []]));
      for (let rep = 1; rep <= options.repetitions; rep += 1) {
        for (const one of cases) {
          const figures = await load(one.server, one.path, one.headers, one.status, options);
          console.log(`public page run ${rep}, ${one.name}: ${describe(figures)}`);
          runs.get(one.name)?.push(figures);
        }
      }
      const series = cases.map(({ name }) => {
        const all = runs.get(name) ?? [];
        const middle = {} as LoadFigures;
        for (const key of LOAD_FIGURES) middle[key] = median(all.map((figures) => figures[key]));
        return { name, runs: all, median: middle };
      });
      const fresh = series[0]?.median.requestsPerSecond ?? Number.NaN;
      const fromDisk = series.at(-1)?.median.requestsPerSecond ?? Number.NaN;
      return { database: database.kind, options, path: page, pageBytes: body.length, cases: series, freshShareOfStatic: round(fresh / fromDisk, 2) };
    } finally {
      await staticServer.stop();
    }
  } finally {
    await accord.stop();
  }
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
  "3xx": number;
  statusCodeStats?: Record<string, { count: number }>;
}

async function load(
  server: BenchServer,
  page: string,
  headers: string[],
  status: number,
  options: Pick<PublicPageOptions, "durationSeconds" | "connections">,
): Promise<LoadFigures> {
  const args = [AUTOCANNON, "--json", "-c", String(options.connections), "-d", String(options.durationSeconds)];
  for (const header of headers) args.push("-H", header);
  const before = sampleProcess(server.pid);
  const { stdout } = await run(process.execPath, [...args, `${server.url}${page}`], { maxBuffer: 16 * 2 ** 20 });
  const after = sampleProcess(server.pid);
  const result = JSON.parse(stdout) as AutocannonResult;
  const total = result["2xx"] + result.non2xx;
  const expected = result.statusCodeStats?.[String(status)]?.count ?? Number.NaN;
  return {
    requestsPerSecond: round(result.requests.average, 0),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    expectedShare: round(total > 0 ? expected / total : Number.NaN, 4),
    errors: result.errors + result.timeouts + (result.non2xx - result["3xx"]),
    serverCpuPercent: before && after ? round(((after.cpuSeconds - before.cpuSeconds) / options.durationSeconds) * 100, 1) : Number.NaN,
  };
}

function describe(figures: LoadFigures): string {
  return (
    `${figures.requestsPerSecond} requests/s, p50 ${figures.p50} p99 ${figures.p99} max ${figures.max} ms, ` +
    `${round(figures.expectedShare * 100, 2)}% as expected, ${figures.errors} errors, server CPU ${figures.serverCpuPercent}%`
  );
}
