import { Fragment, Node as PMNode, type Attrs, type ContentMatch, type NodeType } from "prosemirror-model";
import { fillBeforeType, placement } from "./normalize-placement";
import { schema } from "./prosemirror";

/** A node read from JSON before it is fitted: an inline leaf already built, or a node and its children. */
export type Raw = PMNode | RawNode;

/** A node read from JSON: its type (null when the schema has none of that name), attributes and children. */
export interface RawNode {
  type: NodeType | null;
  attrs: Attrs;
  children: readonly Raw[];
}

/**
 * Fits a tree read from JSON into a document of the schema (see `normalizeDocument`). `ids` holds the
 * clause ids already in the text, which the ids of clauses made here must not repeat.
 */
export function fitDocument(raw: Raw | null, ids: Set<string>): PMNode {
  const root = new Builder(schema.topNodeType, {}, false);
  if (raw && !(raw instanceof PMNode) && raw.type === schema.topNodeType) fill(root, raw.children);
  else if (raw) place(root, raw);
  return finish(root, new ClauseIds(ids));
}

// A node being built: children are added in order while `match` follows the content expression,
// so that every step keeps the content valid so far and only its end may need filling.
class Builder {
  readonly children: (Builder | PMNode)[] = [];
  match: ContentMatch;
  /** Empty nodes added only because the content required one; a node of that type met later takes its place. */
  readonly fillers: Builder[] = [];
  /** Whether nothing was put in this node since it was added as a filler. */
  pristine: boolean;

  constructor(
    readonly type: NodeType,
    readonly attrs: Attrs,
    /** Made here (a wrapper or a filler), not read from the input: what follows may join it. */
    readonly synthetic: boolean,
    filler = false,
  ) {
    this.match = type.contentMatch;
    this.pristine = filler;
  }

  add(child: Builder | PMNode, next: ContentMatch): void {
    this.children.push(child);
    this.match = next;
    this.pristine = false;
  }
}

function fill(builder: Builder, children: readonly Raw[]): void {
  for (const child of children) place(builder, child);
}

/**
 * Places one child at the end of `builder`, in the first way that works: where it fits; in place of
 * an empty filler of its type; into the previous child when that was made here to hold such
 * content (so consecutive stray paragraphs share one new clause) or is of its own type (a second
 * preamble joins the first); wrapped, after filling what must come first; as a paragraph (a
 * textblock of the wrong kind); or else as its own children, one by one. Returns false when
 * nothing of it could be placed (an inline leaf where no inline content can go).
 */
function place(builder: Builder, raw: Raw): boolean {
  const type = raw.type;
  if (type) {
    const next = builder.match.matchType(type);
    if (next) {
      builder.add(open(raw, type), next);
      return true;
    }
    if (replaceFiller(builder, raw, type) || joinPrevious(builder, raw, type) || wrap(builder, raw, type)) return true;
    if (!(raw instanceof PMNode) && type.isTextblock && type !== schema.nodes.paragraph && place(builder, { type: schema.nodes.paragraph, attrs: {}, children: raw.children })) {
      return true;
    }
  }
  if (raw instanceof PMNode) return false;
  let placed = false;
  for (const child of raw.children) placed = place(builder, child) || placed;
  return placed;
}

// An inline leaf is placed as it is; any other node is built from its own children.
function open(raw: Raw, type: NodeType): Builder | PMNode {
  if (raw instanceof PMNode) return raw;
  const builder = new Builder(type, raw.attrs, false);
  fill(builder, raw.children);
  return builder;
}

function replaceFiller(builder: Builder, raw: Raw, type: NodeType): boolean {
  if (raw instanceof PMNode) return false;
  const index = builder.fillers.findIndex((filler) => filler.pristine && filler.type === type);
  const filler = builder.fillers[index];
  if (!filler) return false;
  builder.fillers.splice(index, 1);
  // Same type at the same place: the content expression is matched exactly as before.
  builder.children[builder.children.indexOf(filler)] = open(raw, type);
  return true;
}

function joinPrevious(builder: Builder, raw: Raw, type: NodeType): boolean {
  const last = builder.children.at(-1);
  if (!(last instanceof Builder)) return false;
  if (last.synthetic) return joinable(last, type) && place(last, raw);
  if (last.type !== type || type.isTextblock || raw instanceof PMNode) return false;
  fill(last, raw.children);
  return true;
}

// Whether a node made here can take a node of `type` at its end, itself or in its last child made
// here, without new wrappers: a second stray paragraph joins the clause made for the first, but does
// not open a list inside it.
function joinable(builder: Builder, type: NodeType): boolean {
  if (fillBeforeType(builder.match, type)) return true;
  const last = builder.children.at(-1);
  return last instanceof Builder && last.synthetic && joinable(last, type);
}

function wrap(builder: Builder, raw: Raw, type: NodeType): boolean {
  const steps = placement(builder.match, type);
  if (!steps) return false;
  let container = builder;
  steps.forEach((step, index) => {
    for (const fillType of step.fill) {
      const filler = new Builder(fillType, {}, true, true);
      container.fillers.push(filler);
      container.add(filler, advance(container.match, fillType));
    }
    if (index === steps.length - 1) {
      container.add(open(raw, type), advance(container.match, step.type));
    } else {
      const wrapper = new Builder(step.type, {}, true);
      container.add(wrapper, advance(container.match, step.type));
      container = wrapper;
    }
  });
  return true;
}

function advance(match: ContentMatch, type: NodeType): ContentMatch {
  const next = match.matchType(type);
  // A placement is computed from this very match: it always advances.
  if (!next) throw new Error(`${type.name} does not fit where it was placed.`);
  return next;
}

// Builds the node: children first, marks the node does not allow removed from its inline content,
// required content at the end filled in, and a clause made here given an id.
function finish(builder: Builder, ids: ClauseIds): PMNode {
  const nodes = builder.children.map((child) => (child instanceof Builder ? finish(child, ids) : allowedMarks(child, builder.type)));
  const content = Fragment.fromArray(nodes);
  const end = builder.match.fillBefore(Fragment.empty, true);
  const complete = end ? content.append(end) : content;
  const attrs = builder.type === schema.nodes.clause && builder.synthetic ? { ...builder.attrs, id: ids.next(complete.textBetween(0, complete.size, " ", " ")) } : builder.attrs;
  return builder.type.create(attrs, complete);
}

function allowedMarks(node: PMNode, parent: NodeType): PMNode {
  const marks = node.marks.filter((mark) => parent.allowsMarkType(mark.type));
  return marks.length === node.marks.length ? node : node.mark(marks);
}

/**
 * Ids for clauses made while normalising. They are derived from the clause's text and the ids
 * already taken, never random, so that every process normalises the same input to the same
 * document (a repair and a reader agree, and normalising twice changes nothing).
 */
class ClauseIds {
  constructor(private readonly taken: Set<string>) {}

  next(text: string): string {
    for (let attempt = 0; ; attempt += 1) {
      const id = `c${hash(`${attempt}:${text}`)}`;
      if (!this.taken.has(id)) {
        this.taken.add(id);
        return id;
      }
    }
  }
}

/** 48 bits of two FNV-1a hashes of `text`, as 12 hex digits (the length of a clause id made in the editor). */
export function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x01000193) >>> 0;
  }
  return (a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0")).slice(0, 12);
}
