import * as Y from "yjs";
import { bracketAttrsValid } from "../../schema/brackets";
import { YJS_FRAGMENT } from "../../schema/prosemirror";

/**
 * One unit of a paragraph's text as Yjs holds it — a UTF-16 code unit of text, a footnote or a line
 * break — with its marks and the id of the Yjs item it belongs to, which says who wrote it.
 */
export interface Atom {
  kind: "text" | "footnote" | "break";
  /** The code unit; for a footnote or a break, a stand-in character that no text holds. */
  char: string;
  em: boolean;
  strong: boolean;
  href: string | null;
  /** A footnote's text. */
  note: string;
  id: Y.ID | null;
  /** The bracket option the text belongs to (schema/brackets.ts), if any. */
  bracket: AtomBracket | null;
}

/**
 * A bracket option, with the Yjs items that set and unset its mark: a mark is a pair of format items
 * around the text, named like any item by the client and clock of whoever added (or removed) it.
 */
export interface AtomBracket {
  id: string;
  option: number;
  /** The format item that gave the text this option. */
  opened: Y.ID;
  /** The next format item of the bracket mark after the text, which ends the option (null when the text ends first). */
  closed: Y.ID | null;
}

/** A paragraph (or a list item's paragraph, with its list) as atoms. */
export interface AtomParagraph {
  list: { ordered: boolean; level: number } | null;
  atoms: Atom[];
  /** The id of the paragraph's element: who created or deleted the paragraph as a whole. */
  id: Y.ID | null;
}

/** A clause as atoms. */
export interface AtomClause {
  id: string;
  paragraphs: AtomParagraph[];
  elementId: Y.ID | null;
}

/** A section as atoms. */
export interface AtomSection {
  heading: Atom[];
  clauses: AtomClause[];
  elementId: Y.ID | null;
}

/** A whole text as atoms, in the document's order. */
export interface AtomText {
  title: Atom[];
  preamble: AtomParagraph[];
  sections: AtomSection[];
}

export const FOOTNOTE_CHAR = "\uFFFC";
export const BREAK_CHAR = "\u2028";

/** Reads a text's Yjs state into atoms: the text as the schema arranges it, each piece with its item's id. */
export function readAtomText(state: Uint8Array): AtomText {
  const doc = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(doc, state);
    const text: AtomText = { title: [], preamble: [], sections: [] };
    for (const child of doc.getXmlFragment(YJS_FRAGMENT).toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === "title") text.title = inlineAtoms(child);
      else if (child.nodeName === "preamble") text.preamble = blockParagraphs(child, 0);
      else if (child.nodeName === "section") text.sections.push(readSection(child));
    }
    return text;
  } finally {
    doc.destroy();
  }
}

/** The plain string of atoms, one character per atom: what the word comparison reads. */
export function atomString(atoms: readonly Atom[]): string {
  return atoms.map((atom) => atom.char).join("");
}

function readSection(element: Y.XmlElement): AtomSection {
  const section: AtomSection = { heading: [], clauses: [], elementId: idOf(element) };
  for (const child of element.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === "section_heading") section.heading = inlineAtoms(child);
    else if (child.nodeName === "clause") {
      section.clauses.push({ id: String(child.getAttribute("id") ?? ""), paragraphs: blockParagraphs(child, 0), elementId: idOf(child) });
    }
  }
  return section;
}

// The paragraphs of a clause, a preamble or a list item, lists flattened with their depth.
function blockParagraphs(element: Y.XmlElement, level: number, list: AtomParagraph["list"] = null): AtomParagraph[] {
  const paragraphs: AtomParagraph[] = [];
  for (const child of element.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === "paragraph") paragraphs.push({ list, atoms: inlineAtoms(child), id: idOf(child) });
    else if (child.nodeName === "bullet_list" || child.nodeName === "ordered_list") {
      const ordered = child.nodeName === "ordered_list";
      const depth = list ? level + 1 : level;
      for (const item of child.toArray()) {
        if (item instanceof Y.XmlElement) paragraphs.push(...blockParagraphs(item, depth, { ordered, level: depth }));
      }
    } else paragraphs.push({ list, atoms: inlineAtoms(child), id: idOf(child) });
  }
  return paragraphs;
}

// The atoms of an element holding inline content: text (one Y.XmlText per run of text nodes) and
// inline nodes (footnotes, breaks) as elements of their own.
function inlineAtoms(element: Y.XmlElement): Atom[] {
  const atoms: Atom[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) atoms.push(...textAtoms(child));
    else if (child instanceof Y.XmlElement) {
      const plain = { em: false, strong: false, href: null, id: idOf(child), bracket: null };
      if (child.nodeName === "footnote") atoms.push({ ...plain, kind: "footnote", char: FOOTNOTE_CHAR, note: String(child.getAttribute("note") ?? "") });
      else if (child.nodeName === "hard_break") atoms.push({ ...plain, kind: "break", char: BREAK_CHAR, note: "" });
      else atoms.push(...inlineAtoms(child));
    }
  }
  return atoms;
}

// A Y.XmlText's characters with their marks and the ids of their items, read from its items as
// its delta is: a visible format item sets a mark (or, with null, unsets it) for what follows.
function textAtoms(text: Y.XmlText): Atom[] {
  const atoms: Atom[] = [];
  const attributes: Record<string, unknown> = {};
  let bracket: AtomBracket | null = null;
  for (let item = text._start; item; item = item.right) {
    if (item.deleted) continue;
    const content = item.content;
    if (content instanceof Y.ContentFormat) {
      if (content.value === null) delete attributes[content.key];
      else attributes[content.key] = content.value;
      if (markName(content.key) !== "bracket") continue;
      if (bracket) bracket.closed = item.id;
      const value = content.value as Record<string, unknown> | null;
      bracket = value && typeof value === "object" && bracketAttrsValid(value) ? { id: value.id as string, option: value.option as number, opened: item.id, closed: null } : null;
      continue;
    }
    // Embedded content (which Accord's texts do not hold) gives no atom.
    if (!(content instanceof Y.ContentString)) continue;
    const marks = markAttributes(attributes);
    content.str.split("").forEach((char, index) => {
      atoms.push({ kind: "text", char, ...marks, note: "", id: Y.createID(item.id.client, item.id.clock + index), bracket });
    });
  }
  return atoms;
}

// y-prosemirror names a mark's attribute after the mark, with a hash suffix where marks may overlap.
function markAttributes(attributes: Record<string, unknown>): { em: boolean; strong: boolean; href: string | null } {
  const marks = { em: false, strong: false, href: null as string | null };
  for (const [key, value] of Object.entries(attributes)) {
    const name = markName(key);
    if (name === "em") marks.em = true;
    else if (name === "strong") marks.strong = true;
    else if (name === "link" && value && typeof value === "object") {
      const href = (value as { href?: unknown }).href;
      if (typeof href === "string") marks.href = href;
    }
  }
  return marks;
}

function markName(key: string): string {
  return key.replace(/--[A-Za-z0-9+/=]{8}$/, "");
}

function idOf(type: { _item: Y.Item | null }): Y.ID | null {
  return type._item?.id ?? null;
}
