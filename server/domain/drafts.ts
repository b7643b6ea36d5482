import { sql } from "../db/registry";
import { OPEN_STAGE, type Phase, type Stage } from "../auth/phases";
import { can, type Actor } from "../auth/policy";
import type { Queryable } from "../db/connection";
import { newDraftJson, type DocJson } from "../../schema/content";
import { yjsStateFromJson } from "../text-store/initial-state";
import { writeInitialState } from "../text-store/persistence";
import { recordAudit } from "./audit";
import { isUuid } from "./users";
import { DEFAULT_LANGUAGE, type Language } from "../../i18n/languages";

/** A document under negotiation (its text arrives with the collaboration server). */
export interface Draft {
  id: string;
  slug: string;
  title: string;
  /** What the draft is about, in a few sentences. */
  summary: string;
  createdAt: Date;
  updatedAt: Date;
  /** Where the draft stands in its consultation rounds. */
  stage: Stage;
  /** The language its text is written in (set at creation): its `lang`, spelling and hyphenation. */
  language: Language;
}

/** A draft as the policy sees it. */
export function draftResource(draft: Pick<Draft, "id" | "stage">): { type: "draft"; id: string; stage: Stage } {
  return { type: "draft", id: draft.id, stage: draft.stage };
}

/** The longest title a draft may have. */
export const MAX_TITLE_LENGTH = 200;
/** The longest summary a draft may have. */
export const MAX_SUMMARY_LENGTH = 2000;

/** A URL-safe slug from a title: lower case ASCII words joined by hyphens. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug || "draft";
}

/**
 * Creates a draft (the caller has authorised it) with a slug derived from its title, made unique,
 * and its first text: `content`, or the title over an empty clause. A draft is never empty, so two
 * people who start typing at once never build two documents.
 */
export async function createDraft(input: {
  actor: Actor;
  title: string;
  summary?: string;
  slug?: string;
  content?: DocJson;
  /** The language of the text; English when not given. */
  language?: Language;
}): Promise<Draft> {
  const title = input.title.trim();
  const initialState = yjsStateFromJson(input.content ?? newDraftJson(title));
  const base = input.slug ?? slugify(title);
  return sql().begin(async (tx) => {
    const taken = await tx<{ slug: string }[]>`
      SELECT slug FROM drafts WHERE slug = ${base} OR slug LIKE ${`${base}-%`}`;
    const used = new Set(taken.map((row) => row.slug));
    let slug = base;
    for (let n = 2; used.has(slug); n += 1) slug = `${base}-${n}`;
    const [row] = await tx<DraftRow[]>`
      INSERT INTO drafts (slug, title, summary, created_by, language)
      VALUES (${slug}, ${title}, ${input.summary?.trim() ?? ""}, ${input.actor.id}, ${input.language ?? DEFAULT_LANGUAGE})
      RETURNING ${columns()}`;
    if (!row) throw new Error("The draft was not stored.");
    await writeInitialState(row.id, initialState, tx);
    await recordAudit({ actor: input.actor, action: "draft.created", target: { type: "draft", id: row.id }, details: { slug, title, language: row.language } }, tx);
    return toDraft(row);
  });
}

/** The drafts a person may read, most recently changed first. */
export async function listReadableDrafts(actor: Actor): Promise<Draft[]> {
  const rows = await sql()<DraftRow[]>`
    SELECT ${columns()} FROM drafts ORDER BY updated_at DESC, title`;
  return rows.map(toDraft).filter((draft) => can(actor, "draft.read", { type: "draft", id: draft.id }));
}

/** One draft by id, or null (also for a string that is not an id). */
export async function findDraftById(id: string): Promise<Draft | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql()<DraftRow[]>`
    SELECT ${columns()} FROM drafts WHERE id = ${id}`;
  return row ? toDraft(row) : null;
}

/** One draft by slug, or null. */
export async function findDraftBySlug(slug: string): Promise<Draft | null> {
  const [row] = await sql()<DraftRow[]>`
    SELECT ${columns()} FROM drafts WHERE slug = ${slug}`;
  return row ? toDraft(row) : null;
}

/** The stage of each of the given drafts (for re-checking open sockets), by id. */
export async function findDraftStages(ids: readonly string[]): Promise<Map<string, Stage>> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return new Map();
  const rows = await sql()<{ id: string; phase: Phase | null; observers_comment: boolean }[]>`
    SELECT id, phase, observers_comment FROM drafts WHERE id IN ${sql()(valid)}`;
  return new Map(rows.map((row) => [row.id, toStage(row)]));
}

/**
 * Records the draft's new stage: the round now current (or none) and its phase. Only the rounds
 * module calls this, inside the transaction that changes the round.
 */
export async function setDraftStage(tx: Queryable, draftId: string, change: { roundId: string | null; stage: Stage }): Promise<void> {
  await tx`
    UPDATE drafts SET round_id = ${change.roundId}, phase = ${change.stage.phase}, observers_comment = ${change.stage.observersComment}
    WHERE id = ${draftId}`;
}

function columns() {
  return sql()`id, slug, title, summary, created_at, updated_at, phase, observers_comment, language`;
}

function toStage(row: { phase: Phase | null; observers_comment: boolean }): Stage {
  return row.phase === null && !row.observers_comment ? OPEN_STAGE : { phase: row.phase, observersComment: row.observers_comment };
}

interface DraftRow {
  id: string;
  slug: string;
  title: string;
  summary: string;
  created_at: Date;
  updated_at: Date;
  phase: Phase | null;
  observers_comment: boolean;
  language: Language;
}

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    stage: toStage(row),
    language: row.language,
  };
}
