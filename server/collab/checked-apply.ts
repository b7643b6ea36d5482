import type { ContentMatch, NodeType } from "prosemirror-model";
import * as Y from "yjs";
import { schema, YJS_FRAGMENT } from "../../schema/prosemirror";
import { checkUpdate, type UpdateRefusal } from "./update-check";

/** A refused update: nothing of it was applied, stored or relayed. */
export class UpdateRefusedError extends Error {
  constructor(readonly refusal: UpdateRefusal) {
    super(`update refused (${refusal.code}): ${refusal.detail}`);
  }
}

/**
 * Checks, once an update is applied, the shared types whose children it changed, and the elements
 * it created: each must hold children the schema allows, in an order it allows, and all it
 * requires. Cheap: a keystroke changes only a text run, which the check before applying has
 * covered; an Enter changes one clause's list of paragraphs and creates one paragraph.
 */
export function checkChangedStructure(transaction: Y.Transaction): UpdateRefusal | null {
  const isNew = (type: Y.XmlElement) => {
    const id = type._item?.id;
    return id !== undefined && id.clock >= (transaction.beforeState.get(id.client) ?? 0);
  };
  const queue: Y.XmlFragment[] = [];
  for (const [type, keys] of transaction.changed) {
    if (keys.has(null) && type instanceof Y.XmlFragment && !type._item?.deleted) queue.push(type);
  }
  for (let type = queue.pop(); type; type = queue.pop()) {
    const node = structureType(type);
    if (!node) continue;
    let match: ContentMatch | null = node.contentMatch;
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText && child.length === 0) continue;
      const name = child instanceof Y.XmlText ? "text" : child instanceof Y.XmlElement ? child.nodeName : null;
      const childType = name === null ? undefined : schema.nodes[name];
      match = childType ? match.matchType(childType) : null;
      if (!match) return { code: "misplaced-element", detail: `${name ?? "an unknown child"} out of place inside ${node.name}` };
      // An element this update created is in no `changed` list (nothing of it existed before).
      if (child instanceof Y.XmlElement && isNew(child)) queue.push(child);
    }
    if (!match.validEnd) return { code: "incomplete-element", detail: `${node.name} lacks content it requires` };
  }
  return null;
}

// The node type a shared type stands for, when it holds ProseMirror children.
function structureType(type: Y.XmlFragment): NodeType | undefined {
  if (type instanceof Y.XmlElement) return schema.nodes[type.nodeName];
  if (type._item === null && Y.findRootTypeKey(type) === YJS_FRAGMENT) return schema.topNodeType;
  return undefined;
}

/** A refusal of an update that was applied before it could be judged: the document must be reloaded. */
export interface LateRefusal extends UpdateRefusal {
  reload: boolean;
}

/** Thrown when Yjs fails half-way through applying an update: the document must be reloaded. */
export class ApplyFailedError extends Error {}

/**
 * Applies a client's update to `doc` with every check: `checkUpdate` before (nothing applied when
 * it refuses), then the structure of what it changed. Returns null when the update is in; else a
 * refusal, with `reload` when the document now holds what it refused and must be reloaded from
 * storage (Yjs cannot take an update back). Throws on bytes that are not an update (nothing
 * applied) and ApplyFailedError when Yjs fails half-way.
 */
export function applyCheckedUpdate(doc: Y.Doc, update: Uint8Array, origin: unknown): LateRefusal | null {
  const refusal = checkUpdate(doc, update);
  if (refusal) return { ...refusal, reload: false };
  // The text's root is read as an XML fragment (a document loaded from bytes leaves it untyped).
  doc.getXmlFragment(YJS_FRAGMENT);
  let applied: Y.Transaction | null = null;
  const record = (transaction: Y.Transaction) => (applied = transaction);
  doc.on("afterTransaction", record);
  try {
    Y.applyUpdate(doc, update, origin);
  } catch (error) {
    throw new ApplyFailedError(error instanceof Error ? error.message : String(error), { cause: error });
  } finally {
    doc.off("afterTransaction", record);
  }
  // Where children end up depends on what others wrote concurrently, so their order is checked
  // once applied.
  const misfit = applied ? checkChangedStructure(applied) : null;
  if (misfit) return { ...misfit, reload: true };
  // The check before leaves nothing to wait for; should Yjs still hold something back, it is
  // dropped rather than kept in memory, unstored, and sent to every reader. What was applied passed
  // the checks and stays.
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
    doc.store.pendingStructs = null;
    doc.store.pendingDs = null;
    return { code: "missing-dependency", detail: "structures held back by Yjs", reload: false };
  }
  return null;
}

