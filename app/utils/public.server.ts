import { t } from "../../i18n/translate";
import type { PublicationRecord, RecordedDelegation } from "../../server/domain/publication-record";
import { findPublication, latestPublication, type Attribution, type BracketView, type Publication, type PublishedText } from "../../server/domain/publications";
import { plainText, toExportDocument, type ExportDocument } from "../../server/render/export-document";
import { clauseAnchor } from "../../server/render/html";
import { notFound } from "./session.server";

/** The version number in a public address: digits only, or 404. */
export function versionNumberParam(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,8}$/.test(value)) throw notFound();
  return Number(value);
}

/**
 * A published text by draft slug and version number (the latest when none is given). Anything that
 * is not published answers exactly like a draft or version that does not exist.
 */
export async function requirePublishedText(slug: string | undefined, number?: number): Promise<PublishedText> {
  const text = number === undefined ? await latestPublication(slug ?? "") : await findPublication(slug ?? "", number);
  if (!text) throw notFound();
  return text;
}

/** The public address of a published version (or of a draft's latest), absolute when an origin is given. */
export function publicationUrl(publication: Pick<Publication, "draftSlug" | "versionNumber">, origin = ""): string {
  return `${origin}/p/${encodeURIComponent(publication.draftSlug)}/v/${publication.versionNumber}`;
}

/**
 * What a publication's public ETags add for its bracket view. The hash is the version's text, the
 * same either way, and a database set up again (the demo's, a staging copy) can publish that text
 * at the same address with the other choice: a reader's cached copy must not pass for it.
 */
export function bracketsEtagParts(publication: Pick<Publication, "brackets">): string[] {
  return publication.brackets === "clean" ? ["clean"] : [];
}

/** A published text ready for the download formats. */
export function exportDocument(text: PublishedText, origin: string): ExportDocument {
  return toExportDocument(text.content, {
    publicTitle: text.publicTitle,
    versionNumber: text.versionNumber,
    statusLabel: text.statusLabel,
    date: text.versionDate,
    sha256: text.sha256,
    lang: text.language,
    url: publicationUrl(text, origin),
  });
}

/** What a public page shows of a publication. */
export interface PublicPageData {
  publication: Pick<
    Publication,
    "draftSlug" | "language" | "versionNumber" | "versionDate" | "publishedAt" | "sha256" | "publicTitle" | "summary" | "statusLabel" | "attribution"
  >;
  /** The published HTML (the version's, or its clean text), its title turned from a heading into a line under the page's own. */
  html: string;
  /** What the page says about square brackets: shown, left out (the clean text), or nothing when the text has none. */
  brackets: BracketView | null;
  outline: OutlineSection[];
  permalink: string;
  /** The amendments and positions at publication, attributed as the publication says. */
  record: PublicRecord;
}

/**
 * A publication's record as the public sees it: who tabled, co-sponsored or reserved is written
 * here, on the server, by name or as "a delegation", so an anonymous publication's page data never
 * holds a delegation's name or code.
 */
export interface PublicRecord {
  amendments: {
    label: string;
    kind: string;
    status: string;
    quote: string;
    proposed: string;
    rationale: string;
    tabledBy: string;
    cosponsoredBy: string | null;
  }[];
  positions: { number: string; anchor: string; status: string; reservedBy: string | null }[];
  motions: { label: string; question: string; rule: string; result: string; reason: string; closedAt: string; tally: string; ballots: string | null }[];
}

