import type { Node as ProseMirrorNode } from "prosemirror-model";
import { initProseMirrorDoc, updateYFragment } from "y-prosemirror";
import type * as Y from "yjs";
import type { Message } from "./messages";
import { schema, YJS_FRAGMENT } from "../../schema/prosemirror";

/** Who a server-side edit is attributed to in the update log. */
export interface EditAuthor {
  /** Null for the server itself (a repair): the update log then names no person. */
  userId: string | null;
  delegationCode: string | null;
}

/**
 * The live Yjs document behind the ProseMirror document a change receives: what relative positions
 * (anchors of threads and amendments) resolve against. Valid only while `change` runs.
 */
export interface LiveText {
  doc: Y.Doc;
  fragment: Y.XmlFragment;
  node: ProseMirrorNode;
  mapping: Map<Y.AbstractType<unknown>, ProseMirrorNode | ProseMirrorNode[]>;
}

/** A change to a draft's Yjs document, made by the server (see `LiveTexts.editDocument`). */
export interface DocumentEdit {
  draftId: string;
  author: EditAuthor;
  edit: (doc: Y.Doc) => void;
  /** Makes the edit once in the draft's life: an edit whose key the text already holds is not made again. */
  key?: string;
}

/** A change to a draft's live text as ProseMirror sees it (see `editText`). */
export interface TextEdit {
  draftId: string;
  author: EditAuthor;
  /** Receives the current document and returns the one it should become (or null for no change); may throw to refuse. */
  change: (current: ProseMirrorNode, live: LiveText) => ProseMirrorNode | null;
  /** Makes the edit once in the draft's life: an edit whose key the text already holds is not made again. */
  key?: string;
}

/**
 * The port through which the domain changes the drafts' live texts: the collaboration server
 * implements it (every edit goes through the loaded document, stored before any editor sees it),
 * and the domain never imports the collaboration server. Created once at start-up.
 */
export interface LiveTexts {
  /**
   * Applies `edit` to the loaded Yjs document as one attributed transaction; resolves once it is
   * durable. Rejects with an error for which `isEditNotStored` holds when it could not be stored
   * (nothing of it remains). A keyed edit whose key the text holds is not made (`alreadyMade`).
   */
  editDocument(edit: DocumentEdit): Promise<{ alreadyMade: boolean }>;
  /** Repairs a draft's stored text into the schema as one server edit (see server/collab/repair.ts); whether it changed. */
  repair(draftId: string): Promise<boolean>;
  /**
   * Stops accepting writers on a draft, and resolves once everything accepted before is durable
   * (a change of phase that closes writing is committed only after this).
   */
  closeWriting(draftId: string, reason: Message): Promise<void>;
  /** Lets the draft's connections write again as the policy allows. */
  reopenWriting(draftId: string): Promise<void>;
}

/**
 * A server edit was applied but could not be stored (the draft reloads without it): whoever made it
 * must record nothing of its outcome. Recognised by its code (`isEditNotStored`), which also holds
 * for one that crossed a process boundary as plain data.
 */
export class EditNotStoredError extends Error {
  readonly code = "edit-not-stored";
  constructor(readonly reason: string) {
    super(`The edit was not stored: ${reason}`);
  }
}

/** Whether `error` says that a server edit was not stored. */
export function isEditNotStored(error: unknown): error is EditNotStoredError {
  return error instanceof Error && (error as { code?: unknown }).code === "edit-not-stored";
}

/** Live texts where no collaboration server runs (a command-line tool, a test without a server). */
export const NO_LIVE_TEXTS: LiveTexts = {
  editDocument: () => Promise.reject(new Error("The collaboration server is not running.")),
  repair: () => Promise.reject(new Error("The collaboration server is not running.")),
  // Nobody is connected, so nobody is to be stopped or let in again.
  closeWriting: () => Promise.resolve(),
  reopenWriting: () => Promise.resolve(),
};

/**
 * Changes a draft's live text as ProseMirror sees it: `change` receives the current document, built
 * from the live Yjs document, and returns the document it should become (or null for no change).
 * Only the difference is written into the Yjs document, as one attributed edit, so that others'
 * cursors, anchors and undo history outside the changed part are kept. `change` runs inside the
 * edit: it sees the text exactly as the edit will change it, and may throw to refuse (nothing is
 * stored then). The document is read and written with this module's schema, so that the nodes
 * `change` builds are of the same schema however the caller was loaded.
 */
export async function editText(texts: LiveTexts, options: TextEdit): Promise<{ changed: boolean; alreadyMade: boolean }> {
  let changed = false;
  const { alreadyMade } = await texts.editDocument({
    draftId: options.draftId,
    author: options.author,
    key: options.key,
    edit: (doc) => {
      const fragment = doc.getXmlFragment(YJS_FRAGMENT);
      const { doc: current, meta } = initProseMirrorDoc(fragment, schema);
      const mapping = meta.mapping as LiveText["mapping"];
      const next = options.change(current, { doc, fragment, node: current, mapping });
      if (!next || next.eq(current)) return;
      if (next.type !== schema.topNodeType) throw new Error("A draft's text must be a whole document.");
      next.check();
      updateYFragment(doc, fragment, next, meta);
      changed = true;
    },
  });
  return { changed, alreadyMade };
}
