import type { Language } from "../../i18n/languages";
import { t } from "../../i18n/translate";
import type { Actor } from "../auth/actor";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { importWordDocument, type WordImport } from "../word/import-draft";
import type { TrackedChanges } from "../word/tracked-changes";
import { recordAudit } from "./audit";
import { createDraft, MAX_TITLE_LENGTH, type Draft } from "./drafts";
import { isUuid } from "./users";
import { saveVersion } from "./versions";

/** How long an uploaded Word file waits for its draft to be created. */
export const WORD_IMPORT_TTL_HOURS = 24;

/** An uploaded Word file waiting for its preview to be confirmed. */
export interface WordUpload {
  id: string;
  fileName: string;
  bytes: Uint8Array;
  createdAt: Date;
}

/**
 * Keeps a Word file `actor` uploaded to start a draft from, once it has been read whole (a file
 * that cannot be read throws its WordFileError, and nothing is kept). The uploader's earlier files,
 * and everyone's older than a day, are deleted.
 */
export async function storeWordUpload(input: { actor: Actor; fileName: string; bytes: Uint8Array }): Promise<{ id: string; preview: WordImport }> {
  const preview = importWordDocument(input.bytes, { trackedChanges: "accept" });
  const fileName = cleanFileName(input.fileName);
  const id = await sql().begin(async (tx) => {
    await tx`DELETE FROM word_imports WHERE (user_id = ${input.actor.id} AND draft_id IS NULL) OR created_at < now() - make_interval(hours => ${WORD_IMPORT_TTL_HOURS})`;
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO word_imports (user_id, file_name, bytes) VALUES (${input.actor.id}, ${fileName}, ${Buffer.from(input.bytes)}) RETURNING id`;
    if (!row) throw new Error("The upload was not stored.");
    return row.id;
  });
  return { id, preview };
}

/** `actor`'s own uploaded file `id`, while it waits; null for anyone else's, or once gone. */
export async function findWordUpload(input: { actor: Actor; id: string }): Promise<WordUpload | null> {
  if (!isUuid(input.id)) return null;
  const [row] = await sql()<{ id: string; file_name: string; bytes: Uint8Array; created_at: Date }[]>`
    SELECT id, file_name, bytes, created_at FROM word_imports
    WHERE id = ${input.id} AND user_id = ${input.actor.id} AND draft_id IS NULL AND created_at >= now() - make_interval(hours => ${WORD_IMPORT_TTL_HOURS})`;
  return row ? { id: row.id, fileName: row.file_name, bytes: row.bytes, createdAt: row.created_at } : null;
}

/** What the uploaded file becomes, with its tracked changes accepted or rejected. */
export function previewWordUpload(upload: WordUpload, trackedChanges: TrackedChanges): WordImport {
  return importWordDocument(upload.bytes, { trackedChanges });
}

/**
 * Creates a draft from an uploaded file (the caller has authorised it): its text as the preview
 * showed it, saved at once as the draft's first version; the file is deleted and the import audited
 * with what could not be kept.
 */
export async function createDraftFromUpload(live: Live, input: {
  actor: Actor;
  upload: WordUpload;
  title: string;
  language: Language;
  trackedChanges: TrackedChanges;
}): Promise<Draft> {
  const imported = previewWordUpload(input.upload, input.trackedChanges);
  const title = (input.title.trim() || imported.title || input.upload.fileName).slice(0, MAX_TITLE_LENGTH);
  const content = withTitle(imported.content, title);
  const draft = await createDraft({ actor: input.actor, title, content, language: input.language });
  await sql().begin(async (tx) => {
    await tx`DELETE FROM word_imports WHERE id = ${input.upload.id}`;
    await recordAudit(
      {
        actor: input.actor,
        action: "draft.imported",
        target: { type: "draft", id: draft.id },
        details: { file: input.upload.fileName, trackedChanges: imported.trackedChanges > 0 ? input.trackedChanges : "none", lost: Object.fromEntries(imported.lost.map((item) => [item.kind, item.count])) },
      },
      tx,
    );
  });
  // Saved by the person who imported it, so named in their language as a name they typed would be.
  await saveVersion(live, { actor: input.actor, draftId: draft.id, name: t("versions.importedName", { file: input.upload.fileName }), kind: "manual" });
  return draft;
}

// The text's title is the one the person confirmed.
function withTitle(content: WordImport["content"], title: string): WordImport["content"] {
  const [first, ...rest] = content.content ?? [];
  if (first?.type !== "title") return content;
  return { ...content, content: [{ type: "title", content: title ? [{ type: "text", text: title }] : [] }, ...rest] };
}

// The name a file had on the uploader's computer, without its folders or control characters.
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 255);
  return clean || "document.docx";
}
