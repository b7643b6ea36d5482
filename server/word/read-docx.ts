import type { WordArchive } from "./archive";
import { WordNumbering } from "./numbering";
import { PartReader, type PartContext } from "./part-reader";
import { PACKAGE, relatedPart, relationships } from "./parts";
import { WordStyles } from "./styles";
import { ReadingTally, type LostKind, type WordParagraph } from "./word-document";
import { WordFileError } from "./word-file-error";
import { attribute, child, children, DC, parseXml, W } from "./xml";

/** A comment of the document (word/comments.xml): its id, which ranges in the text name, and its text. */
export interface WordComment {
  id: string;
  author: string;
  date: string | null;
  paragraphs: WordParagraph[];
}

/** A Word document read in full, with its tracked changes still in it. */
export interface WordDocument {
  /** The body's paragraphs, table cells' included, in reading order. */
  paragraphs: WordParagraph[];
  /** The title in the document's properties (docProps/core.xml), if set. */
  propertiesTitle: string | null;
  comments: WordComment[];
  /** What Accord cannot keep (comments, images, tables…), by kind; tracked changes are counted apart. */
  lost: ReadonlyMap<LostKind, number>;
  /** The tracked changes (`w:ins`, `w:del`, `w:moveFrom`, `w:moveTo`, paragraph marks' included) in the body and notes. */
  trackedChanges: number;
}

type NoteKind = "footnote" | "endnote";

/**
 * Reads an opened Word document: its styles and lists resolved, footnotes and endnotes attached
 * where they are referenced, comments apart. Finds its parts through their relationships, as Word
 * and LibreOffice name them differently; throws a WordFileError when the main part is damaged.
 */
export function readWordDocument(archive: WordArchive): WordDocument {
  const main = archive.mainDocument;
  const part = (kind: string, usual: string) => relatedPart(archive, main, kind) ?? (archive.has(usual) ? usual : null);
  const root = (name: string | null) => {
    const text = name === null ? null : archive.text(name);
    return name === null || text === null ? null : parseXml(text, name);
  };

  const styles = new WordStyles(root(part("styles", "word/styles.xml")));
  const numbering = new WordNumbering(root(part("numbering", "word/numbering.xml")), styles);
  const tally = new ReadingTally();
  const context = (name: string, notes: PartContext["notes"], counting = tally): PartContext => ({
    styles,
    numbering,
    links: externalLinks(archive, name),
    notes,
    tally: counting,
  });
  const noNotes: PartContext["notes"] = { footnote: new Map(), endnote: new Map() };

  const notes = (kind: NoteKind): Map<string, WordParagraph[]> => {
    const name = part(`${kind}s`, `word/${kind}s.xml`);
    const found = new Map<string, WordParagraph[]>();
    if (name === null) return found;
    const reader = new PartReader(context(name, noNotes));
    for (const note of children(root(name), W, kind)) {
      // Separators are the line Word draws above the notes, not notes.
      const type = attribute(note, W, "type");
      if (type !== null && type !== "normal") continue;
      found.set(attribute(note, W, "id") ?? "", reader.blocks(note));
    }
    return found;
  };

  const body = child(root(main), W, "body");
  if (!body) throw new WordFileError("corrupt", {}, main);
  const paragraphs = new PartReader(context(main, { footnote: notes("footnote"), endnote: notes("endnote") })).blocks(body);

  const commentsPart = part("comments", "word/comments.xml");
  // What a comment holds is not the document's: it is neither counted nor kept.
  const commentReader = commentsPart === null ? null : new PartReader(context(commentsPart, noNotes, new ReadingTally()));
  const comments = children(root(commentsPart), W, "comment").map((comment) => ({
    id: attribute(comment, W, "id") ?? "",
    author: attribute(comment, W, "author") ?? "",
    date: attribute(comment, W, "date"),
    paragraphs: commentReader ? commentReader.blocks(comment) : [],
  }));
  tally.add("comment", comments.length);

  return { paragraphs, propertiesTitle: propertiesTitle(archive, root), comments, lost: tally.lost, trackedChanges: tally.trackedChanges };
}

function externalLinks(archive: WordArchive, part: string): Map<string, string> {
  return new Map(relationships(archive, part).flatMap((relationship) => (relationship.external ? [[relationship.id, relationship.target] as const] : [])));
}

function propertiesTitle(archive: WordArchive, root: (name: string | null) => Element | null): string | null {
  const name = relatedPart(archive, PACKAGE, "core-properties") ?? (archive.has("docProps/core.xml") ? "docProps/core.xml" : null);
  const title = child(root(name), DC, "title")?.textContent?.replace(/\s+/g, " ").trim();
  return title ? title : null;
}
