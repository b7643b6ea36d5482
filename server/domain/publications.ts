import type { Language } from "../../i18n/languages";
import { bracketsIn, showBrackets } from "../../schema/brackets";
import type { DocJson } from "../../schema/content";
import { normalizeDocument } from "../../schema/normalize";
import type { Actor } from "../auth/policy";
import { sql } from "../db/registry";
import { contentHash } from "../render/canonical";
import { renderDocumentHtml } from "../render/html";
import type { Live } from "../live";
import { recordAudit } from "./audit";
import { findDraftById, findDraftBySlug, type Draft } from "./drafts";
import { DomainError } from "./messages";
import { parsePublicationRecord, takePublicationRecord, type PublicationRecord } from "./publication-record";
import { isUuid } from "./users";
import { findVersion, findVersionById, listVersions, type VersionSummary } from "./versions";

/** How amendments and positions appear in a publication's public views. */
export const ATTRIBUTIONS = ["anonymous", "named"] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

/** What the public reads of a text's square brackets: the brackets, or the clean text of the first alternatives. */
export const BRACKET_VIEWS = ["bracketed", "clean"] as const;
export type BracketView = (typeof BRACKET_VIEWS)[number];

/** The longest public title, summary and status label a publication may have. */
export const MAX_PUBLIC_TITLE_LENGTH = 200;
export const MAX_PUBLICATION_SUMMARY_LENGTH = 2000;
export const MAX_STATUS_LABEL_LENGTH = 100;

/** A published version as the public sees it (without its text). */
export interface Publication {
  id: string;
  draftId: string;
  draftSlug: string;
  /** The language the text is written in (its draft's). */
  language: Language;
  versionId: string;
  versionNumber: number;
  /** When the version was saved: the date the public text carries. */
  versionDate: Date;
  sha256: string;
  publicTitle: string;
  summary: string;
  statusLabel: string;
  attribution: Attribution;
  /** Whether the public sees the text's square brackets, or the clean text of the first alternatives. */
  brackets: BracketView;
  publishedAt: Date;
  /** The amendments and positions as they stood when it was published. */
  record: PublicationRecord;
}

/**
 * A publication with its version's text as published: with its square brackets, or, for a clean
 * publication, the first alternative of each as plain text (the brackets are not published).
 */
export interface PublishedText extends Publication {
  content: DocJson;
  html: string;
  /** How many brackets the version's text has open, shown or not. */
  openBrackets: number;
}

/** A draft with at least one publication, as the public list of texts shows it. */
export interface PublishedDraft {
  slug: string;
  latest: Publication;
  publicationCount: number;
}

/** The draft has no version with that number. */
export class UnknownVersionError extends DomainError {
  constructor(readonly versionNumber: number) {
    super("error.version.unknown", { number: versionNumber });
  }
}

/** The version is already published: a publication never changes, a correction is a new version. */
export class AlreadyPublishedError extends DomainError {
  constructor(readonly versionNumber: number) {
    super("publish.already");
  }
}

/**
 * The version's stored text does not read back as the text that was hashed when it was saved: it
 * was stored before versions were checked against the schema and fails `check()` (or was altered
 * since). A publication must be exactly its hash: a new version of the draft is saved instead.
 */
export class InvalidVersionTextError extends DomainError {
  constructor(readonly versionNumber: number) {
    super("publish.invalidText");
  }
}

/**
 * Publishes a version of a draft (the caller has authorised it) with its public title, summary,
 * status label, attribution and bracket view, audited in the same transaction. A version is
 * published at most once; neither it nor its publication ever changes afterwards. A version whose
 * text does not pass the schema's `check()` is refused (`InvalidVersionTextError`). A version
 * without open brackets is published as it is, recorded as "bracketed": there is nothing to clean.
 */
