import type { Node as ProseMirrorNode } from "prosemirror-model";
import { initProseMirrorDoc, updateYFragment } from "y-prosemirror";
import * as Y from "yjs";
import { schema, YJS_FRAGMENT } from "../../schema/prosemirror";
import type { DraftDocument, Peer } from "./draft-document";
import type { DocumentRegistry } from "./registry";

// The server entry and the Remix bundle each load their own copy of this module; a key on
// globalThis lets routes reach the one registry of loaded drafts the collaboration server owns.
const KEY = Symbol.for("accord.collab-registry");
type Holder = { [KEY]?: DocumentRegistry };

/** Makes `registry` the one server-side edits go through (the collaboration server calls this). */
export function setCollabRegistry(registry: DocumentRegistry): void {
  (globalThis as Holder)[KEY] = registry;
}

/** Forgets `registry` if it is the current one (its collaboration server is closing). */
export function clearCollabRegistry(registry: DocumentRegistry): void {
  if ((globalThis as Holder)[KEY] === registry) (globalThis as Holder)[KEY] = undefined;
}

/** Who a server-side edit is attributed to in the update log. */
export interface EditAuthor {
  /** Null for the server itself (a repair): the update log then names no person. */
  userId: string | null;
  delegationCode: string | null;
}

/**
 * A server edit was applied but could not be stored (the draft reloads without it): whoever made it
 * must record nothing of its outcome. Thrown by this module's own copy, so that callers in either
 * bundle recognise it with `instanceof`.
 */
export class EditNotStoredError extends Error {
  readonly code = "edit-not-stored";
  constructor(readonly reason: string) {
    super(`The edit was not stored: ${reason}`);
  }
}

/**
 * The shared map, beside the text, in which a keyed server edit leaves its key: written in the same
 * Yjs transaction as the edit, it is stored with it or not at all, so whether the key is there says
 * whether the edit was made. No client may write or delete in it (see update-check).
 */
export const SERVER_EDIT_KEYS = "accord-server-edits";

/**
 * Applies a change made by the server — an adopted amendment, a restored version — to a draft's
 * live text as one Yjs transaction attributed to `author`. It goes through the loaded document
 * (loading it if need be), so it is stored before it is relayed to every open editor, exactly like
 * a person's edit. Resolves once the change is durable; rejects with EditNotStoredError when it
 * could not be stored.
 *
 * With a `key`, the edit is made at most once in the draft's life: the key is stored with it, and
 * an edit whose key the text already holds is not made again (`alreadyMade`). A workflow that stopped
 * after its edit but before recording it can so run again safely.
 */
export async function editDraft(options: {
  draftId: string;
  author: EditAuthor;
  edit: (doc: Y.Doc) => void;
  key?: string;
}): Promise<{ alreadyMade: boolean }> {
  const registry = (globalThis as Holder)[KEY];
  if (!registry) throw new Error("The collaboration server is not running.");
  const document: DraftDocument = await registry.open(options.draftId);
  let alreadyMade = false;
  try {
    const author = serverAuthor(options.author);
    const { key } = options;
    document.applyServerEdit(author, (doc) => {
      const keys = doc.getMap<number>(SERVER_EDIT_KEYS);
      if (key !== undefined && keys.has(key)) {
        alreadyMade = true;
        return;
      }
      options.edit(doc);
      if (key !== undefined) keys.set(key, Date.now());
    });
    // Any refusal here means the edit did not reach the log (the document's own error type comes
    // from the collaboration server's copy of the module, which callers may not share).
    await document.durable().catch((error: unknown) => {
      throw new EditNotStoredError(error instanceof Error ? error.message : String(error));
    });
  } finally {
    registry.released(document);
  }
  return { alreadyMade };
}

/**
 * Closes writing on a draft before a change of phase that forbids it is committed: every open
 * connection, and any that joins meanwhile, stops being accepted as a writer (told `reason`), and
 * this resolves once everything accepted before is durable, so that a version taken after holds
 * exactly that. Call `reopenDraftWriting` if the change is not made, or when writing reopens.
 * Without a running collaboration server there is nobody to stop.
 */
export async function closeDraftWriting(draftId: string, reason: string): Promise<void> {
  const registry = (globalThis as Holder)[KEY];
  if (!registry) return;
  // Loaded even when nobody has it open: a connection being authorised against the old phase
  // right now joins this document, and must find writing closed.
  for (let attempt = 0; ; attempt += 1) {
    const document = await registry.open(draftId);
    try {
      await document.closeWriting(reason);
      return;
    } catch (error) {
      // The document failed before all of it was stored and is reloaded: close the reloaded one,
      // whose stored text is what the phase's version will hold.
      if (attempt >= 2) throw error;
    } finally {
      registry.released(document);
    }
  }
}

/** Lets a draft's connections write again as the policy allows (see `closeDraftWriting`). */
export async function reopenDraftWriting(draftId: string): Promise<void> {
  const registry = (globalThis as Holder)[KEY];
  if (!registry) return;
  // Only a loaded document can have writing closed: a draft loaded later starts open.
  const loaded = await registry.loaded().catch(() => []);
  for (const document of loaded) if (document.draftId === draftId) document.reopenWriting();
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

/**
 * Changes a draft's live text as ProseMirror sees it: `change` receives the current document, built
 * from the live Yjs document, and returns the document it should become (or null for no change).
 * Only the difference is written into the Yjs document, as one attributed edit, so that others'
 * cursors, anchors and undo history outside the changed part are kept. `change` runs inside the
 * edit: it sees the text exactly as the edit will change it, and may throw to refuse (nothing is
 * stored then).
 */
export async function editDraftText(options: {
  draftId: string;
  author: EditAuthor;
  change: (current: ProseMirrorNode, live: LiveText) => ProseMirrorNode | null;
  /** Makes the edit once in the draft's life (see `editDraft`). */
  key?: string;
}): Promise<{ changed: boolean; alreadyMade: boolean }> {
  let changed = false;
  const { alreadyMade } = await editDraft({
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

// A stand-in connection: the document's update log records it as the author, and nothing is sent
// to it because it never joins the document.
function serverAuthor(author: EditAuthor): Peer {
  return {
    userId: author.userId,
    delegationCode: author.delegationCode,
    presence: { name: "Accord", delegation: null, delegationName: null, color: "#4a5368" },
    canWrite: true,
    clientIds: new Set(),
    setCanWrite: () => undefined,
    send: () => undefined,
    close: () => undefined,
  };
}
