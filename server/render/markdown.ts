import { type Block, type ExportDocument, type Inline } from "./export-document";
import { hashLine, versionLine } from "./labels";

/**
 * A published version as Markdown (CommonMark with footnotes): the title, the version line and
 * hash, the preamble, numbered section headings and clauses whose numbers lead in bold.
 */
export function renderMarkdown(document: ExportDocument): string {
  const out: string[] = [];
  out.push(`# ${escapeText(document.meta.publicTitle || document.title)}`);
  out.push(`*${escapeText(versionLine(document.meta))}*  \n${escapeText(hashLine(document.meta))}`);
  if (document.meta.url) out.push(`<${document.meta.url}>`);
  for (const block of document.preamble) out.push(renderBlock(block, 0));
  for (const section of document.sections) {
    out.push(`## ${section.number}. ${renderInlines(section.heading)}`.trimEnd());
    for (const clause of section.clauses) {
      const [first, ...rest] = clause.blocks;
      const lead = `**${clause.number}**`;
      if (first?.kind === "paragraph") out.push(`${lead} ${renderInlines(first.inlines)}`.trimEnd());
      else {
        out.push(lead);
        if (first) out.push(renderBlock(first, 0));
      }
      for (const block of rest) out.push(renderBlock(block, 0));
    }
  }
  if (document.footnotes.length) {
    out.push(document.footnotes.map((note) => `[^${note.number}]: ${escapeText(note.text)}`).join("\n"));
  }
  return `${out.join("\n\n")}\n`;
}

function renderBlock(block: Block, depth: number): string {
  if (block.kind === "paragraph") return renderInlines(block.inlines);
  const indent = "   ".repeat(depth);
  return block.items
    .map((item, index) => {
      const marker = block.ordered ? `${index + 1}.` : "-";
      const nested = item.lists.map((list) => `\n${renderBlock(list, depth + 1)}`).join("");
      return `${indent}${marker} ${renderInlines(item.inlines)}${nested}`;
    })
    .join("\n");
}

function renderInlines(inlines: readonly Inline[]): string {
  return inlines
    .map((inline) => {
      if (inline.kind === "footnote") return `[^${inline.number}]`;
      if (inline.kind === "break") return "\\\n";
      // Emphasis markers must touch the words they wrap, so surrounding spaces stay outside them.
      const [, before = "", core = "", after = ""] = /^(\s*)(.*?)(\s*)$/s.exec(inline.text) ?? [];
      if (!core) return inline.text;
      let text = escapeText(core);
      if (inline.href) text = `[${text}](${inline.href.replace(/[()\s]/g, encodeURIComponent)})`;
      if (inline.strong) text = `**${text}**`;
      if (inline.em) text = `*${text}*`;
      return `${before}${text}${after}`;
    })
    .join("");
}

/** Escapes what Markdown would read as syntax, so the words come out as written. */
export function escapeText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|]/g, (char) => `\\${char}`)
    .replace(/^(\s*)([#+-]|\d+[.)])(?=\s|$)/gm, (_match, space: string, marker: string) => `${space}${marker.replace(/([#+\-.)])$/, "\\$1")}`);
}
