import {
  AlignmentType,
  Bookmark,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  Footer,
  FootnoteReference,
  HeadingLevel,
  InsertedTextRun,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type ICommentOptions,
  type IParagraphOptions,
  type IRunOptions,
  type ParagraphChild,
} from "docx";
import { currentLanguage } from "../../i18n/languages";
import { t } from "../../i18n/translate";
import { isSafeHref } from "../../schema/prosemirror";
import { bookmarkName, wordLanguage } from "./word-names";

/** Who made a change, and when. */
export interface RevisionMark {
  author: string;
  date: Date;
}

/** A run of a comparison: in both texts ("same"), only in the newer ("ins") or only in the older ("del"). */
export type RedlineRun =
  | { kind: "text"; text: string; change: "same" | "ins" | "del"; revision?: RevisionMark; em?: boolean; strong?: boolean; href?: string | null }
  | { kind: "footnote"; note: string; change: "same" | "ins" | "del"; revision?: RevisionMark }
  | { kind: "break"; change: "same" | "ins" | "del"; revision?: RevisionMark };

/** A paragraph of a comparison, or a list item when `list` is set (level 0 is the outermost list). */
export interface RedlineParagraph {
  runs: RedlineRun[];
  list?: { ordered: boolean; level: number } | null;
  /** A paragraph that exists only in the newer text (ins) or only in the older (del): its paragraph mark is a revision too. */
  change?: "ins" | "del";
  revision?: RevisionMark;
}

/** A numbered clause of a comparison; an inserted or deleted clause makes every paragraph in it so. */
export interface RedlineClause {
  id: string;
  number: string;
  paragraphs: RedlineParagraph[];
  change?: "ins" | "del";
  revision?: RevisionMark;
}

/** A numbered section of a comparison; an inserted or deleted section makes its heading and clauses so. */
export interface RedlineSection {
  number: string;
  heading: RedlineRun[];
  clauses: RedlineClause[];
  change?: "ins" | "del";
  revision?: RevisionMark;
}

/** A comment on a clause, with its replies. */
export interface RedlineComment {
  clauseId: string;
  author: string;
  date: Date;
  text: string;
  replies: { author: string; date: Date; text: string }[];
}

/** Two versions of a text merged into one, each difference marked with who made it and when. */
export interface RedlineDocument {
  title: RedlineRun[];
  /** One line under the title saying what is compared, e.g. "Comparison: version 3 → version 5"; not a revision. */
  caption: string;
  preamble: RedlineParagraph[];
  sections: RedlineSection[];
  comments: RedlineComment[];
  lang: string; // BCP 47 of the text, e.g. "fr" or "en"
  /** The mark of a change that has none of its own, nor on its paragraph, clause or section. */
  revision?: RevisionMark;
}

type Change = "same" | "ins" | "del";

/** Where a part sits: the whole-part change around it, and the nearest revision mark. */
interface Scope {
  change?: "ins" | "del";
  revision?: RevisionMark;
}

type Resolved<T> = T & { change: Change; revision?: RevisionMark };

