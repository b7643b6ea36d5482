import fs from "node:fs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { MARKUP_CLAUSES } from "../../test/fixtures/word/documents";
import { smallExport } from "../../test/render-fixtures";
import { renderDocx } from "../render/docx";
import { readMarkedUpDocument, type MarkedUpDocument } from "./read-markup";

const fixture = (name: string) => new Uint8Array(fs.readFileSync(new URL(`../../test/fixtures/word/${name}`, import.meta.url)));

const CAPITAL = "Capital (FR)";
const MONDAY = "2026-03-02T10:00:00Z";
const TUESDAY = "2026-03-03T15:30:00Z";

const MARKED_UP: Pick<MarkedUpDocument, "changes" | "comments" | "unanchored"> = {
  changes: [
    // The preamble, the fourth paragraph after the title and the export's two version lines.
    { clauseId: null, paragraphIndex: 3, before: "We, the delegations, agree on this code.", after: "We, the delegations, agree on this code in good faith.", author: CAPITAL, date: MONDAY, comments: [] },
    { clauseId: MARKUP_CLAUSES.purpose, paragraphIndex: 0, before: "This code is voluntary.", after: "This code is binding.", author: CAPITAL, date: MONDAY, comments: [] },
    {
      clauseId: MARKUP_CLAUSES.report,
      paragraphIndex: 0,
      before: "Delegations report each year.",
      after: "Delegations shall report each year.",
      author: CAPITAL,
      date: TUESDAY,
      comments: ["Annual reporting is what our ministry can manage."],
    },
    { clauseId: null, paragraphIndex: 8, before: "2. Review", after: "2. Review and revision", author: CAPITAL, date: MONDAY, comments: [] },
    // The clause starts with a list: its number stands alone in the first paragraph.
    { clauseId: MARKUP_CLAUSES.review, paragraphIndex: 2, before: "on request of a delegation.", after: "on request of two delegations.", author: `Legal service (FR), ${CAPITAL}`, date: TUESDAY, comments: [] },
    { clauseId: MARKUP_CLAUSES.adopt, paragraphIndex: 1, before: "This paragraph is withdrawn.", after: "", author: CAPITAL, date: TUESDAY, comments: [] },
  ],
  comments: [{ clauseId: MARKUP_CLAUSES.purpose, quote: "It complements national law.", author: CAPITAL, text: "We support this paragraph.", paragraphIndex: 1 }],
  unanchored: 2,
};

describe.each(["", "libreoffice/"])("readMarkedUpDocument on the fixture %s", (folder) => {
  it("finds each changed paragraph's clause, its text before and after, its authors, and the comments on it", () => {
    const { changes, comments, unanchored, clauses, baseline } = readMarkedUpDocument(fixture(`${folder}markup.docx`));
    expect({ changes, comments, unanchored }).toEqual(MARKED_UP);
    // Each clause as the capital leaves it, every change accepted, with who changed it and the comments in it.
    expect(clauses.get(MARKUP_CLAUSES.report)).toEqual({ paragraphs: ["Delegations shall report each year."], authors: [CAPITAL], comments: ["Annual reporting is what our ministry can manage."] });
    expect(clauses.get(MARKUP_CLAUSES.purpose)?.paragraphs).toEqual(["This code is binding.", "It complements national law."]);
    expect(clauses.get(MARKUP_CLAUSES.adopt)?.paragraphs).not.toContain("This paragraph is withdrawn.");
    // A file Accord did not write carries no baseline.
    expect(baseline).toBeNull();
  });
});

describe("readMarkedUpDocument on Accord's own export", () => {
  it("finds nothing in a copy nobody changed", async () => {
    const clean = readMarkedUpDocument(new Uint8Array(await renderDocx(smallExport())));
    expect({ changes: clean.changes, comments: clean.comments, unanchored: clean.unanchored }).toEqual({ changes: [], comments: [], unanchored: 0 });
  });

  it("finds a change a capital made in it, by the clause's bookmark", async () => {
    const marked = markUp(new Uint8Array(await renderDocx(smallExport())), (xml) =>
      xml.replace(
        /<w:r>(<w:rPr>(?:(?!<\/w:rPr>).)*<\/w:rPr>)?<w:t xml:space="preserve">Review every 3 years.<\/w:t><\/w:r>/,
        (_, properties: string | undefined) =>
          `<w:r>${properties ?? ""}<w:t xml:space="preserve">Review every </w:t></w:r><w:del w:id="901" w:author="Capital (DE)" w:date="${MONDAY}"><w:r><w:delText>3</w:delText></w:r></w:del><w:ins w:id="902" w:author="Capital (DE)" w:date="${MONDAY}"><w:r><w:t>5</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> years.</w:t></w:r>`,
      ),
    );
    // Accord's export names bookmarks after clause ids, with what is not a letter or digit as "_".
    expect(readMarkedUpDocument(marked).changes).toEqual([
      { clauseId: "c_review", paragraphIndex: 0, before: "Review every 3 years.", after: "Review every 5 years.", author: "Capital (DE)", date: MONDAY, comments: [] },
    ]);
  });
});

// Rewrites the main document of a .docx.
function markUp(bytes: Uint8Array, change: (xml: string) => string): Uint8Array {
  const files = unzipSync(bytes);
  const xml = strFromU8(files["word/document.xml"] ?? new Uint8Array());
  const changed = change(xml);
  expect(changed).not.toBe(xml);
  return zipSync({ ...files, "word/document.xml": strToU8(changed) });
}
