import type { Mark, Node as PMNode } from "prosemirror-model";
import { t } from "../../i18n/translate";
import type { DocJson } from "../../schema/content";
import { showBrackets } from "../../schema/brackets";
import { normalizeDocument } from "../../schema/normalize";
import { clauseNumbers, isSafeHref, schema } from "../../schema/prosemirror";

/** The anchor of a clause in rendered text: stable through renumbering, since it is the clause id. */
export function clauseAnchor(clauseId: string): string {
  return `clause-${clauseId}`;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Renders a document of the code of conduct schema to semantic HTML: the title as `h1`, sections
 * with numbered `h2` headings, each clause with its number and an anchor `id="clause-<clause id>"`,
 * lists, safe links only (others are kept as their text), and footnotes gathered at the end.
 * Every piece of text is escaped. JSON is read through the normalising conversion, so stored content
 * outside the schema still renders.
 */
export function renderDocumentHtml(content: DocJson | PMNode): string {
  const stored = "type" in content && typeof content.type === "string" ? normalizeDocument(content) : (content as PMNode);
  // What is not agreed shows in square brackets (schema/brackets.ts).
  const doc = showBrackets(stored, "bracketed");
  const renderer = new Renderer(clauseNumbers(doc));
  return renderer.document(doc);
}

class Renderer {
  private readonly notes: string[] = [];

  constructor(private readonly numbers: Map<string, string>) {}

  document(doc: PMNode): string {
    const parts: string[] = [];
    let section = 0;
    doc.forEach((child) => {
      if (child.type === schema.nodes.title) parts.push(`<h1 class="doc-title">${this.inline(child)}</h1>`);
      else if (child.type === schema.nodes.preamble) parts.push(`<div class="preamble">${this.blocks(child)}</div>`);
      else if (child.type === schema.nodes.section) parts.push(this.section(child, (section += 1)));
    });
    if (this.notes.length > 0) {
      const items = this.notes
        .map((note, index) => `<li id="note-${index + 1}">${escapeHtml(note)} <a href="#note-ref-${index + 1}" class="note-back" aria-label="${escapeHtml(t("render.backToText"))}">↩</a></li>`)
        .join("");
      parts.push(`<section class="notes" aria-labelledby="notes-heading"><h2 id="notes-heading">${escapeHtml(t("render.notes"))}</h2><ol>${items}</ol></section>`);
    }
    return `<article class="document">${parts.join("")}</article>`;
  }

  private section(node: PMNode, number: number): string {
    const parts: string[] = [];
    node.forEach((child) => {
      if (child.type === schema.nodes.section_heading) {
        parts.push(`<h2 class="section-heading"><span class="section-number">${number}.</span> ${this.inline(child)}</h2>`);
      } else if (child.type === schema.nodes.clause) {
        parts.push(this.clause(child));
      }
    });
    return `<section class="section">${parts.join("")}</section>`;
  }

  private clause(node: PMNode): string {
    const id = typeof node.attrs.id === "string" ? node.attrs.id : null;
    const number = id ? (this.numbers.get(id) ?? "") : "";
    const anchor = id ? ` id="${escapeHtml(clauseAnchor(id))}"` : "";
    const label = number ? `<span class="clause-number">${escapeHtml(number)}</span>` : "";
    return `<div class="clause"${anchor}>${label}${this.blocks(node)}</div>`;
  }

  private blocks(node: PMNode): string {
    const parts: string[] = [];
    node.forEach((child) => parts.push(this.block(child)));
    return parts.join("");
  }

  private block(node: PMNode): string {
    switch (node.type) {
      case schema.nodes.paragraph:
        return `<p>${this.inline(node)}</p>`;
      case schema.nodes.bullet_list:
        return `<ul>${this.blocks(node)}</ul>`;
      case schema.nodes.ordered_list:
        return `<ol>${this.blocks(node)}</ol>`;
      case schema.nodes.list_item:
        return `<li>${this.blocks(node)}</li>`;
      default:
        return this.blocks(node);
    }
  }

  // Marks are opened and closed around each text run in the schema's mark order, which nests them
  // the same way every time.
  private inline(node: PMNode): string {
    const parts: string[] = [];
    node.forEach((child) => {
      if (child.isText) parts.push(wrapMarks(escapeHtml(child.text ?? ""), child.marks));
      else if (child.type === schema.nodes.hard_break) parts.push("<br>");
      else if (child.type === schema.nodes.footnote) parts.push(wrapMarks(this.footnote(String(child.attrs.note ?? "")), child.marks));
    });
    return parts.join("");
  }

  private footnote(note: string): string {
    this.notes.push(note);
    const n = this.notes.length;
    return `<sup class="note-ref"><a href="#note-${n}" id="note-ref-${n}">${n}</a></sup>`;
  }
}

function wrapMarks(html: string, marks: readonly Mark[]): string {
  let result = html;
  for (const mark of [...marks].reverse()) {
    if (mark.type === schema.marks.bracket) result = `<span class="bracket" data-supporters="${escapeHtml(String(mark.attrs.supporters ?? ""))}">${result}</span>`;
    else if (mark.type === schema.marks.em) result = `<em>${result}</em>`;
    else if (mark.type === schema.marks.strong) result = `<strong>${result}</strong>`;
    else if (mark.type === schema.marks.link) result = link(result, mark);
  }
  return result;
}

function link(html: string, mark: Mark): string {
  const href = typeof mark.attrs.href === "string" ? mark.attrs.href.trim() : "";
  if (!isSafeHref(href)) return html;
  const title = typeof mark.attrs.title === "string" && mark.attrs.title ? ` title="${escapeHtml(mark.attrs.title)}"` : "";
  return `<a href="${escapeHtml(href)}"${title} rel="noopener noreferrer">${html}</a>`;
}
