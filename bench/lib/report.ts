import fs from "node:fs";
import path from "node:path";
import type { FanoutFigures, FanoutReport } from "../fanout";
import type { HistoryReport, Repeated, SyncTimes } from "../history";
import type { ManyDraftsReport } from "../many-drafts";
import type { PageWeightReport } from "../page-weight";
import type { PublicPageReport } from "../public-page";
import type { ClusterReport } from "../cluster";
import type { WordReport } from "../word";
import type { SessionReport } from "../session";
import type { Machine } from "./machine";

/** One part's run, as written to bench/runs/<date>-<part>.json. */
export type Run =
  | { part: "fanout"; machine: Machine; seconds: number; report: FanoutReport }
  | { part: "drafts"; machine: Machine; seconds: number; report: ManyDraftsReport }
  | { part: "history"; machine: Machine; seconds: number; report: HistoryReport }
  | { part: "public"; machine: Machine; seconds: number; report: PublicPageReport }
  | { part: "page"; machine: Machine; seconds: number; report: PageWeightReport }
  | { part: "cluster"; machine: Machine; seconds: number; report: ClusterReport }
  | { part: "word"; machine: Machine; seconds: number; report: WordReport }
  | { part: "session"; machine: Machine; seconds: number; report: SessionReport };

const TITLES: Record<Run["part"], string> = {
  fanout: "## 1. Collaboration fan-out",
  drafts: "## 2. Many drafts",
  history: "## 3. Long history",
  public: "## 4. Public page",
  page: "## 5. Editor page weight",
  cluster: "## 6. Several instances",
  word: "## 7. Word files on long histories",
  session: "## 8. Chaired sessions",
};

const TEMPLATE = `# Accord benchmarks

Measured with \`npm run bench\` (all parts) or \`npm run bench -- fanout|drafts|history|public|page\`
(\`npm run bench -- --help\` lists the options). Each part starts Accord's real server
(\`node --import tsx server/main.ts\`) in a child process on 127.0.0.1, with its own database
(embedded PGlite in a temporary folder, or a new database on the server named by \`DATABASE_URL\`),
and removes everything when it ends. The tables below are rewritten by every run; the text
outside them is not. Each run's figures are also in \`bench/runs/\`.

<!-- fanout:begin -->
<!-- fanout:end -->

<!-- drafts:begin -->
<!-- drafts:end -->

<!-- history:begin -->
<!-- history:end -->

<!-- public:begin -->
<!-- public:end -->

<!-- page:begin -->
<!-- page:end -->

<!-- cluster:begin -->
<!-- cluster:end -->

<!-- word:begin -->
<!-- word:end -->

<!-- session:begin -->
<!-- session:end -->
`;

/** Writes the run's JSON under bench/runs/ and its table into bench/results.md; returns the JSON's path. */
export function writeRun(benchDir: string, run: Run): string {
  const runsDir = path.join(benchDir, "runs");
  fs.mkdirSync(runsDir, { recursive: true });
  const file = path.join(runsDir, `${run.machine.date.replace(/[:.]/g, "-")}-${run.part}.json`);
  fs.writeFileSync(file, `${JSON.stringify(run, null, 1)}\n`);
  const resultsPath = path.join(benchDir, "results.md");
  const current = fs.existsSync(resultsPath) ? fs.readFileSync(resultsPath, "utf8") : TEMPLATE;
  const table = tableOf(run);
  const section = [heading(run, path.relative(path.dirname(benchDir), file)), "", ...table].join("\n");
  fs.writeFileSync(resultsPath, replaceSection(current, run.part, section));
  return file;
}

function replaceSection(text: string, part: string, section: string): string {
  const begin = `<!-- ${part}:begin -->`;
  const end = `<!-- ${part}:end -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from === -1 || to < from) return `${text.trimEnd()}\n\n${begin}\n${section}\n${end}\n`;
  return `${text.slice(0, from + begin.length)}\n${section}\n${text.slice(to)}`;
}

function heading(run: Run, jsonPath: string): string {
  const { machine } = run;
  const code = machine.uncommitted.length
    ? `commit ${machine.commit} with uncommitted changes in ${machine.uncommitted.join(", ")}`
    : `commit ${machine.commit}`;
  const title = TITLES[run.part];
  const database = run.report.database === "embedded" ? "embedded Postgres (PGlite)" : "Postgres server (DATABASE_URL)";
  return [
    title,
    "",
    `${machine.date.slice(0, 10)} · ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB · Node ${machine.node} · ` +
      `${machine.platform} · load average ${machine.loadAverage} at the start, ${machine.loadAverageAfter ?? "?"} at the end · database: ${database} · ${code} · ` +
      `took ${run.seconds} s · median of ` +
      `${run.report.options.repetitions} runs · figures: \`${jsonPath}\``,
  ].join("\n");
}

