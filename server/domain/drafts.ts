import { sql } from "../db/registry";
import { can, type Actor } from "../auth/policy";
import { newDraftJson, type DocJson } from "../../schema/content";
import { yjsStateFromJson } from "../collab/initial-state";
import { writeInitialState } from "../collab/persistence";
import { recordAudit } from "./audit";
import { isUuid } from "./users";

/** A document under negotiation (its text arrives with the collaboration server). */
export interface Draft {
  id: string;
  slug: string;
  title: string;
  /** What the draft is about, in a few sentences. */
  summary: string;
  createdAt: Date;
  updatedAt: Date;
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
      INSERT INTO drafts (slug, title, summary, created_by)
      VALUES (${slug}, ${title}, ${input.summary?.trim() ?? ""}, ${input.actor.id})
      RETURNING id, slug, title, summary, created_at, updated_at`;
    if (!row) throw new Error("The draft was not stored.");
    await writeInitialState(row.id, initialState, tx);
    await recordAudit({ actor: input.actor, action: "draft.created", target: { type: "draft", id: row.id }, details: { slug, title } }, tx);
    return toDraft(row);
  });
}

/** The drafts a person may read, most recently changed first. */
export async function listReadableDrafts(actor: Actor): Promise<Draft[]> {
  const rows = await sql()<DraftRow[]>`
    SELECT id, slug, title, summary, created_at, updated_at FROM drafts ORDER BY updated_at DESC, title`;
  return rows.map(toDraft).filter((draft) => can(actor, "draft.read", { type: "draft", id: draft.id }));
}

/** One draft by id, or null (also for a string that is not an id). */
export async function findDraftById(id: string): Promise<Draft | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql()<DraftRow[]>`
    SELECT id, slug, title, summary, created_at, updated_at FROM drafts WHERE id = ${id}`;
  return row ? toDraft(row) : null;
}

/** One draft by slug, or null. */
export async function findDraftBySlug(slug: string): Promise<Draft | null> {
  const [row] = await sql()<DraftRow[]>`
    SELECT id, slug, title, summary, created_at, updated_at FROM drafts WHERE slug = ${slug}`;
  return row ? toDraft(row) : null;
}

interface DraftRow {
  id: string;
  slug: string;
  title: string;
  summary: string;
  created_at: Date;
  updated_at: Date;
}

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
