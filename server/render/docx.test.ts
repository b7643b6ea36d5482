import mammoth from "mammoth";
import { describe, expect, it } from "vitest";
import { clauseLeads, codeOfConductExport, smallExport } from "../../test/render-fixtures";
import { renderDocx } from "./docx";

describe("renderDocx", () => {
  it("writes a Word document whose text has every clause, with its number, in order", async () => {
    const document = codeOfConductExport();
    const bytes = await renderDocx(document);
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
    const { value } = await mammoth.extractRawText({ buffer: bytes });
    const text = value.replace(/\s+/g, " ");

    expect(text).toContain("Version 3 · Consultation draft · 29 November 2026");
    let from = 0;
    for (const lead of clauseLeads(document)) {
      const at = text.indexOf(`${lead.number} ${lead.words}`, from);
      expect(at, `clause ${lead.number}`).toBeGreaterThan(from);
      from = at;
    }
  });

  it("uses Word headings, lists, footnotes and a bookmark per clause, so the document edits like any other", async () => {
    const { value: html, messages } = await mammoth.convertToHtml({ buffer: await renderDocx(smallExport()) });
    expect(messages.filter((message) => message.type === "error")).toEqual([]);
    expect(html).toContain("<h1>1. Purpose</h1>");
    expect(html).toContain("<h1>2. Review</h1>");
    expect(html).toContain('<a id="clause_c_purpose"></a><strong>1.1</strong>');
    expect(html).toContain("<em>voluntary</em>");
    expect(html).toContain("<strong>binding on no one</strong>");
    expect(html).toContain('<a href="https://example.org/ecrh">the initiative</a>');
    expect(html).toMatch(/<ul><li>dual-use items \[Annex I\];<\/li><li>1\. other items<\/li><\/ul>/);
    expect(html).toMatch(/<li id="footnote-1"><p>See the 2023 declaration\./);
  });
});