function tableOf(run: Run): string[] {
  switch (run.part) {
    case "fanout":
      return fanoutTable(run.report);
    case "drafts":
      return draftsTable(run.report);
    case "history":
      return historyTable(run.report);
    case "public":
      return publicTable(run.report);
    case "page":
      return pageTable(run.report);
    case "cluster":
      return clusterTable(run.report);
    case "word":
      return wordTable(run.report);
    case "session":
      return sessionTable(run.report);
  }
}

function clusterTable(report: ClusterReport): string[] {
  const { options } = report;
  return [
    `The fan-out load (${options.fanoutClients} editors in one draft, ${options.fanoutRate} keystrokes/s each) and the many-drafts load ` +
      `(${options.drafts} drafts × ${options.editorsPerDraft} editors, ${options.draftsRate}/s each), ${options.durationMs / 1000} s of typing, ` +
      `on three deployments in turn, fresh drafts each run: one Accord instance; two instances sharing the Postgres server and a Redis ` +
      `(editor i of each draft on instance i mod 2, so half of every delivery crosses instances through Redis); and the reference ` +
      `server. Latency as in part 1. Server CPU and RSS are the instances' sums. “two / one” divides the two instances' median by the one's; ` +
      `the target is a p99 within 1.5× of one instance's.`,
    "",
    "| load | deployment | p50 ms | p95 ms | p99 ms | max ms | keystrokes/s | deliveries/s | delivered | server CPU | server RSS | load generator CPU | busiest worker loop | machine load |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...report.results.flatMap((result) => {
      const load = result.load === "fanout" ? `fan-out, ${result.editors} editors` : `${result.drafts} drafts, ${result.editors} editors`;
      const r = result.twoOverOne;
      return [
        figureRow(load, "one instance", result.one.median),
        figureRow(load, "two instances", result.two.median),
        figureRow(load, "reference", result.reference.median),
        `| ${load} | two / one | ${[r.p50, r.p95, r.p99, r.max, "", r.deliveredPerSecond, "", r.serverCpuPercent, r.serverRssMb, "", "", ""].join(" | ")} |`,
      ];
    }),
  ];
}

function fanoutTable(report: FanoutReport): string[] {
  const { options } = report;
  return [
    `Each editor types ${options.keystrokesPerSecond} keystrokes/s (or the rate after the number of editors) for ${options.durationMs / 1000} s into one draft ` +
      `(a fresh draft per run, a fresh server per N, which first gets 3 s of the same typing, not counted). Latency: from the keystroke at one client to the update ` +
      `applied at each other client, over every (update, receiver) pair. Server CPU in % of one core over ` +
      `the typing; RSS the most seen. The load generator (${options.workers} worker threads) runs on the same machine; ` +
      `“busiest worker loop” is its busiest thread's event-loop utilisation (near 100%, latencies include its own ` +
      `queueing); “machine load” is the 1-minute load average after the typing, this benchmark included.`,
    "",
    `The same load runs against the reference server, \`@y/websocket-server\` 0.1.1 (its own bin, in memory: ` +
      `no authentication, nothing persisted), started beside Accord's server for each N; the runs alternate ` +
      `(Accord, reference, Accord …). “Accord / reference” divides Accord's median by the reference's (below 1: Accord lower).`,
    "",
    "| editors | server | p50 ms | p95 ms | p99 ms | max ms | keystrokes/s | deliveries/s | delivered | server CPU | server RSS | load generator CPU | busiest worker loop | machine load |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...report.results.flatMap(({ clients, keystrokesPerSecond, accord, reference, ratio }) => {
      // A run at its own rate (`--clients 256@0.25`) says so.
      const editors = keystrokesPerSecond === options.keystrokesPerSecond ? `${clients}` : `${clients} at ${keystrokesPerSecond}/s`;
      const ratios = [ratio.p50, ratio.p95, ratio.p99, ratio.max, "", ratio.deliveredPerSecond, "", ratio.serverCpuPercent, ratio.serverRssMb, "", "", ""];
      return [
        figureRow(editors, "Accord", accord.median),
        figureRow(editors, "reference", reference.median),
        `| ${editors} | Accord / reference | ${ratios.join(" | ")} |`,
      ];
    }),
  ];
}

