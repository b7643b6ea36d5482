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
      // `trim` removes exactly what `\s` matches; a regular expression here was quadratic on long runs of white space.
      const core = inline.text.trim();
      if (!core) return inline.text;
      const before = inline.text.slice(0, inline.text.length - inline.text.trimStart().length);
      const after = inline.text.slice(before.length + core.length);
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
  return escapeLineMarkers(text.replace(/[\\`*_[\]<>|]/g, (char) => `\\${char}`));
}

const WHITE_SPACE = /\s/;
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const MARKER = /[#+-]|\d+[.)]/y;

/**
 * Escapes a heading or list marker (`#`, `-`, `+`, `1.`, `1)`) that is the first thing on a line
 * and is followed by white space or the end: `- item` becomes `\- item`. One pass over the text:
 * the regular expression it replaces (`/^(\s*)([#+-]|\d+[.)])(?=\s|$)/gm`) scanned a run of white
 * space again from each line start in it, quadratic on long runs of blank lines.
 */
function escapeLineMarkers(text: string): string {
  let out = "";
  let copied = 0;
  // True while only white space was seen since the text's start or a line break.
  let lineStart = true;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (WHITE_SPACE.test(char)) {
      if (LINE_TERMINATOR.test(char)) lineStart = true;
      continue;
    }
    if (!lineStart) continue;
    lineStart = false;
    MARKER.lastIndex = index;
    const marker = MARKER.exec(text)?.[0];
    if (marker === undefined) continue;
    const end = index + marker.length;
    if (end < text.length && !WHITE_SPACE.test(text.charAt(end))) continue;
    // The backslash goes before the marker's last character: `\#`, `\-`, `12\.`.
    out += `${text.slice(copied, end - 1)}\\`;
    copied = end - 1;
    index = end - 1;
  }
  return out + text.slice(copied);
}
