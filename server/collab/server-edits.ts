import type { Message } from "../domain/messages";
import { EditNotStoredError, type DocumentEdit, type EditAuthor, type LiveTexts } from "../domain/live-texts";
import type { DraftDocument, Peer } from "./draft-document";
import type { DocumentRegistry } from "./registry";
import { repairDraft, SYSTEM_AUTHOR } from "./repair";

/**
 * The shared map, beside the text, in which a keyed server edit leaves its key: written in the same
 * Yjs transaction as the edit, it is stored with it or not at all, so whether the key is there says
 * whether the edit was made. No client may write or delete in it (see update-check).
 */
export const SERVER_EDIT_KEYS = "accord-server-edits";

/**
 * The collaboration server's side of the domain's live-texts port: every change goes through the
 * loaded document of the draft (loading it if need be), so it is stored before it is relayed to
 * every open editor, exactly like a person's edit. Created by the collaboration server with its
 * registry of loaded drafts (as Hocuspocus hands out direct connections).
 */
export class ServerEdits implements LiveTexts {
  constructor(private readonly registry: DocumentRegistry) {}

  /**
   * Applies a change to a draft's Yjs document as one transaction attributed to `author`; resolves
   * once it is durable, and rejects with EditNotStoredError when it could not be stored.
   *
   * With a `key`, the edit is made at most once in the draft's life: the key is stored with it, and
   * an edit whose key the text already holds is not made again (`alreadyMade`). A workflow that
   * stopped after its edit but before recording it can so run again safely.
   */
  async editDocument(options: DocumentEdit): Promise<{ alreadyMade: boolean }> {
    const document: DraftDocument = await this.registry.open(options.draftId);
    let alreadyMade = false;
    try {
      // The edit sees everything stored, by any instance: a key made elsewhere is found.
      await document.catchUp();
      const { key } = options;
      document.applyServerEdit(serverAuthor(options.author), (doc) => {
        const keys = doc.getMap<number>(SERVER_EDIT_KEYS);
        if (key !== undefined && keys.has(key)) {
          alreadyMade = true;
          return;
        }
        options.edit(doc);
        if (key !== undefined) keys.set(key, Date.now());
      });
      // Any refusal here means the edit did not reach the log.
      await document.durable().catch((error: unknown) => {
        throw new EditNotStoredError(error instanceof Error ? error.message : String(error));
      });
    } finally {
      this.registry.released(document);
    }
    return { alreadyMade };
  }

  /** Repairs a draft's stored text into the schema, attributed to the server (see repair.ts). */
  async repair(draftId: string): Promise<boolean> {
    return (await repairDraft(this, { draftId, author: SYSTEM_AUTHOR })).repaired;
  }

  /**
   * Closes writing on a draft before a change of phase that forbids it is committed: every open
   * connection, and any that joins meanwhile, stops being accepted as a writer (told `reason`), and
   * this resolves once everything accepted before is durable, so that a version taken after holds
   * exactly that. Call `reopenWriting` if the change is not made, or when writing reopens.
   */
  async closeWriting(draftId: string, reason: Message): Promise<void> {
    // Loaded even when nobody has it open: a connection being authorised against the old phase
    // right now joins this document, and must find writing closed.
    for (let attempt = 0; ; attempt += 1) {
      const document = await this.registry.open(draftId);
      try {
        await document.closeWriting(reason);
        return;
      } catch (error) {
        // The document failed before all of it was stored and is reloaded: close the reloaded one,
        // whose stored text is what the phase's version will hold.
        if (attempt >= 2) throw error;
      } finally {
        this.registry.released(document);
      }
    }
  }

  /** Lets a draft's connections write again as the policy allows (see `closeWriting`). */
  async reopenWriting(draftId: string): Promise<void> {
    // Only a loaded document can have writing closed: a draft loaded later starts open.
    const loaded = await this.registry.loaded().catch(() => []);
    for (const document of loaded) if (document.draftId === draftId) document.reopenWriting();
  }
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