/** The record with the publication's attribution applied. */
export function publicRecord(record: PublicationRecord, attribution: Attribution): PublicRecord {
  const names = (delegations: RecordedDelegation[]) => delegations.map((delegation) => delegation.name).join(", ");
  const some = (delegations: RecordedDelegation[], key: "other" | "any") =>
    delegations.length === 1 ? t(`public.record.${key}.one`) : t(`public.record.${key}.many`, { count: delegations.length });
  return {
    amendments: record.amendments.map((amendment) => ({
      label: amendment.label,
      kind: amendment.kind,
      status: amendment.status,
      quote: amendment.quote,
      proposed: amendment.proposed,
      rationale: amendment.rationale,
      tabledBy: t("public.record.tabledBy", { who: attribution === "named" ? amendment.delegation.name : t("public.record.aDelegation") }),
      cosponsoredBy:
        amendment.cosponsors.length === 0
          ? null
          : t("public.record.cosponsoredBy", { who: attribution === "named" ? names(amendment.cosponsors) : some(amendment.cosponsors, "other") }),
    })),
    // Each delegation's ballot is named only when the publication names delegations.
    motions: record.motions.map((motion) => ({
      label: motion.label,
      question:
        motion.subject === "clause" && !motion.subjectRef
          ? t("motions.subject.clauseGone")
          : t(`motions.subject.${motion.subject}`, { number: motion.subjectRef.replace(/^[Av]-?/, "") }),
      rule: t(`motions.rule.${motion.rule}`),
      result: t(`motions.outcome.${motion.outcome}`),
      reason: t(`motions.reason.${motion.reason}`),
      closedAt: motion.closedAt,
      tally: t("public.record.tally", { yes: motion.yes, no: motion.no, abstain: motion.abstain, notVoted: motion.notVoted }),
      ballots:
        attribution === "named" && motion.ballots.length > 0
          ? motion.ballots.map((ballot) => t("common.labelled", { label: ballot.delegation.name, value: t(`public.record.choice.${ballot.choice}`) })).join(", ")
          : null,
    })),
    // The clauses whose status is recorded: agreed, agreed ad referendum or reserved.
    positions: record.positions
      .filter((position) => position.status !== "pending")
      .map((position) => ({
        number: position.number,
        anchor: clauseAnchor(position.clauseId),
        status: position.status,
        reservedBy:
          position.delegations.length === 0
            ? null
            : t("public.record.reservedBy", { who: attribution === "named" ? names(position.delegations) : some(position.delegations, "any") }),
      })),
  };
}

/** A section in a page's table of contents. */
export interface OutlineSection {
  number: string;
  heading: string;
  /** The anchor of its first clause, when it has one. */
  anchor: string | null;
  clauses: { number: string; anchor: string; excerpt: string }[];
}

const EXCERPT_WORDS = 8;

/** The data of a published version's page. */
export function publicPageData(text: PublishedText, origin: string): PublicPageData {
  const document = exportDocument(text, origin);
  const outline = document.sections.map((section) => {
    const clauses = section.clauses.map((clause) => {
      const first = clause.blocks[0];
      const words = (first?.kind === "paragraph" ? plainText(first.inlines) : "").split(/\s+/).filter(Boolean);
      const excerpt = words.slice(0, EXCERPT_WORDS).join(" ") + (words.length > EXCERPT_WORDS ? "…" : "");
      return { number: clause.number, anchor: clauseAnchor(clause.id), excerpt };
    });
    return { number: section.number, heading: plainText(section.heading), anchor: clauses[0]?.anchor ?? null, clauses };
  });
  const { draftSlug, language, versionNumber, versionDate, publishedAt, sha256, publicTitle, summary, statusLabel, attribution } = text;
  return {
    publication: { draftSlug, language, versionNumber, versionDate, publishedAt, sha256, publicTitle, summary, statusLabel, attribution },
    // The page's heading is the public title; the text's own title (plain text: the schema allows
    // it no marks) follows as a line, so the page keeps one h1.
    html: text.html.replace(/<h1 class="doc-title">(.*?)<\/h1>/, '<p class="doc-title">$1</p>'),
    brackets: text.openBrackets > 0 ? text.brackets : null,
    outline,
    permalink: publicationUrl(text, origin),
    record: publicRecord(text.record, text.attribution),
  };
}
