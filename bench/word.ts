// Word files on long histories: a comparison downloaded as tracked changes reads the draft's whole
// update log (who inserted and deleted each piece of text), so its cost grows with the history; and
// the Word file it gives is read back (a capital's marked-up copy) and imported (a new draft).
import { appendUpdates, loadDraftState } from "../server/text-store/persistence";
import { createDraft } from "../server/domain/drafts";
import { findVersion, loadStoredText, saveVersion } from "../server/domain/versions";
import { createLive } from "../server/live";
import { EditAuthors } from "../server/versions/edit-authors";
import { readAtomText } from "../server/versions/text-atoms";
import { comparisonAsWord } from "../server/versions/word-comparison";
import { compareAsRevisions } from "../server/versions/word-redline";
import { importWordDocument } from "../server/word/import-draft";
import { readMarkedUpDocument } from "../server/word/read-markup";
import type { DatabaseKind } from "../server/db/connection";
import { createBenchDatabase, createDelegates, createSecretariat, withDatabase } from "./lib/database";
import { median, now, round } from "./lib/stats";
import { typeHistory } from "./lib/typing-history";

/** What to run. */
export interface WordOptions {
  /** Stored updates per draft; version 1 is saved halfway. */
  sizes: number[];
  repetitions: number;
}

/** The figures of one draft size (medians, ms). */
export interface WordResult {
  updates: number;
  /** Characters of the live text and revisions in the comparison. */
  characters: number;
  revisions: number;
  /** Reading the log into who-wrote-what. */
  authors: number;
  /** Reading both texts with their pieces' ids, and comparing them. */
  compare: number;
  /** The whole download: the above, the comment threads, the .docx and its baseline. */
  download: number;
  bytes: number;
  /** Reading the downloaded file back as a capital's copy, and importing it as a new draft. */
  readBack: number;
  importDraft: number;
}

export interface WordReport {
  database: DatabaseKind;
  options: WordOptions;
  results: WordResult[];
}

/** Runs the Word part: for each size, a draft typed by eight delegations, version 1 halfway, compared with the live text. */
export async function runWord(options: WordOptions, root: string): Promise<WordReport> {
  const database = await createBenchDatabase(root);
  const results = await withDatabase(database, async () => {
    const secretariat = await createSecretariat();
    const people = await createDelegates(8, "word");
    const live = createLive();
    const results: WordResult[] = [];
    for (const updates of options.sizes) {
      const draft = await createDraft({ actor: secretariat, title: `Word export of ${updates} updates` });
      const history = typeHistory((await loadDraftState(draft.id)).update, updates);
      const author = (session: number) => people[session % people.length]?.user ?? secretariat;
      const half = Math.floor(history.updates.length / 2);
      await store(draft.id, history.updates.slice(0, half), author);
      await saveVersion(live, { actor: secretariat, draftId: draft.id, name: "Halfway", kind: "manual", text: await loadStoredText(draft.id) });
      await store(draft.id, history.updates.slice(half), author);
      const older = await findVersion(draft.id, 1);
      if (!older) throw new Error("The version was not saved.");

      const runs: Omit<WordResult, "updates">[] = [];
      for (let rep = 0; rep < options.repetitions; rep += 1) {
        let started = now();
        const authors = await EditAuthors.ofDraft(draft.id);
        const authorsMs = now() - started;
        started = now();
        const { state } = await loadStoredText(draft.id);
        const newerText = readAtomText(state);
        const text = compareAsRevisions(readAtomText(older.yjsState), newerText, { authors, name: (who) => who?.delegationCode ?? "Secretariat", fallbackDate: new Date() });
        const compareMs = now() - started;
        started = now();
        const docx = await comparisonAsWord(live, { viewer: secretariat, draft, older, newer: null, comments: true, caption: "Comparison" });
        const downloadMs = now() - started;
        started = now();
        readMarkedUpDocument(docx);
        const readBackMs = now() - started;
        started = now();
        importWordDocument(docx, { trackedChanges: "accept" });
        const importMs = now() - started;
        const revisions = text.sections.flatMap((section) => section.clauses.flatMap((clause) => clause.paragraphs.flatMap((paragraph) => paragraph.runs))).filter((run) => run.change !== "same").length;
        const characters = newerText.sections.reduce((sum, section) => sum + section.clauses.reduce((inner, clause) => inner + clause.paragraphs.reduce((chars, paragraph) => chars + paragraph.atoms.length, 0), 0), 0);
        runs.push({ characters, revisions, authors: authorsMs, compare: compareMs, download: downloadMs, bytes: docx.length, readBack: readBackMs, importDraft: importMs });
        console.log(`word: ${updates} updates, run ${rep + 1}: authors ${Math.round(authorsMs)} ms, compare ${Math.round(compareMs)} ms, download ${Math.round(downloadMs)} ms, read back ${Math.round(readBackMs)} ms, import ${Math.round(importMs)} ms`);
      }
      const mid = (key: keyof Omit<WordResult, "updates">) => round(median(runs.map((run) => run[key])), 1);
      results.push({ updates, characters: mid("characters"), revisions: mid("revisions"), authors: mid("authors"), compare: mid("compare"), download: mid("download"), bytes: mid("bytes"), readBack: mid("readBack"), importDraft: mid("importDraft") });
    }
    return results;
  });
  return { database: database.kind, options, results };
}

// The updates appended as the server appends them, each under the delegation of the session that typed it.
async function store(draftId: string, updates: { update: Uint8Array; session: number }[], author: (session: number) => { id: string; delegationCode: string | null }): Promise<void> {
  for (let at = 0; at < updates.length; at += 2000) {
    const batch = updates.slice(at, at + 2000).map(({ update, session }) => ({ update, userId: author(session).id, delegationCode: author(session).delegationCode }));
    await appendUpdates(draftId, batch);
  }
}
