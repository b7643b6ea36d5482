import { Schema, type Node as PMNode, type NodeSpec, type MarkSpec } from "prosemirror-model";

/**
 * The document schema of a code of conduct, shared by the browser editor and the server:
 * a title, a preamble, and sections of numbered clauses. Clause and section numbers are computed
 * from their order (never typed); each clause keeps a stable `id` through edits, splits and moves.
 */
const nodes = {
  doc: { content: "title preamble section+" },
  title: {
    content: "text*",
    marks: "",
    defining: true,
    parseDOM: [{ tag: "h1.doc-title" }],
    toDOM: () => ["h1", { class: "doc-title" }, 0],
  },
  preamble: {
    content: "paragraph+",
    defining: true,
    parseDOM: [{ tag: "div.preamble" }, { tag: "section.preamble" }],
    toDOM: () => ["div", { class: "preamble" }, 0],
  },
  section: {
    content: "section_heading clause*",
    defining: true,
    parseDOM: [{ tag: "section.section" }],
    toDOM: () => ["section", { class: "section" }, 0],
  },
  section_heading: {
    content: "text*",
    marks: "em",
    defining: true,
    parseDOM: [{ tag: "h2" }, { tag: "h3" }, { tag: "h4" }],
    toDOM: () => ["h2", { class: "section-heading" }, 0],
  },
  clause: {
    attrs: { id: { default: null } },
    content: "(paragraph | bullet_list | ordered_list)+",
    defining: true,
    parseDOM: [
      {
        tag: "div.clause",
        getAttrs: (dom) => ({ id: (dom as HTMLElement).getAttribute("data-clause-id") }),
      },
    ],
    toDOM: (node) => ["div", { class: "clause", "data-clause-id": node.attrs.id as string | null }, 0],
  },
  paragraph: {
    content: "inline*",
    group: "block",
    parseDOM: [{ tag: "p" }],
    toDOM: () => ["p", 0],
  },
  bullet_list: {
    content: "list_item+",
    group: "block",
    parseDOM: [{ tag: "ul" }],
    toDOM: () => ["ul", 0],
  },
  ordered_list: {
    content: "list_item+",
    group: "block",
    parseDOM: [{ tag: "ol" }],
    toDOM: () => ["ol", 0],
  },
  list_item: {
    content: "paragraph (bullet_list | ordered_list)*",
    defining: true,
    parseDOM: [{ tag: "li" }],
    toDOM: () => ["li", 0],
  },
  footnote: {
    group: "inline",
    inline: true,
    atom: true,
    attrs: { note: { default: "" } },
    parseDOM: [
      {
        tag: "sup.footnote",
        getAttrs: (dom) => ({ note: (dom as HTMLElement).getAttribute("data-note") ?? "" }),
      },
    ],
    toDOM: (node) => [
      "sup",
      { class: "footnote", "data-note": node.attrs.note as string, title: node.attrs.note as string },
      "*",
    ],
  },
  hard_break: {
    group: "inline",
    inline: true,
    selectable: false,
    parseDOM: [{ tag: "br" }],
    toDOM: () => ["br"],
  },
  text: { group: "inline" },
} satisfies Record<string, NodeSpec>;

const marks = {
  // A passage not yet agreed, as one alternative of a square bracket: [option A / option B]. The
  // options of one bracket share its id and follow each other in one paragraph, in `option` order;
  // `supporters` lists the delegations behind each (codes, comma-separated). See schema/brackets.ts.
  bracket: {
    attrs: { id: { default: "", validate: "string" }, option: { default: 0, validate: "number" }, supporters: { default: "", validate: "string" } },
    inclusive: false,
    parseDOM: [
      {
        tag: "span.bracket[data-bracket]",
        getAttrs: (dom) => ({
          id: (dom as HTMLElement).getAttribute("data-bracket") ?? "",
          option: Number((dom as HTMLElement).getAttribute("data-option")) || 0,
          supporters: (dom as HTMLElement).getAttribute("data-supporters") ?? "",
        }),
      },
    ],
    toDOM: (mark) => [
      "span",
      { class: "bracket", "data-bracket": mark.attrs.id as string, "data-option": String(mark.attrs.option as number), "data-supporters": mark.attrs.supporters as string },
      0,
    ],
  },
  link: {
    attrs: { href: {}, title: { default: null } },
    inclusive: false,
    parseDOM: [
      {
        tag: "a[href]",
        getAttrs: (dom) => {
          const href = (dom as HTMLElement).getAttribute("href") ?? "";
          return isSafeHref(href) ? { href, title: (dom as HTMLElement).getAttribute("title") } : false;
        },
      },
    ],
    toDOM: (mark) => ["a", { href: mark.attrs.href as string, title: mark.attrs.title as string | null, rel: "noopener noreferrer" }, 0],
  },
  em: {
    parseDOM: [{ tag: "i" }, { tag: "em" }, { style: "font-style=italic" }],
    toDOM: () => ["em", 0],
  },
  strong: {
    parseDOM: [
      { tag: "strong" },
      // Google Docs wraps everything in <b style="font-weight:normal">.
      { tag: "b", getAttrs: (dom) => (dom as HTMLElement).style.fontWeight !== "normal" && null },
      { style: "font-weight", getAttrs: (value) => /^(bold(er)?|[5-9]\d{2,})$/.test(value as string) && null },
    ],
    toDOM: () => ["strong", 0],
  },
} satisfies Record<string, MarkSpec>;

/** The code of conduct schema. */
export const schema = new Schema<keyof typeof nodes, keyof typeof marks>({ nodes, marks });

/** The name of the Yjs XmlFragment that holds the text. */
export const YJS_FRAGMENT = "prosemirror";

/** Whether a link target is safe to keep: web and mail addresses, and in-document anchors. */
export function isSafeHref(href: string): boolean {
  return /^(https?:|mailto:|#)/i.test(href.trim());
}

/** A new clause id: short, random, and stable once given. */
export function newClauseId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `c${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** The number shown for each clause ("2.3" = third clause of the second section), by clause id. */
export function clauseNumbers(doc: PMNode): Map<string, string> {
  const numbers = new Map<string, string>();
  let section = 0;
  doc.forEach((child) => {
    if (child.type !== schema.nodes.section) return;
    section += 1;
    let clause = 0;
    child.forEach((node) => {
      if (node.type !== schema.nodes.clause) return;
      clause += 1;
      if (typeof node.attrs.id === "string") numbers.set(node.attrs.id, `${section}.${clause}`);
    });
  });
  return numbers;
}
