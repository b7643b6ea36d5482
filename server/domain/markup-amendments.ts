import type { Actor } from "../auth/actor";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { readMarkedUpDocument, type MarkedUpDocument } from "../word/read-markup";
import { MAX_PROPOSED_LENGTH, MAX_RATIONALE_LENGTH, tableAmendment } from "./amendments";
import { createThread, type Visibility } from "./annotations";
import { DomainError } from "./messages";
import { proposeFromMarkup, type MarkupProposals } from "./markup-proposals";
import { isUuid } from "./users";
import { loadStoredText } from "./versions";
import { WORD_IMPORT_TTL_HOURS, type WordUpload } from "./word-imports";

/** A marked-up file that is not a copy of this draft's Word export (no clause of it is found). */
export class NotThisDraftError extends DomainError {
  constructor() {
    super("markup.notThisDraft");
  }
}

/** What the delegation chose to table, with its own edits, and which comments become threads. */
export interface MarkupChoices {
  amendments: { key: string; proposed: string; rationale: string }[];
  notes: { key: string; visibility: Visibility }[];
}

/** Why a choice is refused: its words are gone or changed since the review, or its text is empty or too long. */
export type MarkupRefusal = "gone" | "moved" | "empty" | "noRationale" | "tooLong";

/** Choices the text no longer allows, by proposal key, with the reason to show beside each. */
export class MarkupChoiceError extends DomainError {
  constructor(readonly refused: Map<string, MarkupRefusal>) {
    super("markup.choicesRefused", { count: refused.size });
  }
}

/**
 * Keeps a capital's marked-up copy of a draft's Word export for `actor` to review: the file must be
 * read whole (else its WordFileError) and name clauses of this draft (else NotThisDraftError);
 * nothing is kept otherwise. The uploader's earlier file for the same draft is replaced.
 */
export async function storeMarkupUpload(input: { actor: Actor; draftId: string; fileName: string; bytes: Uint8Array }): Promise<string> {
  const markup = readMarkupOf(input.draftId, input.bytes);
  const { node } = await loadStoredText(input.draftId);
  const found = proposeFromMarkup(node, markup);
  const known = [...found.proposals, ...found.notes].some((item) => item.clauseNumber !== null);
  if (!known) throw new NotThisDraftError();
  return sql().begin(async (tx) => {
    await tx`DELETE FROM word_imports WHERE (user_id = ${input.actor.id} AND draft_id = ${input.draftId}) OR created_at < now() - make_interval(hours => ${WORD_IMPORT_TTL_HOURS})`;
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO word_imports (user_id, draft_id, file_name, bytes) VALUES (${input.actor.id}, ${input.draftId}, ${input.fileName.split(/[\\/]/).pop()?.slice(0, 255) || "markup.docx"}, ${Buffer.from(input.bytes)})
      RETURNING id`;
    if (!row) throw new Error("The upload was not stored.");
    return row.id;
  });
}

/** `actor`'s own marked-up file `id` for the draft, while it waits; null otherwise. */
export async function findMarkupUpload(input: { actor: Actor; draftId: string; id: string }): Promise<WordUpload | null> {
  if (!isUuid(input.id)) return null;
  const [row] = await sql()<{ id: string; file_name: string; bytes: Uint8Array; created_at: Date }[]>`
    SELECT id, file_name, bytes, created_at FROM word_imports
    WHERE id = ${input.id} AND user_id = ${input.actor.id} AND draft_id = ${input.draftId}
      AND created_at >= now() - make_interval(hours => ${WORD_IMPORT_TTL_HOURS})`;
  return row ? { id: row.id, fileName: row.file_name, bytes: row.bytes, createdAt: row.created_at } : null;
}

/** What the marked-up file proposes against the draft's living text now. */
export async function markupProposals(draftId: string, upload: WordUpload): Promise<MarkupProposals> {
  const { node } = await loadStoredText(draftId);
  return proposeFromMarkup(node, readMarkupOf(draftId, upload.bytes));
}

// A copy of another draft's download is not this draft's, whatever clause ids it shares.
function readMarkupOf(draftId: string, bytes: Uint8Array): MarkedUpDocument {
  const markup = readMarkedUpDocument(bytes);
  if (markup.baseline && markup.baseline.draftId !== draftId) throw new NotThisDraftError();
  return markup;
}

/**
 * Tables the chosen amendments for the actor's delegation, each with the text and rationale the
 * delegation left it, and starts the chosen comment threads (the caller has authorised both). The
 * choices are checked against the living text as it is now, all before any is tabled: when one no
 * longer applies, nothing is tabled and MarkupChoiceError says which. The file is then deleted.
 */
export async function tableMarkup(live: Live, input: { actor: Actor; draftId: string; upload: WordUpload; choices: MarkupChoices }): Promise<{ tabled: number; threads: number }> {
  const found = await markupProposals(input.draftId, input.upload);
  const proposals = new Map(found.proposals.map((proposal) => [proposal.key, proposal]));
  const notes = new Map(found.notes.map((note) => [note.key, note]));
  const refused = new Map<string, MarkupRefusal>();
  for (const choice of input.choices.amendments) {
    const proposal = proposals.get(choice.key);
    const needsText = proposal && proposal.kind !== "delete";
    if (!proposal?.range) refused.set(choice.key, proposal ? "moved" : "gone");
    else if (needsText && !choice.proposed.trim()) refused.set(choice.key, "empty");
    // Every amendment says why (tableAmendment refuses one without): checked with the rest, before any is tabled.
    else if (!choice.rationale.trim()) refused.set(choice.key, "noRationale");
    else if (choice.proposed.length > MAX_PROPOSED_LENGTH || choice.rationale.length > MAX_RATIONALE_LENGTH) refused.set(choice.key, "tooLong");
  }
  for (const choice of input.choices.notes) if (!notes.get(choice.key)?.range) refused.set(choice.key, "gone");
  if (refused.size) throw new MarkupChoiceError(refused);
  let tabled = 0;
  for (const choice of input.choices.amendments) {
    const proposal = proposals.get(choice.key);
    if (!proposal?.range) continue;
    // A side-by-side decision replaces (or deletes) the paragraph as it is now.
    const kind = proposal.sideBySide && proposal.kind !== "delete" ? "replace" : proposal.kind;
    await tableAmendment(live, { actor: input.actor, draftId: input.draftId, kind, range: proposal.range, proposed: kind === "delete" ? "" : choice.proposed, rationale: choice.rationale });
    tabled += 1;
  }
  let threads = 0;
  for (const choice of input.choices.notes) {
    const note = notes.get(choice.key);
    if (!note?.range) continue;
    await createThread(live, { actor: input.actor, draftId: input.draftId, range: note.range, body: note.text, visibility: choice.visibility });
    threads += 1;
  }
  await sql()`DELETE FROM word_imports WHERE id = ${input.upload.id}`;
  return { tabled, threads };
}

