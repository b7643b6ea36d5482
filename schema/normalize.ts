import { Mark, Node as PMNode, type Attrs, type MarkType, type NodeType } from "prosemirror-model";
import { fitDocument, type Raw } from "./normalize-fit";
import { bracketAttrsValid } from "./brackets";
import { isSafeHref, schema } from "./prosemirror";

/**
 * How deep a stored tree is read as structure. The schema itself has no bound (lists nest in list
 * items), but no real text comes near this: a title, preamble or section, a clause, and some
 * fifteen levels of nested lists. Anything deeper is flattened into its text, so that a hostile
 * tree a million levels deep costs no more stack than this.
 */
export const MAX_DEPTH = 40;

/**
 * Reads ProseMirror JSON of any shape into a document of the schema that passes `check()`. It never
 * throws, gives the same document for the same input in every process, returns a valid document
 * unchanged (`normalizeDocument(doc.toJSON()).eq(doc)`), and is idempotent. Content outside the
 * schema is kept where it can be placed and dropped only where it cannot:
 * - an unknown node gives up its content (or its text) to where that fits;
 * - unknown marks, marks the parent does not allow, and links without a safe `href` are dropped;
 * - attributes are the schema's own: unknown ones dropped, a value of the wrong type replaced by
 *   the default;
 * - a child that does not fit its parent is wrapped (a paragraph under a section becomes a clause),
 *   turned into a paragraph (a second title), or its own children placed instead (a clause in the
 *   preamble), and required content that is missing is filled in empty (a section's heading).
 */
export function normalizeDocument(json: unknown): PMNode {
  try {
    const ids = new Set<string>();
    // A document already built is read through its JSON like any other.
    const node = fitDocument(readRaw(json instanceof PMNode ? json.toJSON() : json, 0, ids), ids);
    node.check();
    return node;
  } catch {
    // Not reached for any input we know of; if it ever is, a reader still gets a document.
    return emptyDocument();
  }
}

/** The smallest valid document: an empty title, preamble paragraph and section heading. */
export function emptyDocument(): PMNode {
  return schema.topNodeType.createAndFill() ?? schema.topNodeType.create();
}

// Reads one JSON value into a loose tree: known node types with clean attributes, inline leaves
// (text, footnotes, breaks) already built with clean marks, and unknown nodes (type null) that only
// carry their children. Clause ids met on the way are collected, so that new ones never repeat them.
function readRaw(value: unknown, depth: number, ids: Set<string>): Raw | null {
  // A bare string where a node belongs is still words.
  if (typeof value === "string") return value ? schema.text(value) : null;
  if (!isRecord(value)) return null;
  if (depth >= MAX_DEPTH) {
    const text = flattenText(value);
    return text ? schema.text(text) : null;
  }
  const type = nodeType(value.type);
  const marks = readMarks(value.marks);
  if (type === schema.nodes.text) return typeof value.text === "string" && value.text ? schema.text(value.text, marks) : null;
  if (type?.isLeaf) return type.create(readAttrs(type, value.attrs), null, marks);
  const children: Raw[] = [];
  if (Array.isArray(value.content)) {
    for (const item of value.content) {
      const child = readRaw(item, depth + 1, ids);
      if (child) children.push(child);
    }
  }
  // An unknown node may carry text of its own, as a text node does.
  if (!type && typeof value.text === "string" && value.text) children.push(schema.text(value.text, marks));
  const attrs = type ? readAttrs(type, value.attrs) : {};
  if (type === schema.nodes.clause && typeof attrs.id === "string") ids.add(attrs.id);
  return { type, attrs, children };
}

function nodeType(name: unknown): NodeType | null {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(schema.nodes, name) ? (schema.nodes[name] ?? null) : null;
}

function markType(name: unknown): MarkType | null {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(schema.marks, name) ? (schema.marks[name] ?? null) : null;
}

/** A set of the schema's marks from JSON: unknown marks, and links without a safe target, left out. */
function readMarks(value: unknown): readonly Mark[] {
  if (!Array.isArray(value)) return Mark.none;
  let set: readonly Mark[] = Mark.none;
  for (const item of value) {
    if (!isRecord(item)) continue;
    const type = markType(item.type);
    if (!type) continue;
    const attrs = readAttrs(type, item.attrs);
    // A link must lead somewhere safe; without its target it is plain text.
    if (type === schema.marks.link && !(typeof attrs.href === "string" && isSafeHref(attrs.href))) continue;
    // A bracket needs its id and option; without them it is plain text.
    if (type === schema.marks.bracket && !bracketAttrsValid(attrs)) continue;
    // Adding to the set sorts it and lets a later mark of the same type replace an earlier one.
    set = type.create(attrs).addToSet(set);
  }
  return set;
}

/**
 * The schema's attributes of a node or mark type from JSON: each attribute the type defines, with
 * the given value when it is of the default's type (a string where the default is null), else the
 * default. A required attribute (a link's href) accepts a string; a missing one stays undefined.
 */
function readAttrs(type: NodeType | MarkType, value: unknown): Attrs {
  const given = isRecord(value) ? value : {};
  const attrs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(type.spec.attrs ?? {})) {
    const item = Object.prototype.hasOwnProperty.call(given, name) ? given[name] : undefined;
    const fallback: unknown = spec.default;
    const accepted = fallback === null || fallback === undefined ? item === null || typeof item === "string" : typeof item === typeof fallback;
    attrs[name] = item !== undefined && accepted ? item : fallback;
  }
  return attrs;
}

// The text of a subtree read without recursion: what is kept of content nested too deep.
function flattenText(root: Record<string, unknown>): string {
  const parts: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      parts.push(value);
      continue;
    }
    if (!isRecord(value)) continue;
    if (typeof value.text === "string") parts.push(value.text);
    if (Array.isArray(value.content)) for (let index = value.content.length - 1; index >= 0; index -= 1) stack.push(value.content[index]);
  }
  return parts.join("");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof PMNode);
}
