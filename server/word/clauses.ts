import { newClauseId } from "../../schema/prosemirror";
import type { DocJson } from "../../schema/content";
import { hasContent, inlineJson } from "./inline-json";
import { plainText, type SettledParagraph, type TrackedChanges } from "./tracked-changes";
import { stripLead, typedLead } from "./typed-numbers";

/**
 * What a paragraph of a section is: the start of a clause, a list item (nested by `level`), or
 * plain text; `strip` is the length of its typed number or marker.
 */
type Role = { kind: "clause"; strip: number } | { kind: "item"; ordered: boolean; level: number; strip: number } | { kind: "plain"; strip: 0 };

/**
 * The clauses of a section's paragraphs. A numbered paragraph starts a clause when its number is
 * at the section's clause level: the shallowest automatic level that is not a bullet, or the
 * shallowest depth of typed numbers ("1.1" under "1." is deeper); its typed number is dropped, as
 * Accord numbers clauses itself. Unnumbered paragraphs after it belong to it; deeper numbers and
 * bullets become its lists, nested by list level (automatic numbering) or by indentation (typed
 * markers). Where nothing in the section is numbered at the clause level, each paragraph is a clause.
 */
export function clausesOf(paragraphs: readonly SettledParagraph[], view: TrackedChanges): DocJson[] {
  const roles = rolesOf(paragraphs);
  const numbered = roles.some((role) => role.kind === "clause");
  const clauses: DocJson[] = [];
  let content: DocJson[] | null = null;
  const lists = new ListBuilder();
  const close = () => {
    if (content?.length) clauses.push({ type: "clause", attrs: { id: newClauseId() }, content });
    content = null;
    lists.reset();
  };

  paragraphs.forEach((paragraph, index) => {
    const role = roles[index] ?? { kind: "plain", strip: 0 };
    const inline = inlineJson(stripLead(paragraph.pieces, role.strip), view, "paragraph");
    const block: DocJson = { type: "paragraph", content: inline };
    if (role.kind === "clause" || (role.kind === "plain" && (!numbered || content === null))) {
      close();
      content = hasContent(inline) ? [block] : [];
    } else if (role.kind === "item") {
      content ??= [];
      if (hasContent(inline)) lists.add(content, role.ordered, role.level, block);
    } else if (content && hasContent(inline)) {
      lists.reset();
      content.push(block);
    }
  });
  close();
  return clauses;
}

/** The first paragraph that starts a clause by its number, or -1 (in a document without headings, what comes before it is the preamble). */
export function firstNumberedClause(paragraphs: readonly SettledParagraph[]): number {
  return rolesOf(paragraphs).findIndex((role) => role.kind === "clause");
}

type Lead = { kind: "auto"; level: number; bullet: boolean } | { kind: "typed"; depth: number; length: number } | { kind: "marker"; bullet: boolean; length: number };

function rolesOf(paragraphs: readonly SettledParagraph[]): Role[] {
  const leads = paragraphs.map(leadOf);
  // Reduced rather than spread into Math.min: a section may hold more paragraphs than a call takes arguments.
  const autoLevel = leads.reduce((least, lead) => (lead?.kind === "auto" && !lead.bullet ? Math.min(least, lead.level) : least), Infinity);
  const typedDepth = leads.reduce((least, lead) => (lead?.kind === "typed" ? Math.min(least, lead.depth) : least), Infinity);
  return leads.map((lead, index): Role => {
    const indent = paragraphs[index]?.indent ?? 0;
    if (!lead) return { kind: "plain", strip: 0 };
    if (lead.kind === "auto") return !lead.bullet && lead.level === autoLevel ? { kind: "clause", strip: 0 } : { kind: "item", ordered: !lead.bullet, level: lead.level, strip: 0 };
    if (lead.kind === "typed") return lead.depth === typedDepth ? { kind: "clause", strip: lead.length } : { kind: "item", ordered: true, level: indent, strip: lead.length };
    return { kind: "item", ordered: !lead.bullet, level: indent, strip: lead.length };
  });
}

// A table's cells are plain text, whatever they start with.
function leadOf(paragraph: SettledParagraph): Lead | null {
  if (paragraph.inTable) return null;
  if (paragraph.list) return { kind: "auto", ...paragraph.list };
  const typed = typedLead(plainText(paragraph.pieces));
  if (!typed) return null;
  return typed.kind === "number" ? { kind: "typed", depth: typed.depth, length: typed.length } : { kind: "marker", bullet: typed.bullet, length: typed.length };
}

/** Builds a clause's lists item by item: a deeper item opens a list in the item before it. */
class ListBuilder {
  private open: { list: DocJson[]; type: string; level: number }[] = [];

  reset(): void {
    this.open = [];
  }

  add(clause: DocJson[], ordered: boolean, level: number, paragraph: DocJson): void {
    const type = ordered ? "ordered_list" : "bullet_list";
    const item: DocJson = { type: "list_item", content: [paragraph] };
    while (this.open.length > 1 && (this.open.at(-1)?.level ?? 0) > level) this.open.pop();
    const top = this.open.at(-1);
    if (top && level > top.level) return this.start(lastItemContent(top.list), type, level, item);
    if (top && top.type === type) {
      top.list.push(item);
      return;
    }
    // A list of the other kind at the same level follows the one before it.
    this.open.pop();
    const parent = this.open.at(-1);
    this.start(parent ? lastItemContent(parent.list) : clause, type, top?.level ?? level, item);
  }

  private start(container: DocJson[], type: string, level: number, item: DocJson): void {
    const list: DocJson[] = [item];
    container.push({ type, content: list });
    this.open.push({ list, type, level });
  }
}

function lastItemContent(list: DocJson[]): DocJson[] {
  const item = list.at(-1);
  if (!item) return list;
  item.content ??= [];
  return item.content;
}
