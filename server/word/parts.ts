import { children, parseXml, REL } from "./xml";

/** What reading relationships needs of an archive: the text of an XML part, by name. */
export interface PartSource {
  text(name: string): string | null;
}

/** A relationship of a part: a link to another part of the package, or to an address outside it. */
export interface Relationship {
  id: string;
  /** The relationship type's URI, e.g. `…/relationships/styles`. */
  type: string;
  /** A part name of the package (resolved against the source part), or the external address as written. */
  target: string;
  external: boolean;
}

/** The package's own relationships, which lead to the main document and the core properties. */
export const PACKAGE = "";

/** The relationships of `part` (or of the package, `PACKAGE`), from its `_rels/*.rels` part; none if it has none. */
export function relationships(archive: PartSource, part: string): Relationship[] {
  const name = relationshipsPartName(part);
  const text = archive.text(name);
  if (text === null) return [];
  return children(parseXml(text, name), REL, "Relationship").flatMap((element) => {
    const id = element.getAttribute("Id");
    const type = element.getAttribute("Type");
    const target = element.getAttribute("Target");
    if (!id || !type || target === null) return [];
    const external = element.getAttribute("TargetMode") === "External";
    return [{ id, type, target: external ? target : resolvePartName(part, target), external }];
  });
}

/**
 * The part that `part` relates to with a relationship type ending in `/kind` (`styles`,
 * `numbering`, `footnotes`, `officeDocument`…), or null.
 */
export function relatedPart(archive: PartSource, part: string, kind: string): string | null {
  const found = relationships(archive, part).find((relationship) => !relationship.external && relationship.type.endsWith(`/${kind}`));
  return found ? found.target : null;
}

/** `word/document.xml` → `word/_rels/document.xml.rels`; the package's are `_rels/.rels`. */
function relationshipsPartName(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

// A target is a URI relative to the source part's folder, or absolute from the package root.
function resolvePartName(source: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // A malformed escape is kept as written: the part is then simply not found.
  }
  const base = decoded.startsWith("/") ? [] : source.split("/").slice(0, -1);
  for (const segment of decoded.split("/")) {
    if (segment === "..") base.pop();
    else if (segment !== "." && segment !== "") base.push(segment);
  }
  return base.join("/");
}
