import { prosemirrorJSONToYDoc } from "y-prosemirror";
import * as Y from "yjs";
import { parseDocument, type DocJson } from "../../schema/content";
import { schema, YJS_FRAGMENT } from "../../schema/prosemirror";

/** The Yjs state of a document given as ProseMirror JSON (checked against the schema first). */
export function yjsStateFromJson(json: DocJson): Uint8Array {
  parseDocument(json);
  const doc = prosemirrorJSONToYDoc(schema, json, YJS_FRAGMENT);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