export async function publishVersion(live: Live, input: {
  actor: Actor;
  draftId: string;
  versionNumber: number;
  publicTitle: string;
  summary: string;
  statusLabel: string;
  attribution: Attribution;
  /** Bracketed unless given. */
  brackets?: BracketView;
}): Promise<Publication> {
  const version = await findVersion(input.draftId, input.versionNumber);
  if (!version) throw new UnknownVersionError(input.versionNumber);
  // Read back, a version's text goes through the normalising conversion: text that was outside the
  // schema comes back changed, and so no longer matches its hash.
  if (contentHash(version.content) !== version.sha256) throw new InvalidVersionTextError(version.number);
  const record = await takePublicationRecord(input.draftId, version.content);
  const publicTitle = input.publicTitle.trim();
  const summary = input.summary.trim();
  const statusLabel = input.statusLabel.trim();
  const brackets = bracketsIn(normalizeDocument(version.content)).length > 0 ? (input.brackets ?? "bracketed") : "bracketed";
  const id = await sql().begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO publications (draft_id, version_id, public_title, summary, status_label, attribution, brackets, published_by, record)
      VALUES (${input.draftId}, ${version.id}, ${publicTitle}, ${summary}, ${statusLabel}, ${input.attribution}, ${brackets}, ${input.actor.id},
              ${tx.json(record as unknown as Parameters<typeof tx.json>[0])})
      ON CONFLICT (version_id) DO NOTHING
      RETURNING id`;
    if (!row) throw new AlreadyPublishedError(version.number);
    await recordAudit(
      {
        actor: input.actor,
        action: "version.published",
        target: { type: "draft", id: input.draftId },
        details: { publicationId: row.id, versionId: version.id, number: version.number, publicTitle, statusLabel, attribution: input.attribution, brackets, sha256: version.sha256 },
      },
      tx,
    );
    return row.id;
  });
  live.publicContent.changed();
  const draft = await findDraftById(input.draftId);
  const publication = draft ? (await publicationsOf(draft)).find((candidate) => candidate.id === id) : undefined;
  if (!publication) throw new Error("The publication was not stored.");
  return publication;
}

/** The drafts with at least one publication, most recently published first. */
export async function listPublishedDrafts(): Promise<PublishedDraft[]> {
  const rows = await sql()<{ draft_id: string; latest_at: Date }[]>`
    SELECT draft_id, max(published_at) AS latest_at FROM publications GROUP BY draft_id ORDER BY latest_at DESC`;
  const drafts = await Promise.all(
    rows.map(async (row) => {
      const draft = await findDraftById(row.draft_id);
      const publications = draft ? await publicationsOf(draft) : [];
      const [latest] = publications;
      return draft && latest ? { slug: draft.slug, latest, publicationCount: publications.length } : null;
    }),
  );
  return drafts.filter((draft) => draft !== null);
}

/** A draft's publications, highest version first; empty for a draft that does not exist or has none. */
export async function listPublications(slug: string): Promise<Publication[]> {
  const draft = await findDraftBySlug(slug);
  return draft ? publicationsOf(draft) : [];
}

/** The published text of a draft's highest published version; null when nothing of it is published. */
export async function latestPublication(slug: string): Promise<PublishedText | null> {
  const [latest] = await listPublications(slug);
  return latest ? withText(latest) : null;
}

/** The published text of version `number` of a draft; null when that version is not published (or does not exist). */
export async function findPublication(slug: string, number: number): Promise<PublishedText | null> {
  const publication = (await listPublications(slug)).find((candidate) => candidate.versionNumber === number);
  return publication ? withText(publication) : null;
}

/** Whether a version of the draft is published. */
export async function isPublishedVersion(draftId: string, versionId: string): Promise<boolean> {
  if (!isUuid(versionId)) return false;
  const [row] = await sql()<{ id: string }[]>`SELECT id FROM publications WHERE draft_id = ${draftId} AND version_id = ${versionId}`;
  return Boolean(row);
}

/** The publications of a draft, by version id: which of its versions are public. */
export async function publicationsByVersion(draft: Draft): Promise<Map<string, Publication>> {
  return new Map((await publicationsOf(draft)).map((publication) => [publication.versionId, publication]));
}

async function publicationsOf(draft: Draft): Promise<Publication[]> {
  const rows = await sql()<PublicationRow[]>`
    SELECT id, draft_id, version_id, public_title, summary, status_label, attribution, brackets, published_at, record
    FROM publications WHERE draft_id = ${draft.id}`;
  if (rows.length === 0) return [];
  // The versions' numbers, dates and hashes belong to the versions module.
  const versions = new Map((await listVersions(draft.id)).map((version) => [version.id, version]));
  return rows
    .flatMap((row) => {
      const version = versions.get(row.version_id);
      return version ? [toPublication(row, draft, version)] : [];
    })
    .sort((a, b) => b.versionNumber - a.versionNumber);
}

async function withText(publication: Publication): Promise<PublishedText> {
  const version = await findVersionById(publication.versionId);
  if (!version) throw new Error(`The published version ${publication.versionId} is missing.`);
  // An anonymous publication never says which delegations support an alternative: the brackets'
  // supporters go before anything public reads the text.
  const anonymous = publication.attribution === "anonymous";
  const content = anonymous ? withoutSupporters(version.content) : version.content;
  const doc = normalizeDocument(content);
  const openBrackets = bracketsIn(doc).length;
  if (publication.brackets === "bracketed") return { ...publication, content, html: anonymous && openBrackets > 0 ? renderDocumentHtml(doc) : version.html, openBrackets };
  // The clean text replaces the stored one here, so that no public page, download or comparison
  // can show brackets the secretariat chose not to publish.
  const clean = showBrackets(doc, "clean");
  return { ...publication, content: clean.toJSON() as DocJson, html: renderDocumentHtml(clean), openBrackets };
}

interface PublicationRow {
  id: string;
  draft_id: string;
  version_id: string;
  public_title: string;
  summary: string;
  status_label: string;
  attribution: Attribution;
  brackets: BracketView;
  published_at: Date;
  record: unknown;
}

function toPublication(row: PublicationRow, draft: Pick<Draft, "slug" | "language">, version: VersionSummary): Publication {
  return {
    id: row.id,
    draftId: row.draft_id,
    draftSlug: draft.slug,
    language: draft.language,
    versionId: row.version_id,
    versionNumber: version.number,
    versionDate: version.createdAt,
    sha256: version.sha256,
    publicTitle: row.public_title,
    summary: row.summary,
    statusLabel: row.status_label,
    attribution: row.attribution,
    brackets: row.brackets,
    publishedAt: row.published_at,
    record: parsePublicationRecord(row.record),
  };
}

// The text with every bracket's supporters emptied (their alternatives and order kept).
function withoutSupporters(json: DocJson): DocJson {
  const marks = json.marks?.map((mark) => (mark.type === "bracket" ? { ...mark, attrs: { ...mark.attrs, supporters: "" } } : mark));
  return { ...json, ...(marks ? { marks } : {}), ...(json.content ? { content: json.content.map(withoutSupporters) } : {}) };
}
