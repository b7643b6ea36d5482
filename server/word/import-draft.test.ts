import fs from "node:fs";
import { describe, expect, it } from "vitest";
import type { DocJson } from "../../schema/content";
import { parseDocument } from "../../schema/content";
import { documentXml, docx, footnotesXml, numberingXml, paragraph, run, stylesXml, TAB, type PackageParts } from "../../test/fixtures/word/ooxml";
import { smallExport } from "../../test/render-fixtures";
import { renderDocx } from "../render/docx";
import { importWordDocument, type WordImport } from "./import-draft";
import { WordFileError } from "./word-file-error";

// A text as a reader sees it: inline content as Markdown-like strings (**strong**, _em_,
// [link](href), [^footnote], a line break as "\n"), a clause as its blocks, a list as { ol } or
// { ul } of items (an item with lists inside: [text, ...lists]).
type Block = string | { ol: Item[] } | { ul: Item[] };
type Item = string | [string, ...Block[]];
interface Shape {
  title: string;
  preamble: string[];
  sections: { heading: string; clauses: Block[][] }[];
}

function inline(nodes: readonly DocJson[] = []): string {
  return nodes
    .map((node) => {
      if (node.type === "hard_break") return "\n";
      if (node.type === "footnote") return `[^${String(node.attrs?.note)}]`;
      let text = node.text ?? "";
      for (const mark of node.marks ?? []) {
        if (mark.type === "em") text = `_${text}_`;
        if (mark.type === "strong") text = `**${text}**`;
      }
      const link = node.marks?.find((mark) => mark.type === "link");
      return link ? `[${text}](${String(link.attrs?.href)})` : text;
    })
    .join("");
}

function block(node: DocJson): Block {
  if (node.type === "paragraph") return inline(node.content);
  const items = (node.content ?? []).map((item): Item => {
    const [first, ...lists] = item.content ?? [];
    const text = inline(first?.content);
    return lists.length ? [text, ...lists.map(block)] : text;
  });
  return node.type === "ordered_list" ? { ol: items } : { ul: items };
}

function shape(result: WordImport): Shape {
  parseDocument(result.content);
  const [title, preamble, ...sections] = result.content.content ?? [];
  expect(inline(title?.content)).toBe(result.title);
  return {
    title: result.title,
    preamble: (preamble?.content ?? []).map((node) => inline(node.content)),
    sections: sections.map((section) => {
      const [heading, ...clauses] = section.content ?? [];
      return { heading: inline(heading?.content), clauses: clauses.map((clause) => (clause.content ?? []).map(block)) };
    }),
  };
}

const fixture = (name: string) => new Uint8Array(fs.readFileSync(new URL(`../../test/fixtures/word/${name}`, import.meta.url)));
const accepted = (bytes: Uint8Array) => importWordDocument(bytes, { trackedChanges: "accept" });

const NUMBERED: Shape = {
  title: "Code of Conduct on Responsible Research",
  preamble: ["We, the delegations of the participating States, **agree** on this code.", "It is _voluntary_ and binding on no one."],
  sections: [
    {
      heading: "Purpose",
      clauses: [
        ["This code sets out _shared expectations_ for research[^See the 2023 Declaration on research security.].", "It complements national law."],
        ["It applies to:", { ol: ["universities;", ["research institutes; and", { ul: ["public laboratories;", "private laboratories;"] }], "funding bodies."] }],
      ],
    },
    {
      heading: "Commitments",
      clauses: [
        ["Participants **share** data openly, as set out on [the initiative’s site](https://example.org/code)."],
        ["Participants report concerns:", { ul: ["to their institution;", ["to the national contact point:", { ul: ["by e-mail, or", "in person."] }]] }],
        // The link to a javascript: address is dropped; its text stays.
        ["Reports are answered within a month.\nUrgent ones within a week; see the form."],
      ],
    },
    // Nothing numbered: each paragraph is a clause.
    { heading: "Review", clauses: [["The code is reviewed every two years."], ["Delegations may propose changes at any time."]] },
    { heading: "Annex: definitions", clauses: [["In this code, _research_ means systematic inquiry[^As defined by the Frascati Manual.]."]] },
  ],
};