/** One Word paragraph to write, its changes resolved from the parts around it. */
interface Line {
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
interface MarkRevision {
  change: "ins" | "del";
  revision: RevisionMark;
}

const ORDERED = "ordered-list";
const LIST_LEVELS = 9;

/**
 * A comparison of two versions as a Word document laid out as the clean export is (Title, Heading 1
 * sections, clauses led by their bookmarked bold number, Word lists, footnotes and links), whose every
 * difference is a tracked change with its author and date: Accept All in Word or LibreOffice gives the
 * newer text, Reject All the older, whole paragraphs, clauses and sections included. Comments are anchored
 * on their clause's first paragraph, replies threaded under them; a comment on a clause missing from the
 * comparison is left out.
 */
export async function renderRedlineDocx(document: RedlineDocument): Promise<Buffer> {
  const lines = documentLines(document);
  const writer = new RedlineWriter(document.comments, new Set(lines.flatMap((line) => (line.lead ? [line.lead.clauseId] : []))));
  const marks = paragraphMarks(lines);
  const body = lines.map((line, index) => writer.paragraph(line, marks[index] ?? null));

  const file = new Document({
    title: newerText(document.title),
    description: clean(document.caption),
    creator: t("public.publisher"),
    // Word checks spelling and hyphenates in the text's language.
    styles: { default: { document: { run: { language: { value: wordLanguage(document.lang) } } } } },
    hyphenation: { autoHyphenation: true },
    footnotes: writer.footnotes,
    comments: { children: writer.comments },
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: Array.from({ length: LIST_LEVELS }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [
      {
        properties: {},
        footers: {
          default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] }),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(file);
}

/** The document as the Word paragraphs it becomes, in order. */
function documentLines(document: RedlineDocument): Line[] {
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
function paragraphMarks(lines: readonly Line[]): (MarkRevision | null)[] {
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

/**
 * Writes lines as Word paragraphs and collects their footnotes and comments. Revisions and comments share
 * one sequence of ids, so no two have the same; bookmarks have their own, as in Word's files.
 */
class RedlineWriter {
  readonly footnotes: Record<string, { children: Paragraph[] }> = {};
  readonly comments: ICommentOptions[] = [];
  private lastId = 0;
  private listInstance = 0;
  private inList = false;
  private readonly bookmarks = new Set<string>();
  private readonly commentIds = new Map<string, number[]>();

  constructor(comments: readonly RedlineComment[], clauseIds: ReadonlySet<string>) {
    for (const comment of comments) {
      if (!clauseIds.has(comment.clauseId)) continue;
      const id = this.nextId();
      const replies = comment.replies.map((reply) => ({ ...this.comment(this.nextId(), reply), parentId: id }));
      this.comments.push(this.comment(id, comment), ...replies);
      this.commentIds.set(comment.clauseId, [...(this.commentIds.get(comment.clauseId) ?? []), id, ...replies.map((reply) => reply.id)]);
    }
  }

  paragraph(line: Line, mark: MarkRevision | null): Paragraph {
    const comments = line.lead ? (this.commentIds.get(line.lead.clauseId) ?? []) : [];
    const children: ParagraphChild[] = [
      ...comments.map((id) => new CommentRangeStart(id)),
      ...(line.lead ? this.lead(line.lead) : []),
      ...(line.label === undefined ? this.runs(line.runs) : [labelRun(line.label)]),
      ...comments.flatMap((id) => [new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })]),
    ];
    const run = mark ? { [mark.change === "ins" ? "insertion" : "deletion"]: this.attributes(mark.revision) } : {};
    return new Paragraph({ children, run, ...this.layout(line) });
  }

  private layout(line: Line): IParagraphOptions {
    const list = line.list;
    if (!list) {
      this.inList = false;
      if (line.style === "title") return { heading: HeadingLevel.TITLE };
      return line.style === "heading" ? { heading: HeadingLevel.HEADING_1 } : {};
    }
    // Consecutive list paragraphs are one list: an ordered list after other text starts again at 1.
    if (!this.inList) this.listInstance += 1;
    this.inList = true;
    const level = Math.min(Math.max(Math.trunc(list.level), 0), LIST_LEVELS - 1);
    return list.ordered ? { numbering: { reference: ORDERED, level, instance: this.listInstance } } : { bullet: { level } };
  }

  private lead(lead: NonNullable<Line["lead"]>): ParagraphChild[] {
    const name = bookmarkName(lead.clauseId);
    const number = this.run({ kind: "text", text: lead.number, strong: true, change: lead.change, revision: lead.revision });
    const tab = this.run({ kind: "text", text: "\t", change: lead.change, revision: lead.revision });
    // Word wants bookmark names unique: a clause shown twice (moved) is bookmarked where it first appears.
    if (this.bookmarks.has(name)) return [number, tab];
    this.bookmarks.add(name);
    return [new Bookmark({ id: name, children: [number] }), tab];
  }

  /** The runs but empty ones, consecutive ones with the same (safe) link in one hyperlink. */
  private runs(runs: readonly Resolved<RedlineRun>[]): ParagraphChild[] {
    const groups: { href: string | null; runs: ParagraphChild[] }[] = [];
    for (const run of runs) {
      if (run.kind === "text" && clean(run.text) === "") continue;
      const href = run.kind === "text" && run.href && isSafeHref(run.href) ? run.href : null;
      const last = groups.at(-1);
      if (last && href && last.href === href) last.runs.push(this.run(run));
      else groups.push({ href, runs: [this.run(run)] });
    }
    return groups.flatMap((group) => (group.href ? [new ExternalHyperlink({ link: group.href, children: group.runs })] : group.runs));
  }

  private run(run: Resolved<RedlineRun>): ParagraphChild {
    const options: IRunOptions =
      run.kind === "text"
        ? { text: clean(run.text), bold: run.strong, italics: run.em, ...(run.href && isSafeHref(run.href) ? { style: "Hyperlink" } : {}) }
        : run.kind === "footnote"
          ? { style: "FootnoteReference", children: [new FootnoteReference(this.footnote(run))] }
          : { break: 1 };
    return this.tracked(run, options);
  }

  private tracked(run: { change: Change; revision?: RevisionMark }, options: IRunOptions): ParagraphChild {
    if (run.change === "same" || !run.revision) return new TextRun(options);
    const attributes = this.attributes(run.revision);
    return run.change === "ins" ? new InsertedTextRun({ ...options, ...attributes }) : new DeletedTextRun({ ...options, ...attributes });
  }

  /** A footnote numbered in reading order, its text inserted or deleted with its reference. */
  private footnote(run: Resolved<Extract<RedlineRun, { kind: "footnote" }>>): number {
    const number = Object.keys(this.footnotes).length + 1;
    this.footnotes[String(number)] = { children: [new Paragraph({ children: [this.tracked(run, { text: clean(run.note) })] })] };
    return number;
  }

  private comment(id: number, comment: { author: string; date: Date; text: string }): ICommentOptions & { id: number } {
    const paragraphs = clean(comment.text).split("\n");
    return { id, author: clean(comment.author), date: comment.date, children: paragraphs.map((text) => new Paragraph({ children: [new TextRun(text)] })) };
  }

  private attributes(revision: RevisionMark): { id: number; author: string; date: string } {
    return { id: this.nextId(), author: clean(revision.author), date: wordDate(revision.date) };
  }

  private nextId(): number {
    return (this.lastId += 1);
  }
}

// The caption is in the reader's language, like the clean export's version line; the rest is the text's.
function labelRun(text: string): TextRun {
  return new TextRun({ text: clean(text), italics: true, language: { value: wordLanguage(currentLanguage()) } });
}

function newerText(runs: readonly RedlineRun[]): string {
  return clean(runs.map((run) => (run.kind === "text" && run.change !== "del" ? run.text : "")).join(""));
}

/** Characters XML 1.0 cannot hold (C0 controls but tab and newline, lone surrogates, U+FFFE/U+FFFF) are dropped. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- these control characters are what must go
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
}

/** ISO 8601 in UTC to the second, as Word writes revision dates. */
function wordDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
