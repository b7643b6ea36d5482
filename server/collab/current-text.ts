import type { Node as PMNode } from "prosemirror-model";
import { yDocToProsemirrorJSON } from "y-prosemirror";
import * as Y from "yjs";
import { schema, YJS_FRAGMENT } from "../../schema/prosemirror";
import { loadDraftState } from "./persistence";

/**
 * A draft's current text as a ProseMirror document. It is read from storage, not from the loaded
 * document: the collaboration server relays an update only once it is stored, so what is stored
 * already holds every change that anyone else's editor has shown.
 */
export async function loadDraftText(draftId: string): Promise<PMNode> {
  const { update } = await loadDraftState(draftId);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return schema.nodeFromJSON(yDocToProsemirrorJSON(doc, YJS_FRAGMENT));
  } finally {
    doc.destroy();
  }
}
