import type { Node as PMNode } from "prosemirror-model";
import type { DocJson } from "../../schema/content";
import { showBrackets } from "../../schema/brackets";
import { normalizeDocument } from "../../schema/normalize";
import { clauseNumbers, isSafeHref, schema } from "../../schema/prosemirror";

/** A run of inline content, as every download format writes it. */
export type Inline =
  | { kind: "text"; text: string; em: boolean; strong: boolean; href: string | null }
  | { kind: "footnote"; number: number }
  | { kind: "break" };

/** A paragraph or a list. */
export type Block = { kind: "paragraph"; inlines: Inline[] } | { kind: "list"; ordered: boolean; items: ListItem[] };

/** A list item: its paragraph and any lists nested under it. */
export interface ListItem {
  inlines: Inline[];
  lists: Block[];
}

/** A numbered clause with its stable id. */
export interface ExportClause {
  id: string;
  number: string;
  blocks: Block[];
}

/** A numbered section: its heading and clauses. */
export interface ExportSection {
  number: string;
  heading: Inline[];
  clauses: ExportClause[];
}

/** What a published version says about itself on every download. */
export interface ExportMetadata {
  /** The public title, when it differs from the text's own title. */
  publicTitle: string;
  versionNumber: number;
  statusLabel: string;
  /** When the version was saved. */
  date: Date;
  sha256: string;
  /** BCP 47 language of the text. */
  lang: string;
  /** The permanent address of this version, when known. */
  url: string | null;
}

/**
 * A version's text flattened for the download formats: sections of numbered clauses, inline runs
 * with their marks, and footnotes numbered in reading order.
 */
export interface ExportDocument {
  title: string;
  preamble: Block[];
  sections: ExportSection[];
  footnotes: { number: number; text: string }[];
  meta: ExportMetadata;
}

/**
 * Reads a version's canonical ProseMirror JSON into the shape the download formats write, through the
 * normalising conversion: a version stored before the schema was enforced still downloads.
 */
export function toExportDocument(json: DocJson, meta: ExportMetadata): ExportDocument {
  // What is not agreed shows in square brackets in every download (schema/brackets.ts).
  const doc = showBrackets(normalizeDocument(json), "bracketed");
  const numbers = clauseNumbers(doc);
  const footnotes: ExportDocument["footnotes"] = [];
  const inlines = (node: PMNode) => readInlines(node, footnotes);
  const blocks = (node: PMNode) => readBlocks(node, inlines);

  let title = "";
  const preamble: Block[] = [];
  const sections: ExportSection[] = [];
  doc.forEach((child) => {
    if (child.type === schema.nodes.title) title = child.textContent;
    else if (child.type === schema.nodes.preamble) preamble.push(...blocks(child));
    else if (child.type === schema.nodes.section) {
      const section: ExportSection = { number: String(sections.length + 1), heading: [], clauses: [] };
      child.forEach((node) => {
        if (node.type === schema.nodes.section_heading) section.heading = inlines(node);
        else if (node.type === schema.nodes.clause) {
          const id = typeof node.attrs.id === "string" ? node.attrs.id : "";
          section.clauses.push({ id, number: numbers.get(id) ?? `${section.number}.${section.clauses.length + 1}`, blocks: blocks(node) });
        }
      });
      sections.push(section);
    }
  });
  return { title, preamble: preamble.filter((block) => !isEmptyBlock(block)), sections, footnotes, meta };
}

/** The plain text of inline runs (footnote markers left out). */
export function plainText(inlines: readonly Inline[]): string {
  return inlines.map((inline) => (inline.kind === "text" ? inline.text : inline.kind === "break" ? "\n" : "")).join("");
}

function readBlocks(node: PMNode, inlines: (node: PMNode) => Inline[]): Block[] {
  const blocks: Block[] = [];
  node.forEach((child) => {
    if (child.type === schema.nodes.paragraph) blocks.push({ kind: "paragraph", inlines: inlines(child) });
    else if (child.type === schema.nodes.bullet_list || child.type === schema.nodes.ordered_list) blocks.push(readList(child, inlines));
  });
  return blocks;
}

function readList(node: PMNode, inlines: (node: PMNode) => Inline[]): Block {
  const items: ListItem[] = [];
  node.forEach((item) => {
    const entry: ListItem = { inlines: [], lists: [] };
    item.forEach((child) => {
      if (child.type === schema.nodes.paragraph) entry.inlines.push(...inlines(child));
      else entry.lists.push(readList(child, inlines));
    });
    items.push(entry);
  });
  return { kind: "list", ordered: node.type === schema.nodes.ordered_list, items };
}

function readInlines(node: PMNode, footnotes: ExportDocument["footnotes"]): Inline[] {
  const runs: Inline[] = [];
  node.forEach((child) => {
    if (child.isText) {
      const link = child.marks.find((mark) => mark.type === schema.marks.link);
      const href = link && typeof link.attrs.href === "string" && isSafeHref(link.attrs.href) ? link.attrs.href : null;
      runs.push({
        kind: "text",
        text: child.text ?? "",
        em: child.marks.some((mark) => mark.type === schema.marks.em),
        strong: child.marks.some((mark) => mark.type === schema.marks.strong),
        href,
      });
    } else if (child.type === schema.nodes.footnote) {
      const number = footnotes.length + 1;
      footnotes.push({ number, text: String(child.attrs.note ?? "") });
      runs.push({ kind: "footnote", number });
    } else if (child.type === schema.nodes.hard_break) {
      runs.push({ kind: "break" });
    }
  });
  return runs;
}

function isEmptyBlock(block: Block): boolean {
  return block.kind === "paragraph" && plainText(block.inlines).trim() === "" && !block.inlines.some((inline) => inline.kind === "footnote");
}