/** One line of figures (fan-out and many drafts). */
export function figureRow(first: number | string, server: string, m: FanoutFigures): string {
  const cells = [
    first,
    server,
    m.p50,
    m.p95,
    m.p99,
    m.max,
    m.sentPerSecond,
    m.deliveredPerSecond,
    `${round(m.deliveredShare * 100, 2)}%`,
    `${m.serverCpuPercent}%`,
    `${m.serverRssMb} MB`,
    `${m.loadCpuPercent}%`,
    `${Math.round(m.workerUtilisation * 100)}%`,
    m.machineLoad,
  ];
  return `| ${cells.join(" | ")} |`;
}

function historyTable(report: HistoryReport): string[] {
  const { repetitions, syncTimeoutMs } = report.options;
  const cell = (repeated: Repeated): string => {
    const finished = repeated.runs.filter((run) => run !== null).length;
    if (repeated.median === null) return repeated.runs.length ? `> ${syncTimeoutMs / 1000} s (timed out)` : "—";
    return `${formatMs(repeated.median)}${finished < repetitions ? ` (${finished} run${finished === 1 ? "" : "s"})` : ""}`;
  };
  // Once a load timed out, the server it blocked measured nothing more of that draft.
  const syncCells = ({ newServer, runningServer, loaded }: SyncTimes): string[] =>
    newServer.median === null ? [cell(newServer), "—", "—"] : [cell(newServer), cell(runningServer), cell(loaded)];
  const kib = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString("en")} KiB`;
  return [
    "Each draft's log is typed keystroke by keystroke into its ProseMirror fragment (one Yjs update each, a new " +
      "client every 500 keystrokes, some backspaces, new paragraphs and clauses) and stored with `appendUpdates`. " +
      "“Log”: the draft's only checkpoint is its first text, so loading replays the whole log. “Checkpoint”: " +
      "after `compactDraft` folded the log into the checkpoint. Connect → synced: a stock y-websocket client, " +
      "from creating the provider to its `synced` event, each run on a newly started server process: the first " +
      "draft of that size it loads (after a 1,000-update warm-up draft), then a twin draft (same log) on the " +
      "now running server, then a second client while the draft is loaded. Compaction: `compactDraft` folding " +
      "the whole log, run from the benchmark process.",
    "",
    "| stored updates | load from | stored | connect → synced: new server | running server, draft not loaded | draft loaded | compaction |",
    "|---:|---|---:|---:|---:|---:|---:|",
    ...report.results.flatMap((result) => {
      const updates = result.updates.toLocaleString("en");
      return [
        [updates, "log", kib(result.logBytes), ...syncCells(result.fromLog), cell(result.compaction)],
        [updates, "checkpoint", kib(result.checkpointBytes), ...syncCells(result.fromCheckpoint), ""],
      ].map((row) => `| ${row.join(" | ")} |`);
    }),
  ];
}

function draftsTable(report: ManyDraftsReport): string[] {
  const { options, accord, reference, ratio } = report;
  const memory = (name: string, m: ManyDraftsReport["accord"]["median"]): string =>
    `| ${name} | ${m.idleRssMb} MB | ${m.serverRssMb} MB | ${m.rssPerDraftMb} MB | ${m.afterRssMb} MB |`;
  return [
    `${options.drafts * options.editorsPerDraft} connections over ${options.drafts} drafts, ${options.editorsPerDraft} editors ` +
      `in each, every one typing ${options.keystrokesPerSecond} keystroke(s)/s for ${options.durationMs / 1000} s, on one server ` +
      `(fresh drafts per run, after 3 s of uncounted typing in a tenth as many drafts, which Accord then unloads); the reference server gets the same load in rooms of its own. Columns as in part 1; ` +
      `latency over every (update, receiver in the same draft) pair.`,
    "",
    "| drafts | server | p50 ms | p95 ms | p99 ms | max ms | keystrokes/s | deliveries/s | delivered | server CPU | server RSS | load generator CPU | busiest worker loop | machine load |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    figureRow(options.drafts, "Accord", accord.median),
    figureRow(options.drafts, "reference", reference.median),
    `| ${options.drafts} | Accord / reference | ${[ratio.p50, ratio.p95, ratio.p99, ratio.max, "", ratio.deliveredPerSecond, "", ratio.serverCpuPercent, ratio.serverRssMb, "", "", ""].join(" | ")} |`,
    "",
    "Server memory: RSS before the editors connect; the most during the typing; (that − before) / drafts; and " +
      "after everyone disconnected: 35 s later for Accord, which unloads a draft 30 s after its last connection " +
      "leaves; 2 s later for the reference server, which without persistence keeps every document in memory for good.",
    "",
    "| server | RSS before | RSS typing | per loaded draft | RSS after all left |",
    "|---|---:|---:|---:|---:|",
    memory("Accord", accord.median),
    memory("reference", reference.median),
  ];
}

function publicTable(report: PublicPageReport): string[] {
  const { options } = report;
  return [
    `\`${report.path}\` (a published version page, ${round(report.pageBytes / 1024, 1)} KiB of HTML), loaded by autocannon ` +
      `(${options.connections} connections, ${options.durationSeconds} s a run, in its own process, no compression asked for) ` +
      `after a 2 s warm-up of each case: fresh, with \`If-None-Match\` (the page's ETag: 304 Not Modified), rendered each ` +
      `time (a query string keeps the page out of the cache of public pages, so Remix and React render every request), and the same bytes ` +
      `from disk by a static file server (\`bench/static-server.ts\`, \`node:http\` and \`fs\`). Accord answers the first two ` +
      `from its cache of public pages for signed-out readers. Server CPU in % of one core.`,
    "",
    "| case | requests/s | p50 ms | p99 ms | max ms | expected status | errors | server CPU |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...report.cases.map(
      ({ name, median: m }) =>
        `| ${name} | ${m.requestsPerSecond} | ${m.p50} | ${m.p99} | ${m.max} | ${round(m.expectedShare * 100, 2)}% | ${m.errors} | ${m.serverCpuPercent}% |`,
    ),
    "",
    `Accord's fresh requests/s are ${round(report.freshShareOfStatic * 100, 0)}% of the static server's.`,
  ];
}