describe.each(["", "libreoffice/"])("importWordDocument on the fixtures %s", (folder) => {
  it("reads clauses Word numbers itself, through styles and lists, with lists nested by level", () => {
    const result = accepted(fixture(`${folder}numbered-auto.docx`));
    expect(shape(result)).toEqual(NUMBERED);
    expect(result.lost).toEqual([]);
    expect(result.trackedChanges).toBe(0);
  });

  it("reads typed numbers the same way, dropping them (Accord numbers clauses), lists nested by indentation", () => {
    expect(shape(accepted(fixture(`${folder}numbered-typed.docx`)))).toEqual(NUMBERED);
  });

  it("lists for the preview what it made, numbered as Accord will number it", () => {
    const { outline } = accepted(fixture(`${folder}numbered-auto.docx`));
    expect(outline.slice(0, 5)).toEqual([
      { kind: "preamble", text: "We, the delegations of the participating States, agree on this code." },
      { kind: "preamble", text: "It is voluntary and binding on no one." },
      { kind: "heading", number: "1", text: "Purpose" },
      { kind: "clause", number: "1.1", text: "This code sets out shared expectations for research. It complements national law." },
      { kind: "clause", number: "1.2", text: "It applies to: universities; research institutes; and public laboratories; private laboratories; funding bodies." },
    ]);
    expect(outline.filter((entry) => entry.kind === "clause").map((entry) => entry.number)).toEqual(["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1"]);
  });

  it("accepts tracked changes by two authors, and reports what it could not keep", () => {
    const result = accepted(fixture(`${folder}tracked.docx`));
    expect(shape(result)).toEqual({
      // No Title paragraph and no title in the properties: the first paragraph is the title.
      title: "Draft code on data sharing",
      preamble: [""],
      sections: [
        {
          heading: "Scope",
          clauses: [
            ["The code applies to all partners."],
            ["Data is shared within two weeks."],
            ["Partners keep a register."],
            // The first paragraph's mark was deleted: the two are one.
            ["Requests are answered promptly."],
            ["Records are kept for five years. Access is logged."],
            ["The logo below identifies partners."],
            // The text box's text is not the paragraph's.
            ["See the notice."],
            // A field's result stays as text; a HYPERLINK field's becomes a link.
            ["Filed as internal. Write to [the secretariat](https://example.org/contact)."],
          ],
        },
        // A table's cells, as paragraphs.
        { heading: "Contacts", clauses: [["Role"], ["Contact"], ["Secretariat"], ["secretariat@example.org"]] },
      ],
    });
    expect(result.trackedChanges).toBe(9);
    expect(result.lost).toEqual([
      { kind: "trackedChange", count: 9 },
      { kind: "comment", count: 1 },
      { kind: "image", count: 1 },
      { kind: "textBox", count: 1 },
      { kind: "table", count: 1 },
      { kind: "field", count: 1 },
    ]);
  });

  it("rejects them when asked: the text as it was before", () => {
    const result = importWordDocument(fixture(`${folder}tracked.docx`), { trackedChanges: "reject" });
    expect(shape(result).sections[0]?.clauses).toEqual([
      ["The code applies to partners and associates."],
      ["Data is shared within a month."],
      // The inserted clause is gone; the joined paragraphs are two again, in one clause.
      ["Requests are answered", "promptly."],
      ["Access is logged. Records are kept for five years."],
      ["The logo below identifies partners."],
      ["See the notice."],
      ["Filed as internal. Write to [the secretariat](https://example.org/contact)."],
    ]);
    expect(result.trackedChanges).toBe(9);
  });
});

describe("importWordDocument on Accord's own Word export", () => {
  it("reads back the text it was made from, bookmarks, numbers and all", async () => {
    const result = accepted(new Uint8Array(await renderDocx(smallExport())));
    const { title, preamble, sections } = shape(result);
    expect(title).toBe("Code of *Conduct*");
    // The export's version lines come first in its preamble.
    expect(preamble.at(-1)).toBe("The Subscribing States,");
    expect(sections).toEqual([
      {
        heading: "Purpose",
        clauses: [
          ["This Code is _voluntary_ and **binding on no one**[^See the 2023 declaration.]; see [the initiative](https://example.org/ecrh)."],
          ["It covers:", { ul: ["dual-use items [Annex I];", "1. other items"] }],
        ],
      },
      { heading: "Review", clauses: [["Review every 3 years."]] },
    ]);
  });
});

