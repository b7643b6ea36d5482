import { createHash } from "node:crypto";
import type { Node as PMNode } from "prosemirror-model";
import type { DocJson } from "../../schema/content";
import { normalizeDocument } from "../../schema/normalize";

/**
 * The canonical ProseMirror JSON of a document: what ProseMirror itself serialises for the
 * document once read through the schema (so only the schema's nodes, marks and attributes, and
 * marks in the schema's order), with attributes that are null left out and every object's keys in
 * sorted order. Two documents with the same text, structure, marks and clause ids have the same
 * canonical JSON, whichever database or process produced them. JSON is read through the
 * normalising conversion: a version stored before the schema was enforced still has a canonical form.
 */
export function canonicalJson(content: DocJson | PMNode): DocJson {
  const node = isNode(content) ? content : normalizeDocument(content);
  return canonicalValue(node.toJSON()) as DocJson;
}

/** The canonical text of a document: its canonical JSON serialised with no whitespace, as UTF-8 is hashed. */
export function canonicalText(content: DocJson | PMNode): string {
  return JSON.stringify(canonicalJson(content));
}

/** The SHA-256 (lower-case hex) of the UTF-8 bytes of the document's canonical text. */
export function contentHash(content: DocJson | PMNode): string {
  return createHash("sha256").update(canonicalText(content), "utf8").digest("hex");
}

function isNode(content: DocJson | PMNode): content is PMNode {
  return typeof (content as { type: unknown }).type !== "string";
}

function canonicalValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== null && item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, item]) => [key, canonicalValue(item)] as const)
    // An attributes object left empty says nothing.
    .filter(([key, item]) => !(key === "attrs" && isEmptyObject(item)));
  return Object.fromEntries(entries);
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
