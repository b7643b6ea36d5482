import { describe, expect, it } from "vitest";
import { strToU8 } from "fflate";
import { commentsXml, deleted, documentXml, docx, field, footnotesXml, inserted, numberingXml, paragraph, run, stylesXml, type PackageParts } from "../../test/fixtures/word/ooxml";
import { openWordArchive } from "./archive";
import { readWordDocument } from "./read-docx";
import { collapseSpaces, noteText, plainText, settle, type TrackedChanges } from "./tracked-changes";
import type { ContentPiece } from "./word-document";

const ALICE = "Alice";
const BOB = "Bob";
const DAY = "2026-03-02T10:00:00Z";

function read(body: string, parts: Partial<PackageParts> = {}) {
  return readWordDocument(openWordArchive(docx({ document: documentXml(body), styles: stylesXml(), ...parts })));
}

function texts(body: string, view: TrackedChanges, parts: Partial<PackageParts> = {}): string[] {
  return settle(read(body, parts).paragraphs, view).map((paragraph) => collapseSpaces(plainText(paragraph.pieces)));
}

describe("readWordDocument", () => {
  it("keeps each piece's tracked change, with its author and date", () => {
    const { paragraphs, trackedChanges } = read(paragraph(`${run("Keep ")}${inserted(ALICE, DAY, run("new"))}${deleted(BOB, DAY, "old")}`));
    const pieces = paragraphs[0]?.pieces.filter((piece): piece is Extract<ContentPiece, { kind: "text" }> => piece.kind === "text");
    expect(pieces?.map(({ text, inserted, deleted }) => ({ text, inserted, deleted }))).toEqual([
      { text: "Keep ", inserted: null, deleted: null },
      { text: "new", inserted: { author: ALICE, date: DAY }, deleted: null },
      { text: "old", inserted: null, deleted: { author: BOB, date: DAY } },
    ]);
    expect(trackedChanges).toBe(2);
  });

  it("drops, in both views, text one author inserted and another deleted", () => {
    const body = paragraph(`${run("A ")}<w:ins w:id="1" w:author="${ALICE}" w:date="${DAY}"><w:del w:id="2" w:author="${BOB}" w:date="${DAY}"><w:r><w:delText>short-lived </w:delText></w:r></w:del></w:ins>${run("text.")}`);
    expect(texts(body, "accept")).toEqual(["A text."]);
    expect(texts(body, "reject")).toEqual(["A text."]);
  });

  it("joins a paragraph whose mark is deleted to the next, keeping its own numbering; a paragraph deleted whole leaves the next as it was", () => {
    const numbering = numberingXml({ 0: [{ format: "decimal", text: "%1.", indent: 360 }] }, { 1: 0 });
    const numbered = { numbering: { numId: 1, level: 0 } };
    const mark = { change: "del" as const, author: ALICE, date: DAY };
    const body = [
      paragraph(run("Joined "), { ...numbered, mark }),
      paragraph(run("text.")),
      paragraph(deleted(ALICE, DAY, "Gone."), { mark }),
      paragraph(run("Numbered."), numbered),
    ].join("");
    const accepted = settle(read(body, { numbering }).paragraphs, "accept");
    expect(accepted.map((paragraph) => [collapseSpaces(plainText(paragraph.pieces)), paragraph.list])).toEqual([
      ["Joined text.", { level: 0, bullet: false }],
      ["Numbered.", { level: 0, bullet: false }],
    ]);
    expect(texts(body, "reject", { numbering })).toEqual(["Joined", "text.", "Gone.", "Numbered."]);
  });

  it("links text to safe external addresses only, with the tooltip as title", () => {
    const body = paragraph(
      [
        `<w:hyperlink r:id="rIdSafe" w:tooltip="The code">${run("safe")}</w:hyperlink>`,
        `<w:hyperlink r:id="rIdScript">${run("script")}</w:hyperlink>`,
        `<w:hyperlink w:anchor="_Toc1">${run("inside")}</w:hyperlink>`,
        field('HYPERLINK "mailto:office@example.org" \\o "Write"', run("mail")),
        field('HYPERLINK \\l "_Toc2"', run("anchor")),
      ].join(""),
    );
    const { paragraphs } = read(body, { links: { rIdSafe: "https://example.org/code", rIdScript: "javascript:alert(1)" } });
    const links = paragraphs[0]?.pieces.flatMap((piece) => (piece.kind === "text" ? [[piece.text, piece.link]] : []));
    expect(links).toEqual([
      ["safe", { href: "https://example.org/code", title: "The code" }],
      ["script", null],
      ["inside", null],
      ["mail", { href: "mailto:office@example.org", title: "Write" }],
      ["anchor", null],
    ]);
  });

  it("reads breaks, tabs and hyphens as text shows them, and leaves page breaks and symbols out", () => {
    const body = paragraph('<w:r><w:t>one</w:t><w:br/><w:t>two</w:t><w:cr/><w:t>three</w:t><w:tab/><w:t>non</w:t><w:noBreakHyphen/><w:t>stop</w:t><w:softHyphen/><w:br w:type="page"/><w:sym w:font="Wingdings" w:char="F04A"/></w:r>');
    expect(plainText(settle(read(body).paragraphs, "accept")[0]?.pieces ?? [])).toBe("one\ntwo\nthree\tnon\u2011stop");
  });

  it("keeps an equation's characters and reports it; counts pictures, text boxes and embedded objects once each", () => {
    const body = paragraph(
      `${run("x ")}<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:r><m:t>a+b</m:t></m:r></m:oMath>${run(" y")}<w:r><w:pict><v:shape><v:imagedata r:id="rId9"/></v:shape></w:pict></w:r><w:r><w:object><v:shape/></w:object></w:r>`,
    );
    const document = read(body);
    expect(plainText(settle(document.paragraphs, "accept")[0]?.pieces ?? [])).toBe("x a+b y");
    expect(Object.fromEntries(document.lost)).toEqual({ other: 2, image: 1 });
  });

  it("reads the comments apart, with their authors and text, and counts them as lost", () => {
    const document = read(paragraph(run("Text")), { comments: commentsXml([{ id: 4, author: BOB, date: DAY, text: "Why?" }]) });
    expect(document.comments.map((comment) => ({ ...comment, paragraphs: comment.paragraphs.map((paragraph) => plainText(paragraph.pieces as ContentPiece[])) }))).toEqual([
      { id: "4", author: BOB, date: DAY, paragraphs: ["Why?"] },
    ]);
    expect(document.lost.get("comment")).toBe(1);
  });

  it("reads strict OOXML, whose namespaces differ", () => {
    const strict = documentXml(paragraph(run("Strict text"), { style: "Heading1" })).replace(
      'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
      'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"',
    );
    const document = readWordDocument(openWordArchive(docx({ document: strict })));
    expect(document.paragraphs.map((paragraph) => [paragraph.headingLevel, plainText(paragraph.pieces as ContentPiece[])])).toEqual([[1, "Strict text"]]);
  });

  it("attaches each footnote and endnote where it is referenced, with its paragraphs", () => {
    const endnotes = footnotesXml({ 1: run("An endnote.") }).replace(/footnote/g, "endnote").replace(/Footnote/g, "Endnote");
    const body = paragraph(`${run("Text")}<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:endnoteReference w:id="1"/></w:r>`);
    const { paragraphs } = read(body, { footnotes: footnotesXml({ 1: run("A footnote.") }), extra: { "word/endnotes.xml": strToU8(endnotes) } });
    const notes = paragraphs[0]?.pieces.flatMap((piece) => (piece.kind === "note" ? [noteText(piece.note, "accept")] : []));
    expect(notes).toEqual(["A footnote.", "An endnote."]);
  });

  it("takes the title in the document's properties", () => {
    expect(read(paragraph(run("Text")), { coreTitle: "  The   title " }).propertiesTitle).toBe("The title");
    expect(read(paragraph(run("Text"))).propertiesTitle).toBeNull();
  });
});
