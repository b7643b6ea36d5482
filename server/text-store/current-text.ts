import type { Node as PMNode } from "prosemirror-model";
import * as Y from "yjs";
import { emptyDocument } from "../../schema/normalize";
import { fragmentMapping, readFragmentText, textFragment } from "../../schema/normalize-yjs";
import { loadDraftState } from "./persistence";

/** A stored Yjs state read as text. */
export interface StoredText {
  /** The state re-encoded from the document, so it holds exactly the text `node` shows. */
  state: Uint8Array;
  /** The text, normalised into the schema: what every reader shows. */
  node: PMNode;
  /** Whether the Yjs document already says exactly `node`; false when it needs a repair. */
  valid: boolean;
  /** False when the state could not be applied at all: there is nothing to repair from. */
  readable: boolean;
}

/**
 * A draft's current text as a ProseMirror document. It is read from storage, not from the loaded
 * document: the collaboration server relays an update only once it is stored, so what is stored
 * already holds every change that anyone else's editor has shown.
 */
export async function loadDraftText(draftId: string): Promise<PMNode> {
  return (await loadStoredDraftText(draftId)).node;
}

/** A draft's current stored text, its Yjs state, and whether that state is already valid. */
export async function loadStoredDraftText(draftId: string): Promise<StoredText> {
  const { update } = await loadDraftState(draftId);
  return readStoredState(update);
}

/**
 * Reads a stored Yjs state through the one normalising conversion (schema/normalize.ts), so that a
 * draft written before the schema was enforced still reads. A state that cannot be applied at all
 * reads as an empty text and is marked unreadable, so that no repair ever writes over it.
 */
export function readStoredState(update: Uint8Array): StoredText {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    const fragment = textFragment(doc);
    const node = fragment ? readFragmentText(fragment) : emptyDocument();
    return { state: Y.encodeStateAsUpdate(doc), node, valid: fragment !== null && fragmentMapping(fragment, node) !== null, readable: true };
  } catch {
    return { state: update, node: emptyDocument(), valid: false, readable: false };
  } finally {
    doc.destroy();
  }
}