function pageTable(report: PageWeightReport): string[] {
  const m = report.median;
  const kib = (bytes: number): string => `${round(bytes / 1024, 1)} KiB`;
  return [
    `\`${report.path}\` opened by a signed-in delegate in headless Chromium ${report.chromium} on 127.0.0.1, a fresh ` +
      `browser context (empty cache) each run after one warm-up load. Bytes: every response with a JavaScript or CSS ` +
      `content type, decoded, and gzipped here (zlib's default level); times from navigation start: ` +
      `DOMContentLoaded, load, and the editor showing the text it received over the collaboration socket ` +
      `(\`data-synced="true"\`).`,
    "",
    "| JS files | JS | JS gzip | CSS files | CSS | CSS gzip | DOMContentLoaded | load | editor synced |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${m.jsFiles} | ${kib(m.jsBytes)} | ${kib(m.jsGzipBytes)} | ${m.cssFiles} | ${kib(m.cssBytes)} | ${kib(m.cssGzipBytes)} | ` +
      `${m.domContentLoaded} ms | ${m.load} ms | ${m.synced} ms |`,
  ];
}

function wordTable(report: WordReport): string[] {
  return [
    `A draft typed keystroke by keystroke by eight delegations (one Yjs update each, a new client every 500), version 1 ` +
      `saved halfway, compared with the live text in this process (no HTTP): reading the whole log into who inserted and ` +
      `deleted each piece (\`EditAuthors.ofDraft\`), reading both texts and comparing them, and the whole download ` +
      `(\`comparisonAsWord\`: all of that again, the comment threads, the .docx and its baseline); then the file read back ` +
      `as a capital's copy (\`readMarkedUpDocument\`) and imported as a new draft (\`importWordDocument\`).`,
    "",
    "| updates | characters | revisions | read the log | compare | whole download | .docx | read back | import |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...report.results.map(
      (result) =>
        `| ${result.updates} | ${result.characters} | ${result.revisions} | ${formatMs(result.authors)} | ${formatMs(result.compare)} | ${formatMs(result.download)} | ` +
        `${round(result.bytes / 1024, 0)} KiB | ${formatMs(result.readBack)} | ${formatMs(result.importDraft)} |`,
    ),
  ];
}

function sessionTable(report: SessionReport): string[] {
  return [
    `A formal session on a 20-clause draft; every participant (a delegate of one of the eight delegations) has the draft's ` +
      `event stream open, as the draft page does. The chair moves the pointer ${report.options.steps} times a run; on hearing each ` +
      `step every participant reloads \`/drafts/<slug>/session.json\`, as the page does, and checks it holds the new clause. ` +
      `Times from the chair's POST: its answer, the step's event at the last participant's stream, and the last participant ` +
      `holding the new state ("on every screen"). Median and 99th percentile over every step of ${report.options.repetitions} runs.`,
    "",
    "| participants | steps | chair's request | event at the last stream | p99 | on every screen | p99 | slowest |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...report.results.map(
      (result) =>
        `| ${result.followers} | ${result.steps} | ${formatMs(result.requestMedian)} | ${formatMs(result.eventMedian)} | ${formatMs(result.eventP99)} | ` +
        `${formatMs(result.screenMedian)} | ${formatMs(result.screenP99)} | ${formatMs(result.screenMax)} |`,
    ),
  ];
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${round(ms / 1000, 1)} s` : `${round(ms, ms >= 100 ? 0 : 1)} ms`;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
