import { describe, expect, it } from "vitest";
import { cleanPastedHtml } from "./paste";

const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]--></head><body>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>1.<span>&nbsp;&nbsp;</span></span>Export <b>licences</b> are assessed<o:p></o:p></p>
<script>alert(1)</script></body></html>`;

describe("pasting", () => {
  it("strips Word's list numbers, conditional comments, styles, scripts and Office tags", () => {
    const cleaned = cleanPastedHtml(WORD_HTML);
    expect(cleaned).not.toMatch(/mso-list:Ignore|<o:p>|<style|<script|\[if gte mso/i);
    expect(cleaned).toContain("Export <b>licences</b> are assessed");
    expect(cleaned).not.toContain("1.<span>");
  });

  it("leaves ordinary web HTML alone", () => {
    const html = '<p>See <a href="https://example.org">the guidance</a> and <em>annex</em>.</p>';
    expect(cleanPastedHtml(html)).toBe(html);
  });
});
