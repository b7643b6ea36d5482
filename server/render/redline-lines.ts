/**
 * A comparison laid out as the Word paragraphs it becomes, each with its change resolved from the
 * parts around it (a run inside an inserted clause is inserted with it), and the revision each
 * paragraph mark carries so that accepting or rejecting everything leaves exactly one side.
 */
import type { RedlineClause, RedlineDocument, RedlineParagraph, RedlineRun, RevisionMark } from "./redline-document";

export type Change = "same" | "ins" | "del";

/** Where a part sits: the whole-part change around it, and the nearest revision mark. */
interface Scope {
  change?: "ins" | "del";
  revision?: RevisionMark;
}

export type Resolved<T> = T & { change: Change; revision?: RevisionMark };

/** One Word paragraph to write, its changes resolved from the parts around it. */
export interface Line {
  style: "title" | "heading" | "body";
  runs: Resolved<RedlineRun>[];
  /** Text in the reader's language, outside the comparison (the caption), written instead of runs. */
  label?: string;
  list: { ordered: boolean; level: number } | null;
  change: Change;
  revision?: RevisionMark;
  /** A clause's bold number (in a bookmark named after its id) and tab, leading the clause's first paragraph. */
  lead?: { clauseId: string; number: string; change: Change; revision?: RevisionMark };
}

/** The revision on a paragraph's mark: rejecting an inserted mark merges the paragraph into the next, accepting a deleted one does. */
export interface MarkRevision {
  change: "ins" | "del";
  revision: RevisionMark;
}

/** The document as the Word paragraphs it becomes, in order. */
export function documentLines(document: RedlineDocument): Line[] {
  const root: Scope = { revision: document.revision };
  const lines: Line[] = [
    { style: "title", runs: resolveRuns(document.title, root), list: null, change: "same" },
    { style: "body", runs: [], label: document.caption, list: null, change: "same" },
    ...document.preamble.map((paragraph) => paragraphLine(paragraph, root)),
  ];
  for (const section of document.sections) {
    const scope = within(root, section);
    const number: RedlineRun = { kind: "text", text: `${section.number}. `, change: "same" };
    const revision = needRevision(scope.change, scope.revision);
    lines.push({ style: "heading", runs: resolveRuns([number, ...section.heading], scope), list: null, change: scope.change ?? "same", revision });
    for (const clause of section.clauses) lines.push(...clauseLines(clause, scope));
  }
  return lines;
}

function clauseLines(clause: RedlineClause, outer: Scope): Line[] {
  const scope = within(outer, clause);
  const lead: NonNullable<Line["lead"]> = { clauseId: clause.id, number: clause.number, change: scope.change ?? "same", revision: needRevision(scope.change, scope.revision) };
  const [first, ...rest] = clause.paragraphs;
  if (first && !first.list) return [{ ...paragraphLine(first, scope), lead }, ...rest.map((paragraph) => paragraphLine(paragraph, scope))];
  const leadLine: Line = { style: "body", runs: [], list: null, change: lead.change, revision: lead.revision, lead };
  return [leadLine, ...clause.paragraphs.map((paragraph) => paragraphLine(paragraph, scope))];
}

function paragraphLine(paragraph: RedlineParagraph, outer: Scope): Line {
  const scope = within(outer, paragraph);
  const revision = needRevision(scope.change, scope.revision);
  return { style: "body", runs: resolveRuns(paragraph.runs, scope), list: paragraph.list ?? null, change: scope.change ?? "same", revision };
}

/** A part inside an inserted or deleted part is inserted or deleted with it, under its mark unless it has its own for that change. */
function within(outer: Scope, part: { change?: "ins" | "del"; revision?: RevisionMark }): Scope {
  if (outer.change && part.change !== outer.change) return outer;
  return { change: part.change ?? outer.change, revision: part.revision ?? outer.revision };
}

function resolveRuns(runs: readonly RedlineRun[], scope: Scope): Resolved<RedlineRun>[] {
  return runs.map((run) => {
    const { change, revision } = within(scope, run.change === "same" ? {} : { change: run.change, revision: run.revision });
    return { ...run, change: change ?? "same", revision: needRevision(change, revision) };
  });
}

function needRevision(change: Change | undefined, revision: RevisionMark | undefined): RevisionMark | undefined {
  if (change && change !== "same" && !revision) throw new Error("A tracked change needs a RevisionMark: on the run, its paragraph, clause, section or the document.");
  return revision;
}

/**
 * A paragraph mark is the boundary with the next paragraph. An inserted or deleted paragraph's own mark
 * carries its change, so that accepting or rejecting merges it, emptied, into the next paragraph, which keeps
 * its formatting. The document's last mark can never go, though: after the last paragraph both texts share,
 * each mark carries the change of the paragraph after it instead (as Word records paragraphs added at the
 * end), so that each text ends on its own last paragraph with no empty one left behind, and no mark is both
 * inserted and deleted (which LibreOffice cannot read).
 */
export function paragraphMarks(lines: readonly Line[]): (MarkRevision | null)[] {
  let lastShared = 0;
  lines.forEach((line, index) => {
    if (line.change === "same") lastShared = index;
  });
  return lines.map((line, index) => {
    const changed = index < lastShared ? line : lines[index + 1];
    if (!changed || changed.change === "same" || !changed.revision) return null;
    return { change: changed.change, revision: changed.revision };
  });
}
