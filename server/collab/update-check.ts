import type { MarkType, NodeType } from "prosemirror-model";
import * as Y from "yjs";
import { bracketAttrsValid } from "../../schema/brackets";
import { isSafeHref, schema, YJS_FRAGMENT } from "../../schema/prosemirror";

/** Why an update was refused: a code the interface can translate, and a detail for the log. */
export interface UpdateRefusal {
  code:
    | "malformed"
    | "missing-dependency"
    | "root-type"
    | "unknown-element"
    | "misplaced-element"
    | "misplaced-text"
    | "incomplete-element"
    | "unknown-attribute"
    | "bad-attribute"
    | "unknown-mark"
    | "bad-mark"
    | "unsafe-link"
    | "content-kind"
    | "too-deep";
  detail: string;
}

/** Elements nested deeper than this (the document is 0) are refused: readers recurse over them. */
export const MAX_NESTING = 24;
/** The longest attribute value (a footnote's note) and link target accepted. */
export const MAX_ATTRIBUTE_LENGTH = 10_000;
const MAX_HREF_LENGTH = 2048;
const CLAUSE_ID = /^[A-Za-z0-9_-]{1,64}$/;
// y-prosemirror stores a mark that may overlap itself under "<name>--<8-character hash>".
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

// Where an item goes: the shared type it is inserted into, as the schema sees it.
type Container =
  | { kind: "root"; name: string }
  | { kind: "element"; name: string; depth: number }
  | { kind: "text"; element: Container }
  | { kind: "other" }
  // Garbage-collected: Yjs discards whatever is inserted there.
  | { kind: "gone" };

// An item's place: the shared type it goes into and, for a map entry (an attribute), its key.
// An item placed next to another takes both from it (Yjs writes them only for the first).
interface Placement {
  container: Container;
  key: string | null;
}

type Struct = Y.Item | Y.GC | Y.Skip;
type SharedType = Parameters<Y.Transaction["changed"]["get"]>[0];
type Content = Y.Item["content"];
type DeleteSet = ReturnType<typeof Y.decodeUpdate>["ds"];

class Refused extends Error {
  constructor(readonly refusal: UpdateRefusal) {
    super(refusal.detail);
  }
}

function refuse(code: UpdateRefusal["code"], detail: string): never {
  throw new Refused({ code, detail });
}

