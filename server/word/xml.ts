import { DOMParser } from "@xmldom/xmldom";
import { WordFileError } from "./word-file-error";

/**
 * A namespace as Word files spell it: OOXML has a transitional and a strict URI for each, and a
 * reader matches either.
 */
export type Namespace = readonly string[];

/** WordprocessingML: paragraphs, runs, styles, numbering. */
export const W: Namespace = ["http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"];
/** Relationship ids in a part (`r:id`). */
export const R: Namespace = ["http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships"];
/** A package's relationships (`_rels/*.rels`). */
export const REL: Namespace = ["http://schemas.openxmlformats.org/package/2006/relationships"];
/** Markup compatibility: `mc:AlternateContent`. */
export const MC: Namespace = ["http://schemas.openxmlformats.org/markup-compatibility/2006"];
/** Office math. */
export const M: Namespace = ["http://schemas.openxmlformats.org/officeDocument/2006/math", "http://purl.oclc.org/ooxml/officeDocument/math"];
/** Dublin Core, for the document's title in docProps/core.xml. */
export const DC: Namespace = ["http://purl.org/dc/elements/1.1/"];

const ELEMENT_NODE = 1;

/** The most elements one part may hold: a DOM takes some 600 bytes an element, and Word writes far fewer. */
export const MAX_ELEMENTS = 500_000;
/** The deepest elements may nest (Word's drawings in nested tables reach a few dozen). */
export const MAX_DEPTH = 256;

/**
 * Parses an XML part. The archive has already refused document type declarations (and so entity
 * definitions); anything the parser finds wrong, even what it would only warn about, makes the part
 * corrupt rather than guessed at. A part with more elements than MAX_ELEMENTS (which would take
 * gigabytes as a DOM) or nested deeper than MAX_DEPTH (which would exhaust the readers' stack) is
 * refused as too complex.
 */
export function parseXml(text: string, part: string): Element {
  if (countStartTags(text) > MAX_ELEMENTS) throw new WordFileError("tooComplex", { count: MAX_ELEMENTS }, part);
  const fail = (): never => {
    throw new WordFileError("corrupt", {}, part);
  };
  const document = new DOMParser({ errorHandler: { warning: fail, error: fail, fatalError: fail } }).parseFromString(text, "application/xml");
  // A text without any element parses to a document without a root, silently.
  const root: Element | null = document.documentElement;
  if (!root) throw new WordFileError("corrupt", {}, part);
  if (depthExceeds(root, MAX_DEPTH)) throw new WordFileError("tooComplex", { count: MAX_ELEMENTS }, part);
  return root;
}

function countStartTags(text: string): number {
  let count = 0;
  for (let at = text.indexOf("<"); at >= 0; at = text.indexOf("<", at + 1)) {
    const next = text.charCodeAt(at + 1);
    // A name starts with a letter, "_" or ":" (or any non-ASCII letter); "</", "<?", "<!" do not count.
    if (next > 0x7f || (next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a) || next === 0x5f || next === 0x3a) count += 1;
  }
  return count;
}

// Walked without recursion, so that a hostile depth cannot overflow the stack here either.
function depthExceeds(root: Element, limit: number): boolean {
  const stack: [Node, number][] = [[root, 1]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, depth] = entry;
    if (depth > limit) return true;
    for (let next = node.firstChild; next; next = next.nextSibling) if (next.nodeType === ELEMENT_NODE) stack.push([next, depth + 1]);
  }
  return false;
}

/** Whether `node` is an element named `name` in namespace `ns`. */
export function isNamed(node: Node | null, ns: Namespace, name: string): boolean {
  return node !== null && node.nodeType === ELEMENT_NODE && (node as Element).localName === name && ns.includes((node as Element).namespaceURI ?? "");
}

/** The child elements of `element`, in order. */
export function elements(element: Element): Element[] {
  const found: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) if (node.nodeType === ELEMENT_NODE) found.push(node as Element);
  return found;
}

/** The first child element named `name`, if any. */
export function child(element: Element | null, ns: Namespace, name: string): Element | null {
  if (!element) return null;
  for (let node = element.firstChild; node; node = node.nextSibling) if (isNamed(node, ns, name)) return node as Element;
  return null;
}

/** Every child element named `name`. */
export function children(element: Element | null, ns: Namespace, name: string): Element[] {
  return element ? elements(element).filter((node) => isNamed(node, ns, name)) : [];
}

/** Every element named `name` below `element`, in document order. */
export function descendants(element: Element, ns: Namespace, name: string): Element[] {
  const found: Element[] = [];
  const walk = (parent: Element) => {
    for (const node of elements(parent)) {
      if (isNamed(node, ns, name)) found.push(node);
      walk(node);
    }
  };
  walk(element);
  return found;
}

/** The attribute `name` in namespace `ns` (`w:val`), or null. */
export function attribute(element: Element | null, ns: Namespace, name: string): string | null {
  if (!element) return null;
  for (const uri of ns) {
    if (element.hasAttributeNS(uri, name)) return element.getAttributeNS(uri, name);
  }
  return null;
}

/** The `w:val` of the child `name` (`<w:pStyle w:val="Heading1"/>`), or null. */
export function childValue(element: Element | null, name: string): string | null {
  return attribute(child(element, W, name), W, "val");
}

/**
 * A Word on/off property (`<w:b/>`, `<w:b w:val="0"/>`): true, false, or null where the element is
 * absent and the value comes from elsewhere (a style).
 */
export function toggle(properties: Element | null, name: string): boolean | null {
  const element = child(properties, W, name);
  if (!element) return null;
  const value = attribute(element, W, "val");
  return value === null || !["0", "false", "off", "none"].includes(value.toLowerCase());
}
