import { diffArrays, diffWordsWithSpace } from "diff";
import type * as Y from "yjs";
import type { RedlineClause, RedlineParagraph, RedlineRun, RedlineSection, RevisionMark } from "../render/redline-document";
import type { EditAuthor, EditAuthors } from "./edit-authors";
import { atomString, type Atom, type AtomClause, type AtomParagraph, type AtomSection, type AtomText } from "./text-atoms";

/** What the comparison needs to say who made each change. */
export interface Attribution {
  authors: EditAuthors;
  /** The name a revision carries: the sender's delegation, or the secretariat. */
  name(author: EditAuthor | null): string;
  /** The date of a change no update in the log explains (text that came with the draft). */
  fallbackDate: Date;
}

/** The comparison of two texts as revisions: the parts of a tracked-changes document. */
export interface RevisionText {
  title: RedlineRun[];
  preamble: RedlineParagraph[];
  sections: RedlineSection[];
}

type Change = "same" | "ins" | "del";

/**
 * Compares two texts for a tracked-changes document. Clauses are matched by their stable id,
 * sections by their place, paragraphs by their text (those in between that changed are compared
 * word by word); every inserted or deleted piece is a revision named after whoever inserted or
 * deleted it, as the draft's log knows it.
 */
export function compareAsRevisions(older: AtomText, newer: AtomText, attribution: Attribution): RevisionText {
  const revise = new Reviser(attribution);
  return {
    title: revise.words(older.title, newer.title),
    preamble: revise.paragraphs(older.preamble, newer.preamble),
    sections: revise.sections(older.sections, newer.sections),
  };
}

class Reviser {
  constructor(private readonly attribution: Attribution) {}

  sections(older: AtomSection[], newer: AtomSection[]): RedlineSection[] {
    const olderClauses = new Map(older.flatMap((section) => section.clauses.map((clause) => [clause.id, clause] as const)));
    const newerIds = new Set(newer.flatMap((section) => section.clauses.map((clause) => clause.id)));
    // Each section of the newer text, with its clauses, and the removed clauses after the clause
    // that preceded them in the older text (or at the start of the section in the same place).
    const placed: { section: AtomSection | null; older: AtomSection | null; clauses: { clause: AtomClause; change: Change; number: string }[] }[] = newer.map(
      (section, index) => ({
        section,
        older: older[index] ?? null,
        clauses: section.clauses.map((clause, at) => ({ clause, change: olderClauses.has(clause.id) ? "same" : "ins", number: `${index + 1}.${at + 1}` })),
      }),
    );
    for (let index = newer.length; index < older.length; index += 1) placed.push({ section: null, older: older[index] ?? null, clauses: [] });
    let anchor: { section: number; after: number } | null = null;
    older.forEach((section, sectionIndex) => {
      section.clauses.forEach((clause, at) => {
        if (newerIds.has(clause.id)) {
          anchor = findClause(placed, clause.id);
          return;
        }
        // A section gone from the newer text keeps its removed clauses under its removed heading.
        if (sectionIndex >= newer.length) {
          placed[sectionIndex]?.clauses.push({ clause, change: "del", number: `${sectionIndex + 1}.${at + 1}` });
          return;
        }
        const target: { section: number; after: number } = anchor ?? { section: Math.min(sectionIndex, placed.length - 1), after: -1 };
        const entry = placed[target.section];
        if (!entry) return;
        entry.clauses.splice(target.after + 1, 0, { clause, change: "del", number: `${sectionIndex + 1}.${at + 1}` });
        anchor = { section: target.section, after: target.after + 1 };
      });
    });
    return placed.map((entry, index) => {
      const change: Change = !entry.section ? "del" : !entry.older ? "ins" : "same";
      const heading =
        change === "del"
          ? this.whole(entry.older?.heading ?? [], "del")
          : change === "ins"
            ? this.whole(entry.section?.heading ?? [], "ins")
            : this.words(entry.older?.heading ?? [], entry.section?.heading ?? []);
      const elementId = (change === "del" ? entry.older : entry.section)?.elementId ?? null;
      return {
        number: String(index + 1),
        heading,
        clauses: entry.clauses.map(({ clause, change: clauseChange, number }) => this.clause(clause, clauseChange, number, olderClauses)),
        ...(change === "same" ? {} : { change, revision: this.wholeRevision(change, elementId, heading) }),
      };
    });
  }

  paragraphs(older: AtomParagraph[], newer: AtomParagraph[]): RedlineParagraph[] {
    const key = (paragraph: AtomParagraph) => `${paragraph.list ? `${paragraph.list.ordered ? "o" : "b"}${paragraph.list.level}` : "p"}|${atomString(paragraph.atoms)}`;
    const result: RedlineParagraph[] = [];
    let [o, n] = [0, 0];
    let removed: AtomParagraph[] = [];
    let added: AtomParagraph[] = [];
    const flush = () => {
      // Paragraphs removed and added in the same place are taken as changed, pair by pair.
      const pairs = Math.min(removed.length, added.length);
      for (let i = 0; i < pairs; i += 1) {
        const [before, after] = [removed[i] as AtomParagraph, added[i] as AtomParagraph];
        result.push({ runs: this.words(before.atoms, after.atoms), list: after.list });
      }
      for (const paragraph of removed.slice(pairs)) result.push(this.wholeParagraph(paragraph, "del"));
      for (const paragraph of added.slice(pairs)) result.push(this.wholeParagraph(paragraph, "ins"));
      removed = [];
      added = [];
    };
    for (const part of diffArrays(older.map(key), newer.map(key))) {
      const count = part.value.length;
      if (part.removed) removed.push(...older.slice(o, (o += count)));
      else if (part.added) added.push(...newer.slice(n, (n += count)));
      else {
        flush();
        for (const paragraph of newer.slice(n, n + count)) result.push({ runs: this.runs(paragraph.atoms, "same"), list: paragraph.list });
        o += count;
        n += count;
      }
    }
    flush();
    return result;
  }

