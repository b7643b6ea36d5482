import type { DocJson } from "../schema/content";
import { codeOfConductOpeningText } from "../server/demo/code-of-conduct";
import { toExportDocument, type ExportDocument, type ExportMetadata } from "../server/render/export-document";

/** Metadata of a published version, for renderer tests. */
export const FIXTURE_META: ExportMetadata = {
  publicTitle: "",
  versionNumber: 3,
  statusLabel: "Consultation draft",
  date: new Date("2026-11-29T10:30:00Z"),
  sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  lang: "en",
  url: "https://accord.example.org/p/code-of-conduct/v/3",
};

const text = (value: string, marks: string[] = [], href?: string): DocJson => ({
  type: "text",
  text: value,
  ...(marks.length || href
    ? { marks: [...marks.map((type) => ({ type })), ...(href ? [{ type: "link", attrs: { href, title: null } }] : [])] }
    : {}),
});

/** A small text with fixed clause ids and every kind of content: marks, a link, a footnote, lists, Markdown-like characters. */
export const SMALL_TEXT: DocJson = {
  type: "doc",
  content: [
    { type: "title", content: [text("Code of *Conduct*")] },
    { type: "preamble", content: [{ type: "paragraph", content: [text("The Subscribing States,")] }] },
    {
      type: "section",
      content: [
        { type: "section_heading", content: [text("Purpose")] },
        {
          type: "clause",
          attrs: { id: "c-purpose" },
          content: [
            {
              type: "paragraph",
              content: [
                text("This Code is "),
                text("voluntary", ["em"]),
                text(" and "),
                text("binding on no one", ["strong"]),
                { type: "footnote", attrs: { note: "See the 2023 declaration." } },
                text("; see "),
                text("the initiative", [], "https://example.org/ecrh"),
                text("."),
              ],
            },
          ],
        },
        {
          type: "clause",
          attrs: { id: "c-scope" },
          content: [
            { type: "paragraph", content: [text("It covers:")] },
            {
              type: "bullet_list",
              content: [
                { type: "list_item", content: [{ type: "paragraph", content: [text("dual-use items [Annex I];")] }] },
                { type: "list_item", content: [{ type: "paragraph", content: [text("1. other items")] }] },
              ],
            },
          ],
        },
      ],
    },
    {
      type: "section",
      content: [
        { type: "section_heading", content: [text("Review")] },
        { type: "clause", attrs: { id: "c-review" }, content: [{ type: "paragraph", content: [text("Review every 3 years.")] }] },
      ],
    },
  ],
};

/** The small text, ready for the renderers. */
export function smallExport(meta: Partial<ExportMetadata> = {}): ExportDocument {
  return toExportDocument(SMALL_TEXT, { ...FIXTURE_META, ...meta });
}

/** The sample code of conduct (ten clauses in five sections), ready for the renderers. */
export function codeOfConductExport(): ExportDocument {
  return toExportDocument(codeOfConductOpeningText("Code of Conduct on Export Controls and Human Rights"), FIXTURE_META);
}

/** "1.1", "1.2" … and each clause's first words, in reading order. */
export function clauseLeads(document: ExportDocument): { number: string; words: string }[] {
  return document.sections.flatMap((section) =>
    section.clauses.map((clause) => {
      const first = clause.blocks[0];
      const words = first?.kind === "paragraph" ? first.inlines.map((inline) => (inline.kind === "text" ? inline.text : "")).join("") : "";
      return { number: clause.number, words: words.split(/\s+/).slice(0, 5).join(" ") };
    }),
  );
}
