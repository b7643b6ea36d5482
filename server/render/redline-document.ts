// What a comparison as a Word document of tracked changes is made of (server/render/docx-redline.ts
// writes it; server/versions/word-redline.ts builds it from two texts and the draft's log).

/** Who made a change, and when. */
export interface RevisionMark {
  author: string;
  date: Date;
}

/** A run of a comparison: in both texts ("same"), only in the newer ("ins") or only in the older ("del"). */
export type RedlineRun =
  | { kind: "text"; text: string; change: "same" | "ins" | "del"; revision?: RevisionMark; em?: boolean; strong?: boolean; href?: string | null }
  | { kind: "footnote"; note: string; change: "same" | "ins" | "del"; revision?: RevisionMark }
  | { kind: "break"; change: "same" | "ins" | "del"; revision?: RevisionMark };

/** A paragraph of a comparison, or a list item when `list` is set (level 0 is the outermost list). */
export interface RedlineParagraph {
  runs: RedlineRun[];
  list?: { ordered: boolean; level: number } | null;
  /** A paragraph that exists only in the newer text (ins) or only in the older (del): its paragraph mark is a revision too. */
  change?: "ins" | "del";
  revision?: RevisionMark;
}

/** A numbered clause of a comparison; an inserted or deleted clause makes every paragraph in it so. */
export interface RedlineClause {
  id: string;
  number: string;
  paragraphs: RedlineParagraph[];
  change?: "ins" | "del";
  revision?: RevisionMark;
}

/** A numbered section of a comparison; an inserted or deleted section makes its heading and clauses so. */
export interface RedlineSection {
  number: string;
  heading: RedlineRun[];
  clauses: RedlineClause[];
  change?: "ins" | "del";
  revision?: RevisionMark;
}

/** A comment on a clause, with its replies. */
export interface RedlineComment {
  clauseId: string;
  author: string;
  date: Date;
  text: string;
  replies: { author: string; date: Date; text: string }[];
}

/** Two versions of a text merged into one, each difference marked with who made it and when. */
export interface RedlineDocument {
  title: RedlineRun[];
  /** One line under the title saying what is compared, e.g. "Comparison: version 3 → version 5"; not a revision. */
  caption: string;
  preamble: RedlineParagraph[];
  sections: RedlineSection[];
  comments: RedlineComment[];
  lang: string; // BCP 47 of the text, e.g. "fr" or "en"
  /** The mark of a change that has none of its own, nor on its paragraph, clause or section. */
  revision?: RevisionMark;
}