  /** Two runs of atoms compared word by word. */
  words(older: Atom[], newer: Atom[]): RedlineRun[] {
    const runs: RedlineRun[] = [];
    let [o, n] = [0, 0];
    for (const part of diffWordsWithSpace(atomString(older), atomString(newer))) {
      const count = part.value.length;
      if (part.removed) runs.push(...this.runs(older.slice(o, (o += count)), "del"));
      else if (part.added) runs.push(...this.runs(newer.slice(n, (n += count)), "ins"));
      else {
        runs.push(...this.runs(newer.slice(n, n + count), "same"));
        o += count;
        n += count;
      }
    }
    return merged(runs);
  }

  private clause(clause: AtomClause, change: Change, number: string, olderClauses: Map<string, AtomClause>): RedlineClause {
    if (change === "same") {
      return { id: clause.id, number, paragraphs: this.paragraphs(olderClauses.get(clause.id)?.paragraphs ?? [], clause.paragraphs) };
    }
    const paragraphs = clause.paragraphs.map((paragraph) => this.wholeParagraph(paragraph, change));
    return { id: clause.id, number, paragraphs, change, revision: this.wholeRevision(change, clause.elementId, paragraphs.flatMap((paragraph) => paragraph.runs)) };
  }

  private wholeParagraph(paragraph: AtomParagraph, change: "ins" | "del"): RedlineParagraph {
    const runs = this.runs(paragraph.atoms, change);
    return { runs, list: paragraph.list, change, revision: this.wholeRevision(change, paragraph.id, runs) };
  }

  private whole(atoms: Atom[], change: "ins" | "del"): RedlineRun[] {
    return this.runs(atoms, change);
  }

  // Who added or removed a whole part: whoever created or deleted its element, else whoever wrote
  // or deleted its first words.
  private wholeRevision(change: "ins" | "del", elementId: Y.ID | null, runs: RedlineRun[]): RevisionMark {
    const author = elementId ? this.authorOf(change, elementId) : null;
    if (author) return this.mark(author);
    const first = runs.find((run) => run.revision);
    return first?.revision ?? this.mark(null);
  }

  /** Atoms as runs: consecutive atoms with the same marks and the same author make one run. */
  private runs(atoms: Atom[], change: Change): RedlineRun[] {
    const runs: RedlineRun[] = [];
    let open: (RedlineRun & { kind: "text" }) | null = null;
    const authors = change === "same" ? [] : this.authorsOf(atoms, change);
    for (const [index, atom] of atoms.entries()) {
      const revision = change === "same" ? undefined : this.mark(authors[index] ?? null);
      if (atom.kind === "footnote") {
        open = null;
        runs.push({ kind: "footnote", note: atom.note, change, ...(revision ? { revision } : {}) });
      } else if (atom.kind === "break") {
        open = null;
        runs.push({ kind: "break", change, ...(revision ? { revision } : {}) });
      } else if (open && open.em === atom.em && open.strong === atom.strong && open.href === atom.href && open.revision?.author === revision?.author) {
        open.text += atom.char;
        if (open.revision && revision && revision.date > open.revision.date) open.revision = revision;
      } else {
        open = { kind: "text", text: atom.char, change, em: atom.em, strong: atom.strong, href: atom.href, ...(revision ? { revision } : {}) };
        runs.push(open);
      }
    }
    return runs;
  }

  // Who inserted (or deleted) each atom. The word comparison may pair words other than those Yjs
  // kept (a word deleted and typed again, a space), so an atom no update explains takes the author
  // of its nearest neighbour in the same change.
  private authorsOf(atoms: Atom[], change: "ins" | "del"): (EditAuthor | null)[] {
    const authors = atoms.map((atom) => (atom.id ? this.authorOf(change, atom.id) : null));
    for (let i = 1; i < authors.length; i += 1) authors[i] ??= authors[i - 1] ?? null;
    for (let i = authors.length - 2; i >= 0; i -= 1) authors[i] ??= authors[i + 1] ?? null;
    return authors;
  }

  private authorOf(change: "ins" | "del", id: Y.ID): EditAuthor | null {
    return change === "ins" ? this.attribution.authors.insertedBy(id) : this.attribution.authors.deletedBy(id);
  }

  private mark(author: EditAuthor | null): RevisionMark {
    return { author: this.attribution.name(author), date: author?.at ?? this.attribution.fallbackDate };
  }
}

// Neighbouring runs alike in all but their text, as the word comparison leaves them, as one.
function merged(runs: RedlineRun[]): RedlineRun[] {
  const result: RedlineRun[] = [];
  for (const run of runs) {
    const last = result.at(-1);
    if (last?.kind === "text" && run.kind === "text" && alike(last, run)) {
      last.text += run.text;
      if (last.revision && run.revision && run.revision.date > last.revision.date) last.revision = run.revision;
    } else result.push(run.kind === "text" ? { ...run } : run);
  }
  return result;
}

function alike(a: RedlineRun & { kind: "text" }, b: RedlineRun & { kind: "text" }): boolean {
  return a.change === b.change && a.em === b.em && a.strong === b.strong && a.href === b.href && a.revision?.author === b.revision?.author;
}

function findClause(placed: { clauses: { clause: AtomClause }[] }[], id: string): { section: number; after: number } | null {
  for (let section = 0; section < placed.length; section += 1) {
    const after = placed[section]?.clauses.findIndex((entry) => entry.clause.id === id) ?? -1;
    if (after >= 0) return { section, after };
  }
  return null;
}
