import type { Node as PMNode } from "prosemirror-model";
import * as Y from "yjs";
import { emptyDocument, MAX_DEPTH, normalizeDocument } from "./normalize";
import { reconcile } from "./normalize-yjs-rewrite";
import { YJS_FRAGMENT } from "./prosemirror";

/** Which ProseMirror node each Yjs element of a text stands for: what relative positions resolve through. */
export type TextMapping = Map<Y.AbstractType<unknown>, PMNode | PMNode[]>;

/**
 * The text of a Yjs document, read through `normalizeDocument`: the same document every reader
 * shows. Reading never changes the Yjs document (y-prosemirror's `initProseMirrorDoc` deletes the
 * elements it cannot build), whatever the document holds.
 */
export function readDocText(doc: Y.Doc): PMNode {
  const fragment = textFragment(doc);
  return fragment ? readFragmentText(fragment) : emptyDocument();
}

/** The text of a `prosemirror` XmlFragment, read through `normalizeDocument`. */
export function readFragmentText(fragment: Y.XmlFragment): PMNode {
  return normalizeDocument({ type: "doc", content: childrenJson(fragment, 1) });
}

/** The document's `prosemirror` fragment; null when the name was taken by another kind of type. */
export function textFragment(doc: Y.Doc): Y.XmlFragment | null {
  try {
    return doc.getXmlFragment(YJS_FRAGMENT);
  } catch {
    return null;
  }
}

// The fragment as ProseMirror JSON, in the shape y-prosemirror's `yXmlFragmentToProsemirrorJSON`
// gives, but tolerant: that one throws on anything but XML elements and text (a hook, an embedded
// value) and recurses without bound. Content nested deeper than the normaliser reads is flattened
// into its text here already.
function childrenJson(parent: Y.XmlFragment, depth: number): unknown[] {
  const out: unknown[] = [];
  for (const child of parent.toArray() as unknown[]) {
    if (child instanceof Y.XmlElement) out.push(depth >= MAX_DEPTH ? { type: "text", text: flattenText(child) } : elementJson(child, depth));
    else if (child instanceof Y.Text) out.push(...textJson(child));
    // A string put straight into the fragment is still words; a hook or an embedded value holds none.
    else if (typeof child === "string") out.push({ type: "text", text: child });
  }
  return out;
}

function elementJson(element: Y.XmlElement, depth: number): unknown {
  return { type: element.nodeName, attrs: element.getAttributes(), content: childrenJson(element, depth + 1) };
}

function textJson(text: Y.Text): unknown[] {
  return deltaOf(text).map((op) => ({
    type: "text",
    // An embed (an object or a Yjs type inserted into the text) is no text: the normaliser drops it.
    text: op.insert,
    marks: Object.entries(op.attributes ?? {}).map(([name, attrs]) => ({ type: markName(name), attrs })),
  }));
}

interface DeltaOp {
  insert: unknown;
  attributes?: Record<string, unknown>;
}

function deltaOf(text: Y.Text): DeltaOp[] {
  return text.toDelta() as DeltaOp[];
}

// y-prosemirror stores a mark that may overlap itself under its name and a hash ("link--a1b2c3d4").
function markName(attribute: string): string {
  return /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(attribute)?.[1] ?? attribute;
}

// The text under an element, read without recursion.
function flattenText(root: Y.XmlElement): string {
  const parts: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Y.Text) parts.push(deltaOf(item).map((op) => (typeof op.insert === "string" ? op.insert : "")).join(""));
    else if (item instanceof Y.XmlFragment) stack.push(...(item.toArray() as unknown[]).reverse());
    else if (typeof item === "string") parts.push(item);
  }
  return parts.join("");
}

/**
 * Which node of `node` each element of `fragment` stands for, when the fragment says exactly
 * `node` (the same elements, attributes, text and marks; text may be split across Yjs texts);
 * null when it does not, which is when the stored text is outside the schema and needs a repair.
 */
export function fragmentMapping(fragment: Y.XmlFragment, node: PMNode): TextMapping | null {
  const mapping: TextMapping = new Map();
  return mapChildren(fragment, node, mapping) ? mapping : null;
}

function mapChildren(parent: Y.XmlFragment, node: PMNode, mapping: TextMapping): boolean {
  let index = 0;
  let offset = 0;
  for (const child of parent.toArray() as unknown[]) {
    if (child instanceof Y.XmlText) {
      for (const op of deltaOf(child)) {
        const key = yMarksKey(op.attributes);
        if (typeof op.insert !== "string" || key === null) return false;
        let at = 0;
        while (at < op.insert.length) {
          const current = index < node.childCount ? node.child(index) : null;
          const text = current?.isText ? (current.text ?? "") : null;
          if (!current || text === null || marksKey(current) !== key) return false;
          const take = Math.min(text.length - offset, op.insert.length - at);
          if (text.slice(offset, offset + take) !== op.insert.slice(at, at + take)) return false;
          at += take;
          offset += take;
          if (offset === text.length) [index, offset] = [index + 1, 0];
        }
      }
    } else if (child instanceof Y.XmlElement) {
      const current = offset === 0 && index < node.childCount ? node.child(index) : null;
      if (!current || current.isText || current.type.name !== child.nodeName || !sameAttrs(child.getAttributes(), current.attrs)) return false;
      // Yjs types are invariant in their event type; the mapping only keys on identity.
      mapping.set(child as Y.AbstractType<unknown>, current);
      if (!mapChildren(child, current, mapping)) return false;
      index += 1;
    } else {
      return false;
    }
  }
  return index === node.childCount && offset === 0;
}

// Attributes set to null say nothing, in Yjs as in ProseMirror.
function sameAttrs(yattrs: Record<string, unknown>, attrs: Record<string, unknown>): boolean {
  const given = Object.entries(yattrs).filter(([, value]) => value !== null);
  const wanted = Object.entries(attrs).filter(([, value]) => value !== null);
  return given.length === wanted.length && given.every(([name, value]) => attrs[name] === value);
}

function marksKey(node: PMNode): string {
  return node.marks
    .map((mark) => markKey(mark.type.name, mark.attrs))
    .sort()
    .join(" ");
}

function yMarksKey(attributes: Record<string, unknown> | undefined): string | null {
  const keys: string[] = [];
  for (const [name, attrs] of Object.entries(attributes ?? {})) {
    if (typeof attrs !== "object" || attrs === null || Array.isArray(attrs)) return null;
    keys.push(markKey(markName(name), attrs as Record<string, unknown>));
  }
  return keys.sort().join(" ");
}

function markKey(name: string, attrs: Record<string, unknown>): string {
  const set = Object.entries(attrs)
    .filter(([, value]) => value !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${name}${JSON.stringify(set)}`;
}

/**
 * Makes `fragment` say `node` (its normalised text) in one transaction of `doc`, rewriting only what
 * differs (see `reconcile`), so that cursors and anchors elsewhere in the text keep their place;
 * should that ever fall short, the whole text is written anew. Returns the mapping of the fragment
 * to `node` afterwards.
 */
export function rewriteFragment(doc: Y.Doc, fragment: Y.XmlFragment, node: PMNode): TextMapping {
  const result: { mapping: TextMapping | null } = { mapping: null };
  doc.transact(() => {
    try {
      reconcile(fragment, node);
      result.mapping = fragmentMapping(fragment, node);
    } catch {
      result.mapping = null;
    }
    if (result.mapping) return;
    fragment.delete(0, fragment.length);
    reconcile(fragment, node);
    result.mapping = fragmentMapping(fragment, node);
  });
  if (!result.mapping) throw new Error("The text could not be rewritten into the schema.");
  return result.mapping;
}
