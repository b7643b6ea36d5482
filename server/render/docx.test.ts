import JSZip from "jszip";
import mammoth from "mammoth";
import { describe, expect, it } from "vitest";
import { clauseLeads, codeOfConductExport, smallExport } from "../../test/render-fixtures";
import { inLanguage } from "../language";
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

  it("marks the text with its language, so Word checks spelling and hyphenates in it, and the labels with the reader's", async () => {
    const bytes = await inLanguage("en", () => renderDocx(smallExport({ lang: "fr" })));
    const zip = await JSZip.loadAsync(bytes);
    const styles = (await zip.file("word/styles.xml")?.async("string")) ?? "";
    const settings = (await zip.file("word/settings.xml")?.async("string")) ?? "";
    const document = (await zip.file("word/document.xml")?.async("string")) ?? "";
    expect(styles).toMatch(/<w:docDefaults>.*<w:rPrDefault><w:rPr>.*<w:lang w:val="fr-FR"\/>/s);
    expect(settings).toMatch(/<w:autoHyphenation( w:val="(true|1|on)")?\/>/);
    expect(document).toMatch(/<w:lang w:val="en-GB"\/>.*Version 3/s);

    const english = await JSZip.loadAsync(await renderDocx(smallExport({ lang: "en" })));
    expect(await english.file("word/styles.xml")?.async("string")).toMatch(/<w:rPrDefault><w:rPr>.*<w:lang w:val="en-GB"\/>/s);
  });
});