describe("importWordDocument on odd but valid documents", () => {
  const read = (body: string, parts: Partial<PackageParts> = {}) => accepted(docx({ document: documentXml(body), styles: stylesXml(), ...parts }));

  it("without headings: the text is one section with an empty heading, its preamble what comes before the first numbered clause", () => {
    const result = read(
      [
        paragraph(run("Charter"), { style: "Title" }),
        paragraph(run("The parties agree as follows.")),
        paragraph(`${run("Article 1")}${TAB}${run("Scope.")}`),
        paragraph(run("It is broad.")),
        paragraph(`${run("Article 2")}${TAB}${run("Review.")}`),
      ].join(""),
    );
    expect(shape(result)).toEqual({ title: "Charter", preamble: ["The parties agree as follows."], sections: [{ heading: "", clauses: [["Scope.", "It is broad."], ["Review."]] }] });
  });

  it("without headings or numbers: every paragraph a clause, the title from the first", () => {
    expect(shape(read([paragraph(run("Rules")), paragraph(run("Be kind.")), paragraph(run("Be brief."))].join("")))).toEqual({
      title: "Rules",
      preamble: [""],
      sections: [{ heading: "", clauses: [["Be kind."], ["Be brief."]] }],
    });
  });

  it("with nothing in it but empty paragraphs: an empty, valid text", () => {
    const result = read([paragraph(""), paragraph(run("   ")), paragraph(TAB)].join(""));
    expect(shape(result)).toEqual({ title: "", preamble: [""], sections: [{ heading: "", clauses: [] }] });
    expect(result.outline).toEqual([{ kind: "heading", number: "1", text: "" }]);
  });

  it("collapses spaces and tabs as a browser would, keeping no-break spaces, and drops hidden text", () => {
    const body = [
      paragraph(run("Heading"), { style: "Heading1" }),
      paragraph(`${run("  Plusieurs   espaces\u00a0: ")}${TAB}${run(" ici ", { bold: true })}${run(" et là. ")}<w:r><w:rPr><w:vanish/></w:rPr><w:t>caché</w:t></w:r>${run("  ")}`),
    ].join("");
    // A space belongs to the run it was typed in: here the bold one.
    expect(shape(read(body)).sections[0]?.clauses).toEqual([["Plusieurs espaces\u00a0: **ici **et là."]]);
  });

  it("finds headings by name, by outline level up a style's chain, and not where a style says body text", () => {
    const styles = stylesXml(
      '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>' +
        '<w:style w:type="paragraph" w:styleId="Chapter"><w:name w:val="Chapter"/><w:basedOn w:val="Heading1"/></w:style>' +
        '<w:style w:type="paragraph" w:styleId="NotAHeading"><w:name w:val="Not a heading"/><w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>',
    );
    const body = [
      paragraph(run("IV. Überschrift"), { style: "berschrift1" }),
      paragraph(run("One.")),
      paragraph(run("Section 2 – Chapter"), { style: "Chapter" }),
      paragraph(run("Two.")),
      paragraph(run("Body text in a heading's clothes."), { style: "NotAHeading" }),
      `<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr>${run("By outline level")}</w:p>`,
    ].join("");
    const result = read(body, { styles });
    expect(shape(result).sections.map((section) => section.heading)).toEqual(["Überschrift", "Chapter", "By outline level"]);
    // Body text, but bold as its style makes it in Word.
    expect(shape(result).sections[1]?.clauses).toEqual([["Two."], ["**Body text in a heading's clothes.**"]]);
  });

  it("follows a list defined through a numbering style, inherited from a paragraph style, unless the paragraph takes it away (numId 0)", () => {
    const styles = stylesXml(
      '<w:style w:type="numbering" w:styleId="LegalList"><w:name w:val="Legal List"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>' +
        '<w:style w:type="paragraph" w:styleId="Numbered"><w:name w:val="Numbered"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="6"/></w:numPr></w:pPr></w:style>',
    );
    const numbering = numberingXml({ 1: [{ format: "decimal", text: "%1.", indent: 360 }], 2: [] }, { 5: 1, 6: 2 }).replace(
      '<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="multilevel"/></w:abstractNum>',
      '<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="multilevel"/><w:numStyleLink w:val="LegalList"/></w:abstractNum>',
    );
    const body = [
      paragraph(run("Rules"), { style: "Heading1" }),
      paragraph(run("First."), { style: "Numbered" }),
      paragraph(run("More on the first.")),
      `<w:p><w:pPr><w:pStyle w:val="Numbered"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr></w:pPr>${run("Still the first.")}</w:p>`,
      paragraph(run("Second."), { style: "Numbered" }),
    ].join("");
    expect(shape(read(body, { styles, numbering })).sections[0]?.clauses).toEqual([["First.", "More on the first.", "Still the first."], ["Second."]]);
  });

  it("leaves out a table of contents, and reads text in content controls, smart tags and alternate content", () => {
    const body = [
      '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>',
      paragraph(run("Contents")),
      paragraph(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${run("1. Scope ........ 3")}<w:r><w:fldChar w:fldCharType="end"/></w:r>`),
      "</w:sdtContent></w:sdt>",
      paragraph(run("Scope"), { style: "Heading1" }),
      paragraph(`<w:sdt><w:sdtContent>${run("Filled ")}</w:sdtContent></w:sdt><w:smartTag w:uri="urn:x" w:element="place">${run("Geneva")}</w:smartTag>${run(" text")}<mc:AlternateContent><mc:Choice Requires="w14">${run(" (new)")}</mc:Choice><mc:Fallback>${run(" (old)")}</mc:Fallback></mc:AlternateContent>`),
    ].join("");
    const result = read(body);
    expect(shape(result).sections).toEqual([{ heading: "Scope", clauses: [["Filled Geneva text (old)"]] }]);
    expect(result.lost).toEqual([{ kind: "field", count: 1 }]);
  });

  it("hides a table of contents' field result that spans paragraphs, and keeps what follows", () => {
    const body = [
      paragraph(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${run("Scope 1")}`),
      paragraph(`${run("Review 2")}<w:r><w:fldChar w:fldCharType="end"/></w:r>`),
      paragraph(run("Scope"), { style: "Heading1" }),
      paragraph(run("Text.")),
    ].join("");
    expect(shape(read(body))).toEqual({ title: "Scope", preamble: [""], sections: [{ heading: "Scope", clauses: [["Text."]] }] });
  });

  it("keeps a footnote as its plain text, whatever its formatting", () => {
    const footnotes = footnotesXml({ 3: `${run("A ")}${run("bold", { bold: true })}${run(" note.")}` });
    const body = [paragraph(run("Scope"), { style: "Heading1" }), paragraph(`${run("Text")}<w:r><w:footnoteReference w:id="3"/></w:r>${run(".")}`)].join("");
    expect(shape(read(body, { footnotes })).sections[0]?.clauses).toEqual([["Text[^A bold note.]."]]);
  });

  it("refuses what is not a Word document, or is built to exhaust its reader, with a WordFileError", () => {
    const reason = (bytes: Uint8Array) => {
      try {
        accepted(bytes);
      } catch (error) {
        if (error instanceof WordFileError) return `${error.reason} ${error.detail ?? ""}`.trim();
        throw error;
      }
      return null;
    };
    expect(reason(new Uint8Array(Buffer.from("%PDF-1.4\n")))).toBe("pdf");
    expect(reason(docx({ document: documentXml("<w:p><w:r></w:p>") }))).toBe("corrupt word/document.xml");
    // Deep enough to overflow the stack of a reader that recursed without a limit.
    const deep = paragraph(`${"<w:smartTag>".repeat(20_000)}${run("x")}${"</w:smartTag>".repeat(20_000)}`);
    expect(reason(docx({ document: documentXml(deep) }))).toBe("tooComplex word/document.xml");
  });
});
