import {
  Bookmark,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  FootnoteReference,
  HeadingLevel,
  InsertedTextRun,
  Packer,
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
import { bookmarkName, decimalListLevels, pageNumberFooter, wordLanguage } from "./word-common";
import type { RedlineComment, RedlineDocument, RedlineRun, RevisionMark } from "./redline-document";
import { documentLines, paragraphMarks, type Change, type Line, type MarkRevision, type Resolved } from "./redline-lines";

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
          levels: decimalListLevels(LIST_LEVELS),
        },
      ],
    },
    sections: [
      {
        properties: {},
        footers: {
          default: pageNumberFooter(),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(file);
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
