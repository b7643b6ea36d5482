import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { smallExport } from "../../test/render-fixtures";
import type { ExportDocument } from "./export-document";
import { escapeText, renderMarkdown } from "./markdown";

describe("renderMarkdown", () => {
  it("writes the title, version line, numbered headings and clauses, lists and footnotes", () => {
    expect(renderMarkdown(smallExport())).toBe(
      [
        "# Code of \\*Conduct\\*",
        "",
        "*Version 3 · Consultation draft · 29 November 2026*  ",
        "SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "",
        "<https://accord.example.org/p/code-of-conduct/v/3>",
        "",
        "The Subscribing States,",
        "",
        "## 1. Purpose",
        "",
        "**1.1** This Code is *voluntary* and **binding on no one**[^1]; see [the initiative](https://example.org/ecrh).",
        "",
        "**1.2** It covers:",
        "",
        "- dual-use items \\[Annex I\\];",
        "- 1\\. other items",
        "",
        "## 2. Review",
        "",
        "**2.1** Review every 3 years.",
        "",
        "[^1]: See the 2023 declaration.",
        "",
      ].join("\n"),
    );
  });

  it("prefers the public title", () => {
    expect(renderMarkdown(smallExport({ publicTitle: "Draft Code, for consultation" })).split("\n")[0]).toBe("# Draft Code, for consultation");
  });

  it("escapes what Markdown would read as syntax", () => {
    expect(escapeText("# not a heading")).toBe("\\# not a heading");
    expect(escapeText("- not a list")).toBe("\\- not a list");
    expect(escapeText("a_b*c <script>")).toBe("a\\_b\\*c \\<script\\>");
    expect(escapeText("well-known - fine")).toBe("well-known - fine");
  });

  it("escapes exactly as the regular expressions it replaced, on any text", () => {
    // The former, quadratic implementation, kept here as the reference for what the output must be.
    const reference = (text: string) =>
      text
        .replace(/[\\`*_[\]<>|]/g, (char) => `\\${char}`)
        .replace(/^(\s*)([#+-]|\d+[.)])(?=\s|$)/gm, (_match, space: string, marker: string) => `${space}${marker.replace(/([#+\-.)])$/, "\\$1")}`);
    const pieces = fc.constantFrom("#", "-", "+", "1", "12", ".", ")", "a", " ", "\t", "\n", "\r", "\u2028", "\u00a0", "*", "\\", "x-", "3.");
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 24 }), (parts) => {
        const text = parts.join("");
        expect(escapeText(text)).toBe(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("exports a paragraph with 200,000 characters of white space in linear time", () => {
    const blank = Array.from({ length: 200_000 }, (_, index) => [" ", "\t", "\n"][index % 3] ?? " ").join("");
    const base = smallExport();
    const text = `${blank}- lead${blank}# middle${blank}`;
    const document: ExportDocument = {
      ...base,
      preamble: [{ kind: "paragraph", inlines: [{ kind: "text", text, em: true, strong: false, href: null }] }],
    };
    const started = performance.now();
    const markdown = renderMarkdown(document);
    const elapsed = performance.now() - started;
    // The quadratic version took seconds here; the linear one a few milliseconds. The bound only catches a regression.
    expect(elapsed).toBeLessThan(1_000);
    expect(markdown).toContain(`${blank}*\\- lead${blank}\\# middle*${blank}`);
  });
});
