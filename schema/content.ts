import type { Node as PMNode } from "prosemirror-model";
import { newClauseId, schema } from "./prosemirror";

/** ProseMirror JSON, as stored and exchanged. */
export interface DocJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: DocJson[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

/** A paragraph of plain text. */
export function paragraph(text: string): DocJson {
  return text ? { type: "paragraph", content: [{ type: "text", text }] } : { type: "paragraph" };
}

/** A clause of paragraphs, with a fresh id. */
export function clause(...paragraphs: (string | DocJson)[]): DocJson {
  return {
    type: "clause",
    attrs: { id: newClauseId() },
    content: paragraphs.map((item) => (typeof item === "string" ? paragraph(item) : item)),
  };
}

/** A section: a heading and its clauses. */
export function section(heading: string, ...clauses: DocJson[]): DocJson {
  return {
    type: "section",
    content: [heading ? { type: "section_heading", content: [{ type: "text", text: heading }] } : { type: "section_heading" }, ...clauses],
  };
}

/** A whole document. */
export function documentJson(title: string, preamble: string[], sections: DocJson[]): DocJson {
  return {
    type: "doc",
    content: [
      { type: "title", content: title ? [{ type: "text", text: title }] : [] },
      { type: "preamble", content: (preamble.length ? preamble : [""]).map(paragraph) },
      ...sections,
    ],
  };
}

/** The text a new draft starts with: its title, an empty preamble and one empty clause. */
export function newDraftJson(title: string): DocJson {
  return documentJson(title, [""], [section("", clause(""))]);
}

/** Parses JSON into a document of the schema; throws when it does not fit the schema. */
export function parseDocument(json: DocJson): PMNode {
  const node = schema.nodeFromJSON(json);
  node.check();
  return node;
}
