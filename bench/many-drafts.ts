// Part 2, many drafts: 1,000 connections over 100 drafts, 10 typing in each, on one server; the
// fan-out figures, the server's memory per loaded draft, and its memory once everyone has left
// and the drafts have unloaded. The same load runs against the reference server.
import { DEFAULT_IDLE_MS } from "../server/collab/registry";
import { createSession } from "../server/auth/session";
import type { DatabaseKind } from "../server/db/connection";
import { createDraft } from "../server/domain/drafts";
import { createBenchDatabase, createDelegates, createSecretariat, withDatabase, type BenchPerson } from "./lib/database";
import { sampleProcess, startReferenceServer, startServer, type BenchServer, type ServerFolder } from "./lib/server";
import { medianOf, round, sleep } from "./lib/stats";
import { describe, FIGURES, measureTyping, type FanoutFigures, type FanoutOptions } from "./fanout";

/** What to run. */
export interface ManyDraftsOptions {
  drafts: number;
  editorsPerDraft: number;
  repetitions: number;
  durationMs: number;
  keystrokesPerSecond: number;
  workers: number;
  /** A folder for Accord's CPU profile (.cpuprofile), if wanted. */
  profileDir?: string;
}

/** The typing figures, and the server's memory around them (MB). */
export interface ManyDraftsFigures extends FanoutFigures {
  /** Before anyone connected (the server idle, the previous run's drafts unloaded). */
  idleRssMb: number;
  /** (RSS with every draft loaded and everyone typing − idle RSS) / drafts. */
  rssPerDraftMb: number;
  /** After everyone disconnected and the server's idle time passed (Accord unloads the drafts then). */
  afterRssMb: number;
}

const MANY_FIGURES = [...FIGURES, "idleRssMb", "rssPerDraftMb", "afterRssMb"] as const;

/** Every repetition of one server, and their median. */
export interface ManyDraftsSeries {
  runs: ManyDraftsFigures[];
  median: ManyDraftsFigures;
}

/** The whole many-drafts part. */
export interface ManyDraftsReport {
  database: DatabaseKind;
  options: ManyDraftsOptions;
  accord: ManyDraftsSeries;
  reference: ManyDraftsSeries;
  /** Accord's median over the reference's, figure by figure. */
  ratio: ManyDraftsFigures;
}

// Accord unloads a draft DEFAULT_IDLE_MS after its last connection left; give the unload (a
// flush and a compaction per draft) a few seconds more.
const UNLOAD_WAIT_MS = DEFAULT_IDLE_MS + 5000;
// The reference server, without persistence, never unloads a document: nothing to wait for.
// The uncounted typing each server gets before the measured runs.
const WARM_UP_MS = 3_000;
const REFERENCE_WAIT_MS = 2000;

