// Part 5, editor page weight: the JavaScript and CSS the editor page /drafts/<slug> loads (summed
// from the responses headless Chromium receives, raw and gzipped), and the time from navigation
// to an editor in sync with the server, each time in a fresh browser context (empty cache).
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { launchChromium } from "../test/chromium";
import { createSession } from "../server/auth/session";
import type { DatabaseKind } from "../server/db/connection";
import { codeOfConductOpeningText } from "../server/demo/code-of-conduct";
import { createDraft } from "../server/domain/drafts";
import { createBenchDatabase, createDelegates, createSecretariat, withDatabase } from "./lib/database";
import { startServer, type ServerFolder } from "./lib/server";
import { median, round } from "./lib/stats";

/** What to run. */
export interface PageWeightOptions {
  repetitions: number;
}

/** What one load of the editor page fetched, and how long it took (ms from navigation start). */
export interface PageLoad {
  jsFiles: number;
  jsBytes: number;
  jsGzipBytes: number;
  cssFiles: number;
  cssBytes: number;
  cssGzipBytes: number;
  domContentLoaded: number;
  load: number;
  /** Until the editor shows the text it received over the collaboration socket (`data-synced="true"`). */
  synced: number;
}

const PAGE_FIGURES = ["jsFiles", "jsBytes", "jsGzipBytes", "cssFiles", "cssBytes", "cssGzipBytes", "domContentLoaded", "load", "synced"] as const;

/** The whole page-weight part. */
export interface PageWeightReport {
  database: DatabaseKind;
  options: PageWeightOptions;
  path: string;
  chromium: string;
  runs: PageLoad[];
  median: PageLoad;
  /** Each script and style sheet of the last load: path, raw and gzip bytes. */
  files: { path: string; bytes: number; gzipBytes: number }[];
}


/** Runs the page-weight part: one warm-up load, then `repetitions` measured ones. */
export async function runPageWeight(options: PageWeightOptions, root: string, serverFolder: ServerFolder): Promise<PageWeightReport> {
  const database = await createBenchDatabase(root);
  const { slug, tokens } = await withDatabase(database, async () => {
    const secretariat = await createSecretariat();
    const title = "Code of Conduct on export controls and human rights";
    const draft = await createDraft({ actor: secretariat, title, content: codeOfConductOpeningText(title) });
    const [person] = await createDelegates(1, "page");
    if (!person) throw new Error("No delegate.");
    const tokens = [person.cookie];
    for (let rep = 0; rep < options.repetitions; rep += 1) tokens.push((await createSession(person.user.id)).token);
    return { slug: draft.slug, tokens };
  });
  const page = `/drafts/${slug}`;
  const server = await startServer(database, serverFolder);
  const browser = await launchChromium();
  try {
    const runs: PageLoad[] = [];
    let files: PageWeightReport["files"] = [];
    for (const [index, token] of tokens.entries()) {
      const result = await loadOnce(browser, server.url, page, token);
      if (index === 0) continue; // the warm-up
      console.log(`page weight run ${index}: ${describe(result.load)}`);
      runs.push(result.load);
      files = result.files;
    }
    const middle = {} as PageLoad;
    for (const key of PAGE_FIGURES) middle[key] = round(median(runs.map((run) => run[key])), 1);
    return { database: database.kind, options, path: page, chromium: browser.version(), runs, median: middle, files };
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function loadOnce(
  browser: Browser,
  baseUrl: string,
  path: string,
  token: string,
): Promise<{ load: PageLoad; files: PageWeightReport["files"] }> {
  const context = await browser.newContext();
  try {
    await context.addCookies([{ name: "accord_session", value: token, url: baseUrl, httpOnly: true, sameSite: "Lax" }]);
    const page = await context.newPage();
    const bodies: Promise<{ path: string; kind: "js" | "css"; body: Buffer }>[] = [];
    page.on("response", (response) => {
      const type = response.headers()["content-type"] ?? "";
      const kind = /javascript/.test(type) ? "js" : /text\/css/.test(type) ? "css" : null;
      if (!kind) return;
      bodies.push(response.body().then((body) => ({ path: new URL(response.url()).pathname, kind, body })));
    });
    await page.goto(`${baseUrl}${path}`);
    const synced = await page.waitForFunction(
      () => (document.querySelector('.editor__mount[data-synced="true"]') ? performance.now() : 0),
      undefined,
      { polling: 5, timeout: 30_000 },
    );
    const syncedAt = Number(await synced.jsonValue());
    await page.waitForLoadState("networkidle");
    const timing = await page.evaluate(() => {
      const [navigation] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
      return { domContentLoaded: navigation?.domContentLoadedEventEnd ?? Number.NaN, load: navigation?.loadEventEnd ?? Number.NaN };
    });
    const files = (await Promise.all(bodies)).map(({ path, kind, body }) => ({ path, kind, bytes: body.length, gzipBytes: gzipSync(body).length }));
    const sum = (kind: "js" | "css", key: "bytes" | "gzipBytes"): number =>
      files.filter((file) => file.kind === kind).reduce((total, file) => total + file[key], 0);
    return {
      load: {
        jsFiles: files.filter((file) => file.kind === "js").length,
        jsBytes: sum("js", "bytes"),
        jsGzipBytes: sum("js", "gzipBytes"),
        cssFiles: files.filter((file) => file.kind === "css").length,
        cssBytes: sum("css", "bytes"),
        cssGzipBytes: sum("css", "gzipBytes"),
        domContentLoaded: round(timing.domContentLoaded, 1),
        load: round(timing.load, 1),
        synced: round(syncedAt, 1),
      },
      files: files.map(({ path, bytes, gzipBytes }) => ({ path, bytes, gzipBytes })),
    };
  } finally {
    await context.close();
  }
}

function describe(load: PageLoad): string {
  const kb = (bytes: number): string => `${round(bytes / 1024, 1)} KiB`;
  return (
    `JS ${load.jsFiles} files ${kb(load.jsBytes)} (gzip ${kb(load.jsGzipBytes)}), CSS ${load.cssFiles} files ${kb(load.cssBytes)} ` +
    `(gzip ${kb(load.cssGzipBytes)}); DOMContentLoaded ${load.domContentLoaded} ms, load ${load.load} ms, editor synced ${load.synced} ms`
  );
}
