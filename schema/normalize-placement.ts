import type { ContentMatch, NodeType } from "prosemirror-model";
import { schema } from "./prosemirror";

/** One level of a placement: empty nodes to add first (`fill`), then a node of `type`. */
export interface Step {
  fill: readonly NodeType[];
  type: NodeType;
}

// Deep enough for text under the document (section, clause, paragraph), not for absurd detours.
const MAX_WRAPPERS = 3;

// The schema's content expressions have a few dozen states: placements are worked out once each.
const cache = new WeakMap<ContentMatch, Map<NodeType, readonly Step[] | null>>();

/**
 * How a node of `target` can be placed after `match` when it does not fit there directly: the
 * wrappers to open around it, each after any required content before it (a section's heading
 * before the clause that wraps a stray paragraph). Unlike `ContentMatch.findWrapping`, it fills
 * required content on the way, which this schema needs almost everywhere. Among the ways found,
 * inline content goes into a paragraph where one can hold it (never a title or a heading made up
 * for it), then fewer wrappers and fewer empty nodes win. Null when there is no way.
 */
export function placement(match: ContentMatch, target: NodeType): readonly Step[] | null {
  let byTarget = cache.get(match);
  if (!byTarget) cache.set(match, (byTarget = new Map()));
  const known = byTarget.get(target);
  if (known !== undefined) return known;
  const found = search(match, target);
  byTarget.set(target, found);
  return found;
}

function search(start: ContentMatch, target: NodeType): readonly Step[] | null {
  let best: readonly Step[] | null = null;
  let level: { match: ContentMatch; steps: readonly Step[] }[] = [{ match: start, steps: [] }];
  for (let depth = 0; depth <= MAX_WRAPPERS && level.length > 0; depth += 1) {
    const nextLevel: typeof level = [];
    for (const { match, steps } of level) {
      for (const type of Object.values(schema.nodes)) {
        if (type === schema.topNodeType) continue;
        const fill = fillBeforeType(match, type);
        if (!fill) continue;
        const path = [...steps, { fill, type }];
        if (type === target) {
          if (!best || better(path, best, target)) best = path;
        } else if (!type.isLeaf && !type.isInline && !steps.some((step) => step.type === type)) {
          nextLevel.push({ match: type.contentMatch, steps: path });
        }
      }
    }
    level = nextLevel;
  }
  return best;
}

function better(candidate: readonly Step[], current: readonly Step[], target: NodeType): boolean {
  const score = (path: readonly Step[]) => [
    target.isInline && path.at(-2)?.type !== schema.nodes.paragraph ? 1 : 0,
    path.length,
    path.reduce((count, step) => count + step.fill.length, 0),
  ];
  const [a, b] = [score(candidate), score(current)];
  for (let index = 0; index < a.length; index += 1) {
    const [x = 0, y = 0] = [a[index], b[index]];
    if (x !== y) return x < y;
  }
  return false;
}

/** The types to insert, shortest first, before a node of `type` can follow `match`; null when none do. */
export function fillBeforeType(match: ContentMatch, type: NodeType): NodeType[] | null {
  const seen = new Set<ContentMatch>([match]);
  const queue: { match: ContentMatch; fill: NodeType[] }[] = [{ match, fill: [] }];
  for (let item = queue.shift(); item; item = queue.shift()) {
    if (item.match.matchType(type)) return item.fill;
    for (let index = 0; index < item.match.edgeCount; index += 1) {
      const edge = item.match.edge(index);
      if (edge.type.isText || edge.type.hasRequiredAttrs() || seen.has(edge.next)) continue;
      seen.add(edge.next);
      queue.push({ match: edge.next, fill: [...item.fill, edge.type] });
    }
  }
  return null;
}
