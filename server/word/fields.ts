import { isSafeHref } from "../../schema/prosemirror";
import type { Link, ReadingTally } from "./word-document";

/**
 * Word fields (`w:fldChar` begin, code, separate, result, end; or `w:fldSimple`): only their
 * result text is kept. A HYPERLINK field's result becomes linked text; a table of contents is left
 * out (Accord shows its own); any other field's result stays as plain text and is counted as lost.
 */
export interface Fields {
  /** A `w:fldChar` of type begin, separate or end. */
  character(type: string): void;
  /** Text of a field's code (`w:instrText`). */
  instruction(text: string): void;
  /** Whether text read now shows: not in a field's code, nor in a left-out result. */
  showing(): boolean;
  /** The link the fields around the text read now put on it, if any. */
  link(): Link | null;
  /** A simple field: whether its result shows, and the link it puts on it. */
  simple(instruction: string): { shows: boolean; link: Link | null };
}

interface OpenField {
  code: string;
  inResult: boolean;
  hidden: boolean;
  link: Link | null;
}

/** The fields of one part, read in order (a complex field may span paragraphs). */
export function fields(tally: ReadingTally): Fields {
  const open: OpenField[] = [];

  const settle = (field: OpenField) => {
    const kind = fieldKind(field.code);
    if (kind === "hyperlink") field.link = hyperlinkTarget(field.code);
    else tally.add("field");
    field.hidden = kind === "toc";
  };

  return {
    character(type) {
      if (type === "begin") open.push({ code: "", inResult: false, hidden: false, link: null });
      const field = open.at(-1);
      if (type === "separate" && field && !field.inResult) {
        field.inResult = true;
        settle(field);
      }
      if (type === "end") open.pop();
    },
    instruction(text) {
      const field = open.at(-1);
      if (field && !field.inResult) field.code += text;
    },
    showing: () => open.every((field) => field.inResult && !field.hidden),
    link() {
      for (let index = open.length - 1; index >= 0; index -= 1) {
        const link = open[index]?.link;
        if (link) return link;
      }
      return null;
    },
    simple(instruction) {
      const field: OpenField = { code: instruction, inResult: true, hidden: false, link: null };
      settle(field);
      return { shows: !field.hidden, link: field.link };
    },
  };
}

function fieldKind(code: string): "hyperlink" | "toc" | "other" {
  const name = /^\s*(\w+)/.exec(code)?.[1]?.toUpperCase();
  if (name === "HYPERLINK") return "hyperlink";
  return name === "TOC" ? "toc" : "other";
}

// HYPERLINK "https://…" \o "tooltip"; with \l it points at a bookmark of the document instead,
// which means nothing in Accord.
function hyperlinkTarget(code: string): Link | null {
  const rest = code.replace(/^\s*HYPERLINK\s*/i, "");
  if (/\\l\b/.test(rest)) return null;
  const href = /^"([^"]*)"/.exec(rest)?.[1] ?? /^(\S+)/.exec(rest)?.[1] ?? "";
  if (!isSafeHref(href)) return null;
  return { href, title: /\\o\s+"([^"]*)"/.exec(rest)?.[1] ?? null };
}