/**
 * Checks what a client's update would do to a draft's document before it is applied: every item
 * it inserts must be an element, text, attribute or mark the ProseMirror schema defines, in a
 * place the schema allows it, under the `prosemirror` fragment, with every structure it builds on
 * already known (so nothing is left pending in memory). Returns null when the update may be
 * applied. Throws only when the bytes are not a Yjs update at all.
 *
 * Only what the update carries is examined (a keystroke is one item), against the document's
 * state vector and the items it refers to. Order and count of children within a parent (a second
 * title, an emptied preamble) can also come from concurrent valid edits, so readers normalise those.
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array): UpdateRefusal | null {
  const decoded = Y.decodeUpdate(update);
  try {
    new UpdateChecker(doc, decoded.structs as Struct[], decoded.ds).check();
    return null;
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
}

class UpdateChecker {
  private readonly byClient = new Map<number, Struct[]>();
  private readonly placements = new Map<Y.Item, Placement>();
  private readonly typeContainers = new WeakMap<SharedType, Container>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly structs: Struct[],
    private readonly ds: DeleteSet,
  ) {
    for (const struct of structs) {
      const list = this.byClient.get(struct.id.client);
      if (list) list.push(struct);
      else this.byClient.set(struct.id.client, [struct]);
    }
  }

  check(): void {
    this.checkDependencies();
    for (const struct of this.structs) {
      if (!(struct instanceof Y.Item)) continue;
      // Yjs skips what the document already holds.
      if (struct.id.clock + struct.length <= this.known(struct.id.client)) continue;
      this.checkItem(struct);
    }
  }

  // Every client's structs must continue what the document holds, and every reference (origins,
  // parents, deletions) must point at something held or carried: otherwise Yjs keeps the update
  // pending, in memory, unstored, and sends it to every new reader.
  private checkDependencies(): void {
    for (const [client, list] of this.byClient) {
      const first = list[0];
      if (first && first.id.clock > this.known(client)) refuse("missing-dependency", `client ${client} starts at ${first.id.clock}`);
      for (let i = 0; i < list.length; i += 1) {
        const struct = list[i];
        if (struct instanceof Y.Skip) refuse("missing-dependency", `a gap in client ${client}'s structs`);
        const next = list[i + 1];
        if (struct && next && next.id.clock !== struct.id.clock + struct.length) refuse("malformed", `client ${client}'s structs are not contiguous`);
      }
    }
    for (const struct of this.structs) {
      if (!(struct instanceof Y.Item)) continue;
      for (const id of [struct.origin, struct.rightOrigin, struct.parent instanceof Y.ID ? struct.parent : null]) {
        if (id && !this.exists(id)) refuse("missing-dependency", `a reference to ${id.client}:${id.clock}`);
      }
    }
    for (const [client, deletions] of this.ds.clients) {
      const end = Math.max(this.known(client), this.carriedEnd(client));
      for (const deletion of deletions) {
        if (deletion.clock + deletion.len > end) refuse("missing-dependency", `a deletion of unknown ${client}:${deletion.clock}`);
        this.checkDeletion(client, deletion.clock, deletion.len);
      }
    }
  }

  // A deletion may remove text, never what the server keeps beside it (the keys of its edits).
  private checkDeletion(client: number, clock: number, len: number): void {
    const structs = this.doc.store.clients.get(client);
    const known = this.known(client);
    if (!structs || clock >= known) return;
    for (let index = Y.findIndexSS(structs, clock); index < structs.length; index += 1) {
      const struct = structs[index];
      if (!struct || struct.id.clock >= clock + len) return;
      if (!(struct instanceof Y.Item) || struct.deleted || !(struct.parent instanceof Y.AbstractType) || struct.parent._item !== null) continue;
      const root = Y.findRootTypeKey(struct.parent);
      if (root !== YJS_FRAGMENT) refuse("root-type", `a deletion in the shared type "${truncate(root)}" beside the text`);
    }
  }

  private checkItem(item: Y.Item): void {
    const { container, key } = this.placementOf(item);
    if (container.kind === "gone") return;
    if (container.kind === "root" && container.name !== YJS_FRAGMENT) refuse("root-type", `a shared type "${truncate(container.name)}" beside the text`);
    const content = item.content;
    if (content instanceof Y.ContentDeleted) return;
    if (key !== null) return this.checkAttribute(container, key, content);
    switch (container.kind) {
      case "root":
        return this.checkChild(schema.topNodeType, 0, content);
      case "element":
        return this.checkChild(nodeType(container.name), container.depth, content);
      case "text":
        return this.checkInline(container.element, content);
      case "other":
        return refuse("content-kind", "content inside a shared type the schema does not use");
    }
  }

  // An element or a text run inserted into an element (or the document).
  private checkChild(parent: NodeType, depth: number, content: Content): void {
    if (!(content instanceof Y.ContentType)) return refuse("content-kind", `${content.constructor.name} inside ${parent.name}`);
    const type = content.type;
    if (type instanceof Y.XmlText) {
      if (!allowedChildren(parent).has("text")) refuse("misplaced-text", `text directly inside ${parent.name}`);
      return;
    }
    if (!(type instanceof Y.XmlElement)) return refuse("content-kind", `a ${type.constructor.name} inside ${parent.name}`);
    const child = schema.nodes[type.nodeName];
    if (!child || child.isText) refuse("unknown-element", `an element <${truncate(type.nodeName)}>`);
    if (!allowedChildren(parent).has(child.name)) refuse("misplaced-element", `${child.name} inside ${parent.name}`);
    if (depth + 1 > MAX_NESTING) refuse("too-deep", `elements nested ${depth + 1} deep`);
  }

  // Characters and marks inside a text run.
  private checkInline(element: Container, content: Content): void {
    if (content instanceof Y.ContentString) return;
    if (!(content instanceof Y.ContentFormat)) return refuse("content-kind", `${content.constructor.name} inside a text`);
    const hashed = HASHED_MARK.exec(content.key)?.[1];
    const mark = schema.marks[hashed ?? content.key];
    if (!mark) refuse("unknown-mark", `a mark "${truncate(content.key)}"`);
    // Only a mark that may overlap itself is stored under hashed names; another would end up twice on one text.
    if (hashed !== undefined && mark.excludes(mark)) refuse("bad-mark", `${mark.name} under a hashed name`);
    if (element.kind === "element" && !nodeType(element.name).allowsMarkType(mark)) refuse("bad-mark", `${mark.name} inside ${element.name}`);
    // null ends a mark's range.
    if (content.value !== null) checkMarkAttributes(mark, content.value);
  }

  private checkAttribute(container: Container, key: string, content: Content): void {
    if (container.kind !== "element") return refuse("unknown-attribute", `an attribute "${truncate(key)}" outside an element`);
    const type = nodeType(container.name);
    const spec = type.spec.attrs?.[key];
    if (!spec) refuse("unknown-attribute", `an attribute "${truncate(key)}" on ${type.name}`);
    if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) return refuse("bad-attribute", `${type.name}.${key} is not one value`);
    const value: unknown = content.arr[0];
    if (value === null) return;
    if (typeof value !== "string" || value.length > MAX_ATTRIBUTE_LENGTH) refuse("bad-attribute", `${type.name}.${key} is not a string`);
    if (type.name === "clause" && key === "id" && !CLAUSE_ID.test(value)) refuse("bad-attribute", "a clause id of the wrong form");
  }

  // Where an item goes. Items of the update usually follow an item just before them, whose answer
  // is remembered, so this is a step or two per item; the walk is iterative because a hostile
  // update can chain origins as long as it likes.
  private placementOf(start: Y.Item): Placement {
    const chain: Y.Item[] = [];
    const seen = new Set<Y.Item>();
    let item = start;
    let found: Placement;
    for (;;) {
      const remembered = this.placements.get(item);
      if (remembered) {
        found = remembered;
        break;
      }
      if (seen.has(item)) refuse("malformed", "items whose origins form a cycle");
      seen.add(item);
      chain.push(item);
      const parent: unknown = item.parent;
      if (typeof parent === "string") {
        found = { container: { kind: "root", name: parent }, key: item.parentSub };
        break;
      }
      if (parent instanceof Y.ID) {
        found = { container: this.containerInside(this.lookup(parent)), key: item.parentSub };
        break;
      }
      const neighbour = item.origin ?? item.rightOrigin;
      if (!neighbour) refuse("malformed", "an item with neither parent nor neighbour");
      const struct = this.lookup(neighbour);
      if (!(struct instanceof Y.Item)) {
        found = { container: { kind: "gone" }, key: null };
        break;
      }
      if (this.isIntegrated(struct)) {
        const container: Container = struct.parent instanceof Y.AbstractType ? this.describe(struct.parent) : { kind: "gone" };
        found = { container, key: struct.parentSub };
        break;
      }
      item = struct;
    }
    for (const link of chain) this.placements.set(link, found);
    return found;
  }

  // The shared type an item's content is, when another item names it as its parent.
  private containerInside(struct: Struct): Container {
    if (!(struct instanceof Y.Item)) return { kind: "gone" };
    // Yjs reads the parent's content as a type without checking: anything else is refused.
    if (!(struct.content instanceof Y.ContentType)) refuse("malformed", "a parent that is not a shared type");
    if (this.isIntegrated(struct)) return this.describe(struct.content.type);
    const type = struct.content.type;
    const { container: around } = this.placementOf(struct);
    if (around.kind === "gone") return around;
    if (type instanceof Y.XmlElement) return { kind: "element", name: type.nodeName, depth: depthOf(around) + 1 };
    if (type instanceof Y.XmlText) return { kind: "text", element: around };
    return { kind: "other" };
  }

  private describe(type: SharedType): Container {
    const remembered = this.typeContainers.get(type);
    if (remembered) return remembered;
    let container: Container;
    const item = type._item;
    if (item === null) container = { kind: "root", name: Y.findRootTypeKey(type) };
    else if (!(item.parent instanceof Y.AbstractType)) container = { kind: "gone" };
    else if (type instanceof Y.XmlElement) container = { kind: "element", name: type.nodeName, depth: depthOf(this.describe(item.parent)) + 1 };
    else if (type instanceof Y.XmlText) container = { kind: "text", element: this.describe(item.parent) };
    else container = { kind: "other" };
    this.typeContainers.set(type, container);
    return container;
  }

  private known(client: number): number {
    return Y.getState(this.doc.store, client);
  }

  private carriedEnd(client: number): number {
    const last = this.byClient.get(client)?.at(-1);
    return last ? last.id.clock + last.length : 0;
  }

  private exists(id: Y.ID): boolean {
    return id.clock < this.known(id.client) || this.carried(id) !== null;
  }

  private isIntegrated(item: Y.Item): boolean {
    return item.id.clock < this.known(item.id.client);
  }

  private lookup(id: Y.ID): Struct {
    if (id.clock < this.known(id.client)) return Y.getItem(this.doc.store, id) as Y.Item | Y.GC;
    const carried = this.carried(id);
    if (!carried) return refuse("missing-dependency", `a reference to ${id.client}:${id.clock}`);
    return carried;
  }

  // The struct of the update that holds `id`, by binary search over its client's structs.
  private carried(id: Y.ID): Struct | null {
    const list = this.byClient.get(id.client);
    if (!list) return null;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const struct = list[middle];
      if (!struct) break;
      if (id.clock < struct.id.clock) high = middle - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct instanceof Y.Skip ? null : struct;
    }
    return null;
  }
}

function checkMarkAttributes(mark: MarkType, value: unknown): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) refuse("bad-mark", `${mark.name} with a value that is not attributes`);
  const attrs = value as Record<string, unknown>;
  const specs = mark.spec.attrs ?? {};
  for (const key of Object.keys(attrs)) if (!(key in specs)) refuse("bad-mark", `${mark.name} with an attribute "${truncate(key)}"`);
  if (mark.name === "bracket" && !bracketAttrsValid({ supporters: "", ...attrs })) refuse("bad-mark", "a bracket of the wrong form");
  if (mark.name !== "link") return;
  const href = attrs.href;
  if (typeof href !== "string" || href.length > MAX_HREF_LENGTH || !isSafeHref(href)) refuse("unsafe-link", "a link without a web, mail or in-document target");
  const title = attrs.title;
  if (title !== undefined && title !== null && (typeof title !== "string" || title.length > MAX_ATTRIBUTE_LENGTH)) refuse("bad-mark", "a link title that is not text");
}

function nodeType(name: string): NodeType {
  const type = schema.nodes[name];
  if (!type) return refuse("unknown-element", `content inside an element <${truncate(name)}> the schema does not define`);
  return type;
}

function depthOf(container: Container): number {
  return container.kind === "element" ? container.depth : 0;
}

const childrenCache = new Map<NodeType, Set<string>>();

// Every node type that may appear anywhere in `type`'s content, from its content expression.
function allowedChildren(type: NodeType): Set<string> {
  const cached = childrenCache.get(type);
  if (cached) return cached;
  const names = new Set<string>();
  const visited = new Set([type.contentMatch]);
  const queue = [type.contentMatch];
  for (let match = queue.pop(); match; match = queue.pop()) {
    for (let i = 0; i < match.edgeCount; i += 1) {
      const edge = match.edge(i);
      names.add(edge.type.name);
      if (!visited.has(edge.next)) {
        visited.add(edge.next);
        queue.push(edge.next);
      }
    }
  }
  childrenCache.set(type, names);
  return names;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
