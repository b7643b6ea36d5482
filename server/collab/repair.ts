import { fragmentMapping, readFragmentText, rewriteFragment, textFragment } from "../../schema/normalize-yjs";
import { sql } from "../db/registry";
import { recordAudit } from "../domain/audit";
import { contentHash } from "../render/canonical";
import { loadStoredDraftText } from "../text-store/current-text";
import type { EditAuthor } from "../domain/live-texts";
import type { ServerEdits } from "./server-edits";

/**
 * Who repairs are attributed to: the server itself. The update log and the audit trail record no
 * person for it (a null user, as the scheduler's own actions have), which the database accepts.
 */
export const SYSTEM_AUTHOR: EditAuthor = { userId: null, delegationCode: null };

/**
 * Rewrites a draft's live text into its normalised form (schema/normalize.ts) when the stored text
 * is not already exactly that: one server edit attributed to `author`, stored before any editor
 * sees it, and audited as `draft.repaired`. Only what differs is rewritten. A draft whose text is
 * valid, or whose stored state cannot be read at all, is left alone. Needs the collaboration
 * server (the edit goes through the live document, so open editors receive it).
 */
export async function repairDraft(edits: ServerEdits, input: { draftId: string; author: EditAuthor }): Promise<{ repaired: boolean }> {
  const stored = await loadStoredDraftText(input.draftId);
  if (stored.valid || !stored.readable) return { repaired: false };
  const result: { sha256: string | null } = { sha256: null };
  await edits.editDocument({
    draftId: input.draftId,
    author: input.author,
    // Decided again on the live document: someone may have typed since the stored text was read.
    // The text is read with the normaliser, never y-prosemirror's initProseMirrorDoc, which would
    // delete what it cannot build (and the words in it) before the repair could place them.
    edit: (doc) => {
      const fragment = textFragment(doc);
      if (!fragment) return;
      const node = readFragmentText(fragment);
      if (fragmentMapping(fragment, node)) return;
      rewriteFragment(doc, fragment, node);
      result.sha256 = contentHash(node);
    },
  });
  if (result.sha256 === null) return { repaired: false };
  await recordAudit({
    actor: input.author.userId ? { id: input.author.userId, delegationCode: input.author.delegationCode } : null,
    action: "draft.repaired",
    target: { type: "draft", id: input.draftId },
    details: { sha256: result.sha256 },
  });
  return { repaired: true };
}

/** What a check of every draft found, and did. */
export interface RepairReport {
  checked: number;
  /** Drafts whose stored text was outside the schema (repaired unless a dry run). */
  invalid: string[];
  repaired: string[];
  /** Drafts whose check or repair failed, with why. */
  failed: { draftId: string; error: string }[];
}

/**
 * Checks every draft's stored text and, unless `dryRun`, repairs those outside the schema, one
 * draft at a time (so that a large installation is never loaded at once). `stopped` is asked
 * between drafts: a server shutting down ends the check there.
 */
export async function checkAllDrafts(edits: ServerEdits, options: { dryRun?: boolean; author?: EditAuthor; stopped?: () => boolean } = {}): Promise<RepairReport> {
  const report: RepairReport = { checked: 0, invalid: [], repaired: [], failed: [] };
  for (const draftId of await listDraftIds()) {
    if (options.stopped?.()) break;
    try {
      report.checked += 1;
      const stored = await loadStoredDraftText(draftId);
      if (stored.valid) continue;
      report.invalid.push(draftId);
      if (options.dryRun) continue;
      const { repaired } = await repairDraft(edits, { draftId, author: options.author ?? SYSTEM_AUTHOR });
      if (repaired) report.repaired.push(draftId);
    } catch (error) {
      report.failed.push({ draftId, error: error instanceof Error ? error.message : String(error) });
    }
    // Other work (requests, editors) runs between drafts.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return report;
}

// Every draft, oldest first: the text lives in the update log, whatever the draft's phase.
async function listDraftIds(): Promise<string[]> {
  const rows = await sql()<{ id: string }[]>`SELECT id FROM drafts ORDER BY created_at, id`;
  return rows.map((row) => row.id);
}