/** Runs the many-drafts part: one Accord server and one reference server, repetitions in turn, fresh drafts each time. */
export async function runManyDrafts(options: ManyDraftsOptions, root: string, serverFolder: ServerFolder): Promise<ManyDraftsReport> {
  const database = await createBenchDatabase(root);
  const connections = options.drafts * options.editorsPerDraft;
  console.log(
    `many drafts: ${database.kind} database; creating ${options.editorsPerDraft * 10} delegates, ${connections} sessions ` +
      `and ${options.drafts * options.repetitions} drafts…`,
  );
  // Each delegate works in several drafts at once (a tab each), with a session per tab.
  const setup = await withDatabase(database, async () => {
    const secretariat = await createSecretariat();
    const people = await createDelegates(options.editorsPerDraft * 10, "many");
    const runs: { person: BenchPerson; draftId: string }[][] = [];
    // Run 0 is the warm-up: a tenth of the drafts.
    for (let rep = 0; rep <= options.repetitions; rep += 1) {
      const editors: { person: BenchPerson; draftId: string }[] = [];
      for (let d = 0; d < (rep === 0 ? Math.ceil(options.drafts / 10) : options.drafts); d += 1) {
        const draft = await createDraft({ actor: secretariat, title: `Many drafts, run ${rep}, draft ${d + 1}` });
        for (let k = 0; k < options.editorsPerDraft; k += 1) {
          const person = people[(d * options.editorsPerDraft + k) % people.length];
          if (!person) throw new Error("No delegate to connect.");
          editors.push({ person: { user: person.user, cookie: (await createSession(person.user.id)).token }, draftId: draft.id });
        }
      }
      runs.push(editors);
    }
    return runs;
  });

  const accord = await startServer(database, serverFolder, options.profileDir);
  const reference = await startReferenceServer();
  try {
    const accordRuns: ManyDraftsFigures[] = [];
    const referenceRuns: ManyDraftsFigures[] = [];
    const [warmUp = [], ...measured] = setup;
    // Both servers first take a short load that is not counted (code compiled and optimised), and
    // Accord unloads those drafts again before the measured runs.
    const warmUpOptions = { ...options, durationMs: WARM_UP_MS };
    await measureTyping({ server: accord, editors: warmUp, editorsPerDraft: options.editorsPerDraft, options: warmUpOptions });
    await measureTyping({
      server: reference,
      editors: warmUp.map(({ person, draftId }) => ({ person, draftId: `reference-warm-up-${draftId}` })),
      editorsPerDraft: options.editorsPerDraft,
      options: warmUpOptions,
    });
    await sleep(UNLOAD_WAIT_MS);
    for (const [rep, editors] of measured.entries()) {
      const figures = await measureRun(accord, editors, options, UNLOAD_WAIT_MS);
      console.log(`many drafts run ${rep + 1}, Accord:    ${describeMany(figures)}`);
      accordRuns.push(figures);
      const roomOf = new Map(editors.map(({ draftId }, index) => [draftId, `reference-${rep + 1}-${Math.floor(index / options.editorsPerDraft)}`]));
      const referenceFigures = await measureRun(
        reference,
        editors.map(({ person, draftId }) => ({ person, draftId: roomOf.get(draftId) ?? draftId })),
        options,
        REFERENCE_WAIT_MS,
      );
      console.log(`many drafts run ${rep + 1}, reference: ${describeMany(referenceFigures)}`);
      referenceRuns.push(referenceFigures);
    }
    const accordMedian = medianOf(accordRuns, MANY_FIGURES);
    const referenceMedian = medianOf(referenceRuns, MANY_FIGURES);
    const ratio = {} as ManyDraftsFigures;
    for (const key of MANY_FIGURES) ratio[key] = round(accordMedian[key] / referenceMedian[key], 2);
    console.log(`many drafts median, Accord:    ${describeMany(accordMedian)}`);
    console.log(`many drafts median, reference: ${describeMany(referenceMedian)}`);
    return {
      database: database.kind,
      options,
      accord: { runs: accordRuns, median: accordMedian },
      reference: { runs: referenceRuns, median: referenceMedian },
      ratio,
    };
  } finally {
    await reference.stop();
    await accord.stop();
  }
}

async function measureRun(
  server: BenchServer,
  editors: { person: BenchPerson; draftId: string }[],
  options: ManyDraftsOptions,
  waitMs: number,
): Promise<ManyDraftsFigures> {
  const idle = rssMb(server);
  const typingOptions: Pick<FanoutOptions, "durationMs" | "keystrokesPerSecond" | "workers"> = options;
  const figures = await measureTyping({ server, editors, editorsPerDraft: options.editorsPerDraft, options: typingOptions });
  await sleep(waitMs);
  return {
    ...figures,
    idleRssMb: round(idle, 1),
    rssPerDraftMb: round((figures.serverRssMb - idle) / options.drafts, 2),
    afterRssMb: round(rssMb(server), 1),
  };
}

function rssMb(server: BenchServer): number {
  return (sampleProcess(server.pid)?.rssBytes ?? Number.NaN) / 2 ** 20;
}

function describeMany(figures: ManyDraftsFigures): string {
  return `${describe(figures)}; RSS idle ${figures.idleRssMb} MB, per draft ${figures.rssPerDraftMb} MB, after unloading ${figures.afterRssMb} MB`;
}
