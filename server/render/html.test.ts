import { describe, expect, it } from "vitest";
import type { DocJson } from "../../schema/content";
import { renderDocumentHtml } from "./html";

function doc(clauses: DocJson[], heading = "Scope"): DocJson {
  return {
    type: "doc",
    content: [
      { type: "title", content: [{ type: "text", text: "Code & conduct" }] },
      { type: "preamble", content: [{ type: "paragraph", content: [{ type: "text", text: "Agreed <here>." }] }] },
      { type: "section", content: [{ type: "section_heading", content: [{ type: "text", text: heading }] }, ...clauses] },
      { type: "section", content: [{ type: "section_heading", content: [{ type: "text", text: "Criteria" }] }, { type: "clause", attrs: { id: "c2" }, content: [{ type: "paragraph" }] }] },
    ],
  };
}

const link = (href: string, text: string): DocJson => ({ type: "text", text, marks: [{ type: "link", attrs: { href, title: null } }] });

describe("the HTML of a text", () => {
  it("has the title, numbered sections and clauses with anchors from their ids", () => {
    const html = renderDocumentHtml(doc([{ type: "clause", attrs: { id: "c1" }, content: [{ type: "paragraph", content: [{ type: "text", text: "First." }] }] }]));
    expect(html).toContain('<h1 class="doc-title">Code &amp; conduct</h1>');
    expect(html).toContain('<div class="preamble"><p>Agreed &lt;here&gt;.</p></div>');
    expect(html).toContain('<h2 class="section-heading"><span class="section-number">1.</span> Scope</h2>');
    expect(html).toContain('<div class="clause" id="clause-c1"><span class="clause-number">1.1</span><p>First.</p></div>');
    expect(html).toContain('<div class="clause" id="clause-c2"><span class="clause-number">2.1</span><p></p></div>');
  });

  it("keeps safe links and drops unsafe ones to their text", () => {
    const html = renderDocumentHtml(
      doc([{ type: "clause", attrs: { id: "c1" }, content: [{ type: "paragraph", content: [link("https://example.org/?a=1&b=2", "site"), { type: "text", text: " " }, link("javascript:alert(1)", "trap")] }] }]),
    );
    expect(html).toContain('<a href="https://example.org/?a=1&amp;b=2" rel="noopener noreferrer">site</a>');
    expect(html).not.toContain("javascript:");
    expect(html).toContain(" trap</p>");
  });

  it("gathers footnotes at the end, linked both ways, and renders lists and marks", () => {
    const html = renderDocumentHtml(
      doc([
        {
          type: "clause",
          attrs: { id: "c1" },
          content: [
            { type: "paragraph", content: [{ type: "text", text: "Bold", marks: [{ type: "strong" }, { type: "em" }] }, { type: "footnote", attrs: { note: "A <note>." } }] },
            { type: "ordered_list", content: [{ type: "list_item", content: [{ type: "paragraph", content: [{ type: "text", text: "one" }] }] }] },
          ],
        },
      ]),
    );
    expect(html).toContain('<em><strong>Bold</strong></em><sup class="note-ref"><a href="#note-1" id="note-ref-1">1</a></sup>');
    expect(html).toContain("<ol><li><p>one</p></li></ol>");
    expect(html).toContain('<li id="note-1">A &lt;note&gt;. <a href="#note-ref-1"');
  });
});
