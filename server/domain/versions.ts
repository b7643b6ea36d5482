import type { Node as PMNode } from "prosemirror-model";
import { prosemirrorToYDoc } from "y-prosemirror";
import * as Y from "yjs";
import type { DocJson } from "../../schema/content";
import { schema, YJS_FRAGMENT } from "../../schema/prosemirror";
import type { Actor } from "../auth/policy";
import { loadStoredDraftText } from "../text-store/current-text";
import type { Live } from "../live";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import { canonicalJson, contentHash } from "../render/canonical";
import { renderDocumentHtml } from "../render/html";
import type { MessageParams } from "../../i18n/translate";
import { recordAudit } from "./audit";
import { editText } from "./live-texts";
import { message, storedMessage, type Message } from "./messages";

/** Why a version was saved. */
export const VERSION_KINDS = ["manual", "phase", "adopted", "restore-point"] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/** The longest name and note a version may have. */
export const MAX_VERSION_NAME_LENGTH = 200;
export const MAX_VERSION_NOTE_LENGTH = 2000;

/**
 * A version's name: the words a person typed when saving it, or, for a version the server saved
 * (at a change of phase, an adoption, a restore), a message the pages translate.
 */
export type VersionName = string | Message;

/** A version as lists show it. */
export interface VersionSummary {
  id: string;
  draftId: string;
  number: number;
  name: VersionName;
  note: string;
  kind: VersionKind;
  authorId: string | null;
  authorName: string | null;
  delegationCode: string | null;
  createdAt: Date;
  sha256: string;
}

/** A whole version: its text as Yjs state, canonical ProseMirror JSON and rendered HTML. */
export interface Version extends VersionSummary {
  yjsState: Uint8Array;
  content: DocJson;
  html: string;
}

/**
 * A draft's current stored text: its Yjs state and the ProseMirror document built from it through
 * the normalising conversion (schema/normalize.ts), and whether the state already says exactly that
 * document (false for text stored before the schema was enforced, until it is repaired).
 */
export async function loadStoredText(draftId: string): Promise<{ state: Uint8Array; node: PMNode; valid: boolean }> {
  const { state, node, valid } = await loadStoredDraftText(draftId);
  return { state, node, valid };
}

/**
 * Saves the draft's current stored text as its next version (the caller has authorised it): the
 * Yjs state, the canonical JSON, the HTML and the hash, numbered after the draft's last version and
 * audited in the same transaction. `actor` is null for versions saved automatically.
 *
 * A version only ever holds text that passes the schema's `check()`. When the stored text is outside
 * the schema (written before the schema was enforced), the draft is first repaired (one edit by the
 * server, audited as `draft.repaired`), so that the version and the draft say the same; where no
 * repair can be made (the collaboration server is not running yet, as for a phase change applied
 * at start-up), the version holds the normalised text, and the start-up check repairs the draft.
 */
