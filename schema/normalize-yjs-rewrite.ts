import type { Node as PMNode } from "prosemirror-model";
import * as Y from "yjs";
import { MAX_DEPTH } from "./normalize";
import { hash } from "./normalize-fit";

// What one Yjs child of an element is matched against: an element node, or a run of text nodes
// (y-prosemirror keeps consecutive text of an element in one Y.XmlText).
type Unit = PMNode | PMNode[];

// Past this many child pairs, aligning one element's children costs more than it saves.
const MAX_ALIGNMENT_CELLS = 1_000_000;

/**
 * Rewrites the children (and attributes) of `parent` so that they say `node`, keeping every Yjs
 * child that already says the same and editing those that differ in place, so that relative
 * positions (the anchors of threads and amendments, others' cursors) outside what changes keep
 * their place. y-prosemirror's `updateYFragment` pairs children by position once both ends differ,
 * which re-creates everything after one stray element. Children are aligned by the longest common
 * run of equal children instead; between those, children of the same name are edited, the others
 * removed or created.
 */
export function reconcile(parent: Y.XmlFragment, node: PMNode, memo = new Keys()): void {
  if (parent instanceof Y.XmlElement) syncAttributes(parent, node.attrs);
  const ys = parent.toArray() as unknown[];
  const ps = unitsOf(node);
  const pairs = align(
    ys.map((child, index) => memo.ofY(child, index, 0)),
    ps.map((unit) => memo.ofUnit(unit)),
  );
  const deletes: number[] = [];
  const inserts = new Map<number, Unit[]>();
  let [y, p] = [0, 0];
  for (const [yEnd, pEnd] of [...pairs, [ys.length, ps.length] as const]) {
    // Between two equal children: edit those of the same kind, remove or create the others.
    for (; p < pEnd; p += 1) {
      const unit = ps[p] as Unit;
      let partner = y;
      while (partner < yEnd && !sameKind(ys[partner], unit)) partner += 1;
      if (partner === yEnd) {
        inserts.set(y, [...(inserts.get(y) ?? []), unit]);
        continue;
      }
      for (; y < partner; y += 1) deletes.push(y);
      edit(ys[partner], unit, memo);
      y = partner + 1;
    }
    for (; y < yEnd; y += 1) deletes.push(y);
    y = yEnd + 1;
    p = pEnd + 1;
  }
  // From the end backwards, so that the indices still to be used stay where they were.
  const positions = [...new Set([...deletes, ...inserts.keys()])].sort((a, b) => b - a);
  const deleted = new Set(deletes);
  for (const position of positions) {
    if (deleted.has(position)) parent.delete(position, 1);
    const units = inserts.get(position);
    if (units) insertUnits(parent, position, units, memo);
  }
}

function insertUnits(parent: Y.XmlFragment, position: number, units: Unit[], memo: Keys): void {
  const created = units.map((unit) => (Array.isArray(unit) ? new Y.XmlText() : new Y.XmlElement(unit.type.name)));
  parent.insert(position, created);
  created.forEach((type, index) => edit(type, units[index] as Unit, memo));
}

function edit(child: unknown, unit: Unit, memo: Keys): void {
  if (Array.isArray(unit)) {
    if (child instanceof Y.XmlText) editText(child, unit);
  } else if (child instanceof Y.XmlElement) {
    reconcile(child, unit, memo);
  }
}

function sameKind(child: unknown, unit: Unit): boolean {
  if (Array.isArray(unit)) return child instanceof Y.XmlText;
  return child instanceof Y.XmlElement && child.nodeName === unit.type.name;
}

function syncAttributes(element: Y.XmlElement, attrs: Record<string, unknown>): void {
  const current = element.getAttributes() as Record<string, unknown>;
  for (const name of Object.keys(current)) if (attrs[name] === undefined || attrs[name] === null) element.removeAttribute(name);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && current[name] !== value) element.setAttribute(name, value as string);
  }
}

