import type { EditorState } from "prosemirror-state";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from "y-prosemirror";
import * as Y from "yjs";

interface Binding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  mapping: Map<Y.AbstractType<unknown>, unknown>;
}

function bindingOf(state: EditorState): Binding | null {
  const sync = ySyncPluginKey.getState(state) as { binding?: Binding | null } | undefined;
  return sync?.binding ?? null;
}

/**
 * Where a Yjs relative position (as JSON, the way the server stores anchors) stands in the live
 * document now, or null when its text is gone or the editor has not synced yet.
 */
export function absoluteFromRelative(state: EditorState, json: unknown): number | null {
  const binding = bindingOf(state);
  if (!binding || binding.mapping.size === 0 || json === null || typeof json !== "object") return null;
  try {
    const position = Y.createRelativePositionFromJSON(json);
    const absolute = relativePositionToAbsolutePosition(binding.doc, binding.type, position, binding.mapping as never);
    return absolute === null || absolute > state.doc.content.size ? null : absolute;
  } catch {
    // A position into a removed part of the tree cannot be mapped back.
    return null;
  }
}

/** A ProseMirror position of the live document as a Yjs relative position (JSON), or null before sync. */
export function relativeFromAbsolute(state: EditorState, position: number): unknown {
  const binding = bindingOf(state);
  if (!binding || binding.mapping.size === 0) return null;
  return Y.relativePositionToJSON(absolutePositionToRelativePosition(position, binding.type, binding.mapping as never));
}
