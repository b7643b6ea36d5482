import type { LostKind, MarkerPiece, Revision } from "./word-document";
import { attribute, child, descendants, elements, isNamed, MC, W } from "./xml";

// What some of Word's elements mean to a reader that keeps text: tracked changes' authors,
// bookmarks and comments, alternate content, tables' wrappers, drawings.

/** The tracked change recorded on a paragraph mark's properties, if any, among the `names`. */
export function revisionOf(properties: Element | null, names: readonly string[]): Revision | null {
  for (const name of names) {
    const element = child(properties, W, name);
    if (element) return revision(element);
  }
  return null;
}

/** Who made the tracked change `element` (`w:ins`, `w:del`…), and when. */
export function revision(element: Element): Revision {
  return { author: attribute(element, W, "author") ?? "", date: attribute(element, W, "date") };
}

/** A bookmark's or comment's start, end or reference, as a piece of its paragraph. */
export function marker(node: Element): MarkerPiece {
  const id = attribute(node, W, "id") ?? "";
  switch (node.localName) {
    case "bookmarkStart":
      return { kind: "bookmarkStart", id, name: attribute(node, W, "name") ?? "" };
    case "bookmarkEnd":
      return { kind: "bookmarkEnd", id };
    case "commentRangeStart":
      return { kind: "commentStart", id };
    case "commentRangeEnd":
      return { kind: "commentEnd", id };
    default:
      return { kind: "commentReference", id };
  }
}

/** Of `mc:AlternateContent`, the fallback: the choices need extensions this reader does not know. */
export function alternative(node: Element): Element | null {
  return child(node, MC, "Fallback") ?? child(node, MC, "Choice");
}

/** Whether a content control (`w:sdt`) holds Word's table of contents. */
export function isTableOfContents(sdt: Element): boolean {
  const gallery = child(child(child(sdt, W, "sdtPr"), W, "docPartObj"), W, "docPartGallery");
  return attribute(gallery, W, "val") === "Table of Contents";
}

/** A table's rows or a row's cells (`name`), also where content controls or custom XML wrap them. */
export function wrapped(parent: Element, name: string): Element[] {
  return elements(parent).flatMap((node) => {
    if (isNamed(node, W, name)) return [node];
    if (isNamed(node, W, "sdt")) {
      const content = child(node, W, "sdtContent");
      return content ? wrapped(content, name) : [];
    }
    if (isNamed(node, W, "customXml")) return wrapped(node, name);
    return [];
  });
}

/** What a drawing, VML picture or embedded object holds that Accord cannot keep: a text box, an image, or something else. */
export function drawingKind(node: Element): LostKind {
  if (descendants(node, W, "txbxContent").length > 0) return "textBox";
  return hasDescendant(node, (element) => element.localName === "blip" || element.localName === "imagedata") ? "image" : "other";
}

function hasDescendant(node: Element, test: (element: Element) => boolean): boolean {
  return elements(node).some((element) => test(element) || hasDescendant(element, test));
}