// A text's characters are edited only where they differ (a common start and end are kept), then
// its marks set run by run: a mark the text should not have is removed.
function editText(text: Y.XmlText, runs: PMNode[]): void {
  const delta = text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[];
  const wanted = runs.map((run) => run.text ?? "").join("");
  if (delta.some((op) => typeof op.insert !== "string")) {
    // Embeds count in a text's length but hold no characters: the text is written anew.
    text.delete(0, text.length);
    text.insert(0, wanted);
  } else {
    const current = delta.map((op) => op.insert as string).join("");
    let start = 0;
    while (start < current.length && start < wanted.length && current[start] === wanted[start]) start += 1;
    let end = 0;
    while (end < current.length - start && end < wanted.length - start && current[current.length - 1 - end] === wanted[wanted.length - 1 - end]) end += 1;
    if (current.length - start - end > 0) text.delete(start, current.length - start - end);
    if (wanted.length - start - end > 0) text.insert(start, wanted.slice(start, wanted.length - end));
  }
  const names = new Set(delta.flatMap((op) => Object.keys(op.attributes ?? {})));
  let offset = 0;
  for (const run of runs) {
    const length = run.text?.length ?? 0;
    const attributes: Record<string, unknown> = Object.fromEntries([...names].map((name) => [name, null]));
    for (const mark of run.marks) attributes[mark.type.name] = mark.attrs;
    text.format(offset, length, attributes);
    offset += length;
  }
}

function unitsOf(node: PMNode): Unit[] {
  const units: Unit[] = [];
  node.forEach((child) => {
    const last = units.at(-1);
    if (!child.isText) units.push(child);
    else if (Array.isArray(last)) last.push(child);
    else units.push([child]);
  });
  return units;
}

// The pairs of indices of equal children, in order: the longest common subsequence of their keys.
function align(ys: string[], ps: string[]): (readonly [number, number])[] {
  if (ys.length * ps.length > MAX_ALIGNMENT_CELLS) return [];
  const width = ps.length + 1;
  const table = new Uint32Array((ys.length + 1) * width);
  for (let i = ys.length - 1; i >= 0; i -= 1) {
    for (let j = ps.length - 1; j >= 0; j -= 1) {
      table[i * width + j] =
        ys[i] === ps[j] ? (table[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0);
    }
  }
  const pairs: (readonly [number, number])[] = [];
  let [i, j] = [0, 0];
  while (i < ys.length && j < ps.length) {
    if (ys[i] === ps[j]) pairs.push([i++, j++] as const);
    else if ((table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0)) i += 1;
    else j += 1;
  }
  return pairs;
}

/**
 * Keys that are equal when a Yjs child and a ProseMirror unit say the same: name, attributes set,
 * children, and text with its marks, hashed so that a parent's key does not hold its children's
 * (a collision only costs a wrong pairing, which the check after the rewrite catches). Each is
 * computed once per object.
 */
class Keys {
  private readonly y = new WeakMap<object, string>();
  private readonly p = new WeakMap<PMNode, string>();

  ofY(child: unknown, index: number, depth: number): string {
    if (!(child instanceof Y.XmlElement || child instanceof Y.XmlText)) return `\u0000other ${index}`;
    const known = this.y.get(child);
    if (known !== undefined) return known;
    let key: string;
    if (child instanceof Y.XmlText) {
      const delta = child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[];
      key = delta.some((op) => typeof op.insert !== "string") ? `\u0000embed ${index}` : textKey(delta.map((op) => [op.insert as string, op.attributes ?? {}]));
    } else if (depth > MAX_DEPTH) {
      key = `\u0000deep ${index}`;
    } else {
      const children = (child.toArray() as unknown[]).map((item, at) => this.ofY(item, at, depth + 1));
      key = `e${hash(JSON.stringify([child.nodeName, attributesKey(child.getAttributes()), children]))}`;
    }
    this.y.set(child, key);
    return key;
  }

  ofUnit(unit: Unit): string {
    if (Array.isArray(unit)) return textKey(unit.map((run) => [run.text ?? "", Object.fromEntries(run.marks.map((mark) => [mark.type.name, mark.attrs]))]));
    const known = this.p.get(unit);
    if (known !== undefined) return known;
    const key = `e${hash(JSON.stringify([unit.type.name, attributesKey(unit.attrs), unitsOf(unit).map((child) => this.ofUnit(child))]))}`;
    this.p.set(unit, key);
    return key;
  }
}

// Runs of text with the same marks are one run, however they were split.
function textKey(runs: [string, Record<string, unknown>][]): string {
  const merged: [string, string][] = [];
  for (const [text, marks] of runs) {
    const marksKey = JSON.stringify(Object.keys(marks).sort().map((name) => [name, attributesKey(marks[name])]));
    const last = merged.at(-1);
    if (last && last[1] === marksKey) last[0] += text;
    else if (text) merged.push([text, marksKey]);
  }
  return `t${hash(JSON.stringify(merged))}`;
}

function attributesKey(attrs: unknown): string {
  if (typeof attrs !== "object" || attrs === null) return JSON.stringify(attrs);
  const entries = Object.entries(attrs).filter(([, value]) => value !== null && value !== undefined);
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