export async function saveVersion(live: Live, input: {
  actor: Actor | null;
  draftId: string;
  name: VersionName;
  note?: string;
  kind: VersionKind;
  /** The text to save instead of the stored text (a restore point: the text a restore replaced). */
  text?: { state: Uint8Array; node: PMNode };
  /**
   * What the version is saved for, when a step that may run twice saves it (`motion:<id>`): a
   * version of the draft with the same origin is returned instead of saving another.
   */
  origin?: string;
}): Promise<Version> {
  if (input.origin !== undefined) {
    const saved = await findVersionByOrigin(input.draftId, input.origin);
    if (saved) return saved;
  }
  const { state, node } = input.text ?? (await loadValidText(live, input.draftId));
  const content = canonicalJson(node);
  const html = renderDocumentHtml(node);
  const sha256 = contentHash(node);
  const name = typeof input.name === "string" ? input.name.trim() : input.name;
  const typed = typeof name === "string" ? name : null;
  const made = typeof name === "string" ? null : name;
  const note = input.note?.trim() ?? "";
  return sql().begin(async (tx) => {
    // Versions of one draft are numbered one at a time: the draft row is the lock.
    const [draft] = await tx<{ id: string }[]>`SELECT id FROM drafts WHERE id = ${input.draftId} FOR UPDATE`;
    if (!draft) throw new Error(`There is no draft ${input.draftId}.`);
    if (input.origin !== undefined) {
      const [saved] = await tx<VersionRow[]>`${selectVersions(tx, true)} WHERE v.draft_id = ${input.draftId} AND v.origin = ${input.origin}`;
      if (saved) return toVersion(saved);
    }
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO versions (draft_id, number, name, name_key, name_params, note, kind, author_id, delegation_code, yjs_state, content, html, sha256, origin)
      SELECT ${input.draftId}, coalesce(max(number), 0) + 1, ${typed}, ${made?.key ?? null}, ${made ? tx.json(made.params) : null}, ${note}, ${input.kind},
             ${input.actor?.id ?? null}, ${input.actor?.delegationCode ?? null}, ${Buffer.from(state)},
             ${tx.json(content as unknown as Parameters<typeof tx.json>[0])}, ${html}, ${sha256}, ${input.origin ?? null}
      FROM versions WHERE draft_id = ${input.draftId}
      RETURNING id`;
    if (!row) throw new Error("The version was not stored.");
    const [stored] = await tx<VersionRow[]>`${selectVersions(tx, true)} WHERE v.id = ${row.id}`;
    if (!stored) throw new Error("The version was not stored.");
    const version = toVersion(stored);
    await recordAudit(
      {
        actor: input.actor,
        action: "version.saved",
        target: { type: "draft", id: input.draftId },
        details: { versionId: version.id, number: version.number, name, kind: input.kind, sha256 },
      },
      tx,
    );
    return version;
  });
}

// The stored text, repaired first when it needs it, with a Yjs state that says exactly that text.
async function loadValidText(live: Live, draftId: string): Promise<{ state: Uint8Array; node: PMNode }> {
  const stored = await loadStoredText(draftId);
  if (stored.valid) return stored;
  const repaired = await live.texts.repair(draftId).then(
    () => loadStoredText(draftId),
    () => null,
  );
  if (repaired?.valid) return repaired;
  const doc = prosemirrorToYDoc(stored.node, YJS_FRAGMENT);
  try {
    return { state: Y.encodeStateAsUpdate(doc), node: stored.node };
  } finally {
    doc.destroy();
  }
}

/**
 * Brings a version's text back into the draft's live text as one new edit attributed to `actor`
 * (the caller has authorised it), and audits it. History is kept: the update log only grows, and
 * when the text it replaced differs from the draft's latest version it is saved as a restore point.
 * Nothing is recorded unless the edit is stored: a restore that could not be stored throws
 * EditNotStoredError, leaving the text, the versions and the audit trail as they were.
 * Returns null when the draft has no such version.
 */
export async function restoreVersion(live: Live, input: {
  actor: Actor;
  draftId: string;
  number: number;
}): Promise<{ version: Version; changed: boolean; restorePoint: Version | null } | null> {
  const version = await findVersion(input.draftId, input.number);
  if (!version) return null;
  const [latest] = await listVersions(input.draftId);
  const target = schema.nodeFromJSON(version.content);
  // The text the restore replaces, exactly as the live document held it.
  const before: { text?: { state: Uint8Array; node: PMNode } } = {};
  const { changed } = await editText(live.texts, {
    draftId: input.draftId,
    author: { userId: input.actor.id, delegationCode: input.actor.delegationCode },
    change: (current, live) => {
      before.text = { state: Y.encodeStateAsUpdate(live.doc), node: current };
      return target;
    },
  });
  const replacedHash = before.text ? contentHash(before.text.node) : null;
  const restorePoint =
    !before.text || replacedHash === latest?.sha256 || replacedHash === version.sha256
      ? null
      : await saveVersion(live, {
          actor: input.actor,
          draftId: input.draftId,
          name: message("versions.restorePointName", { number: version.number }),
          kind: "restore-point",
          text: before.text,
        });
  await recordAudit({
    actor: input.actor,
    action: "version.restored",
    target: { type: "draft", id: input.draftId },
    details: { versionId: version.id, number: version.number, sha256: version.sha256, changed, restorePoint: restorePoint?.number ?? null },
  });
  return { version, changed, restorePoint };
}

/** A draft's versions, newest first, without their text. */
export async function listVersions(draftId: string): Promise<VersionSummary[]> {
  const rows = await sql()<VersionRow[]>`${selectVersions(sql(), false)} WHERE v.draft_id = ${draftId} ORDER BY v.number DESC`;
  return rows.map(toSummary);
}

/** One version of a draft by its number, with its text; null when there is none. */
export async function findVersion(draftId: string, number: number): Promise<Version | null> {
  if (!Number.isSafeInteger(number) || number < 1) return null;
  const [row] = await sql()<VersionRow[]>`${selectVersions(sql(), true)} WHERE v.draft_id = ${draftId} AND v.number = ${number}`;
  return row ? toVersion(row) : null;
}

// The version a step saved for `origin`, or null.
async function findVersionByOrigin(draftId: string, origin: string): Promise<Version | null> {
  const [row] = await sql()<VersionRow[]>`${selectVersions(sql(), true)} WHERE v.draft_id = ${draftId} AND v.origin = ${origin}`;
  return row ? toVersion(row) : null;
}

/** One version by id, with its text; null when there is none. */
export async function findVersionById(id: string): Promise<Version | null> {
  const [row] = await sql()<VersionRow[]>`${selectVersions(sql(), true)} WHERE v.id = ${id}`;
  return row ? toVersion(row) : null;
}

function selectVersions(db: Queryable, withText: boolean) {
  return db`
    SELECT v.id, v.draft_id, v.number, v.name, v.name_key, v.name_params, v.note, v.kind, v.author_id, u.display_name AS author_name,
           v.delegation_code, v.created_at, v.sha256
           ${withText ? db`, v.yjs_state, v.content, v.html` : db``}
    FROM versions v LEFT JOIN users u ON u.id = v.author_id`;
}

interface VersionRow {
  id: string;
  draft_id: string;
  number: number;
  name: string | null;
  name_key: string | null;
  name_params: MessageParams | null;
  note: string;
  kind: VersionKind;
  author_id: string | null;
  author_name: string | null;
  delegation_code: string | null;
  created_at: Date;
  sha256: string;
  yjs_state?: Uint8Array;
  content?: DocJson;
  html?: string;
}

function toSummary(row: VersionRow): VersionSummary {
  return {
    id: row.id,
    draftId: row.draft_id,
    number: row.number,
    name: storedMessage(row.name_key, row.name_params) ?? row.name ?? "",
    note: row.note,
    kind: row.kind,
    authorId: row.author_id,
    authorName: row.author_name,
    delegationCode: row.delegation_code,
    createdAt: row.created_at,
    sha256: row.sha256,
  };
}

function toVersion(row: VersionRow): Version {
  if (!row.yjs_state || !row.content || row.html === undefined) throw new Error("The version was read without its text.");
  // jsonb keeps its own key order: the canonical order is restored on the way out.
  return { ...toSummary(row), yjsState: new Uint8Array(row.yjs_state), content: canonicalJson(row.content), html: row.html };
}
