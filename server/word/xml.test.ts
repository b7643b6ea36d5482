import { describe, expect, it } from "vitest";
import { WordFileError } from "./word-file-error";
import { attribute, child, children, MAX_DEPTH, MAX_ELEMENTS, parseXml, toggle, W } from "./xml";

const TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main";

/** Why parsing refused, or null. */
function refusal(parse: () => unknown): string | null {
  try {
    parse();
  } catch (error) {
    if (error instanceof WordFileError) return `${error.reason} ${error.detail ?? ""}`.trim();
    throw error;
  }
  return null;
}

describe("parseXml", () => {
  it.each([
    ["mismatched tags", "<a><b></a>"],
    ["an unclosed element", "<a>"],
    ["an unknown entity", "<a>&nbsp;</a>"],
    ["text and no element", "just text"],
    ["nothing", ""],
    ["two roots", "<a/><b/>"],
  ])("calls XML with %s corrupt, naming the part", (_, text) => {
    expect(refusal(() => parseXml(text, "word/styles.xml"))).toBe("corrupt word/styles.xml");
  });

  it("refuses a part with more elements than a DOM should hold, before parsing it, or nested deeper than readers recurse", () => {
    const wide = `<a>${"<b/>".repeat(MAX_ELEMENTS)}</a>`;
    const started = performance.now();
    expect(refusal(() => parseXml(wide, "word/document.xml"))).toBe("tooComplex word/document.xml");
    expect(performance.now() - started).toBeLessThan(300);

    const deep = (depth: number) => `${"<b>".repeat(depth - 1)}<c/>${"</b>".repeat(depth - 1)}`;
    expect(refusal(() => parseXml(deep(MAX_DEPTH + 1), "word/document.xml"))).toBe("tooComplex word/document.xml");
    expect(refusal(() => parseXml(deep(MAX_DEPTH), "word/document.xml"))).toBeNull();
  });

  it("matches Word's elements and attributes by namespace, whatever their prefix, transitional or strict", () => {
    for (const uri of [TRANSITIONAL, STRICT]) {
      const root = parseXml(`<x:document xmlns:x="${uri}" xmlns:w="urn:other"><x:p x:rsid="1"/><w:p/><x:p/></x:document>`, "word/document.xml");
      expect(children(root, W, "p")).toHaveLength(2);
      expect(attribute(child(root, W, "p"), W, "rsid")).toBe("1");
    }
  });
});

describe("toggle", () => {
  const properties = (inner: string) => parseXml(`<w:rPr xmlns:w="${TRANSITIONAL}">${inner}</w:rPr>`, "part");

  it.each([
    ["<w:b/>", true],
    ['<w:b w:val="1"/>', true],
    ['<w:b w:val="true"/>', true],
    ['<w:b w:val="0"/>', false],
    ['<w:b w:val="false"/>', false],
    ['<w:b w:val="off"/>', false],
    ["<w:i/>", null],
  ])("reads %s as %s", (inner, value) => {
    expect(toggle(properties(inner), "b")).toBe(value);
  });
});
