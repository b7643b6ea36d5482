import { extractText, getMeta, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "vitest";
import { clauseLeads, codeOfConductExport, smallExport } from "../../test/render-fixtures";
import type { DocJson } from "../../schema/content";
import { toExportDocument } from "./export-document";
import { hyphenate, SOFT_HYPHEN } from "./hyphenation";
import { FIXTURE_META } from "../../test/render-fixtures";
import { renderPdf } from "./pdf";

async function readPdf(bytes: Buffer) {
  const proxy = await getDocumentProxy(new Uint8Array(bytes));
  const { text, totalPages } = await extractText(proxy, { mergePages: true });
  const { info } = await getMeta(proxy);
  return { text: text.replace(/\s+/g, " "), totalPages, info: info as Record<string, unknown> };
}

describe("renderPdf", () => {
  it("writes a valid PDF whose text has every clause, with its number, in order", async () => {
    const document = codeOfConductExport();
    const bytes = await renderPdf(document);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const { text, totalPages } = await readPdf(bytes);

    expect(text).toContain("Code of Conduct on Export Controls and Human Rights");
    expect(text).toContain("Version 3 · Consultation draft · 29 November 2026");
    expect(text).toContain(`SHA-256 ${document.meta.sha256}`);
    let from = 0;
    const leads = clauseLeads(document);
    expect(leads).toHaveLength(11);
    for (const lead of leads) {
      const at = text.indexOf(`${lead.number} ${lead.words}`, from);
      expect(at, `clause ${lead.number} after position ${from}`).toBeGreaterThan(from);
      from = at;
    }
    expect(text.indexOf("4. Consultation and information sharing")).toBeGreaterThan(text.indexOf("3. Licensing practice"));
    expect(text).toContain(`Page 1 of ${totalPages}`);
    expect(text).toContain(`Page ${totalPages} of ${totalPages}`);
  });

  it("carries the metadata and the notes, and gives the same bytes for the same version", async () => {
    const first = await renderPdf(smallExport());
    const second = await renderPdf(smallExport());
    expect(first.equals(second)).toBe(true);

    const { text, info } = await readPdf(first);
    expect(info.Title).toBe("Code of *Conduct*");
    expect(info.Subject).toBe("Version 3 · Consultation draft · 29 November 2026");
    expect(String(info.CreationDate)).toContain("20261129103000");
    expect(text).toContain("1.1 This Code is voluntary and binding on no one[1]; see the initiative.");
    expect(text).toContain("• dual-use items [Annex I];");
    expect(text).toContain("Notes 1. See the 2023 declaration.");

    const other = await renderPdf(smallExport({ versionNumber: 4 }));
    expect(other.equals(first)).toBe(false);
  });
});

const FRENCH =
  "Les États participants s’engagent à examiner les demandes d’autorisation d’exportation au regard des droits de l’homme " +
  "internationalement reconnus, conformément à leurs obligations juridiquement contraignantes, et à refuser l’autorisation " +
  "lorsqu’il existe un risque manifeste que les biens concernés soient utilisés pour commettre des violations graves.";
const ENGLISH =
  "Participating States undertake to examine applications for export authorisation against internationally recognised " +
  "human rights, consistently with their legally binding obligations, and to refuse authorisation where there is a clear " +
  "risk that the items concerned might be used to commit serious violations.";

// The words again and again, each time led by one more letter, so that lines end all over the words.
const LEADS = ["", "a ", "ab ", "abc ", "abcd ", "abcde "];

function onePage(words: string, lang: string) {
  const doc: DocJson = {
    type: "doc",
    content: [
      { type: "title", content: [{ type: "text", text: "Code" }] },
      { type: "preamble", content: LEADS.map((lead) => ({ type: "paragraph", content: [{ type: "text", text: `${lead}${words}` }] })) },
    ],
  };
  return toExportDocument(doc, { ...FIXTURE_META, lang });
}

// Where a hyphenated word may break: the number of letters before each soft hyphen.
function breakPoints(hyphenated: string): number[] {
  return hyphenated.split(SOFT_HYPHEN).slice(0, -1).map((_part, index, parts) => parts.slice(0, index + 1).join("").length);
}

describe("hyphenation in the PDF", () => {
  for (const [lang, words] of [
    ["fr", FRENCH],
    ["en", ENGLISH],
  ] as const) {
    it(`breaks words at the line ends where ${lang} allows, and shows no other hyphen`, async () => {
      const proxy = await getDocumentProxy(new Uint8Array(await renderPdf(onePage(words, lang))));
      const { text } = await extractText(proxy, { mergePages: true });
      expect(text).not.toContain(SOFT_HYPHEN);
      const lines = text.split("\n");
      const start = lines.findIndex((line) => line.startsWith(words.slice(0, 20)));
      const end = lines.findIndex((line) => line.startsWith("Page "));
      const body = lines.slice(start, end).filter((line) => line !== "1.");
      // Every hyphen a line ends with breaks a word where the language's patterns allow it.
      let broken = 0;
      body.forEach((line, index) => {
        const before = /(\p{L}+)-$/u.exec(line.trimEnd());
        if (!before) return;
        const after = /^\p{L}+/u.exec(body[index + 1] ?? "");
        expect(after, `the line after "${line}"`).not.toBeNull();
        const word = `${before[1]}${after?.[0] ?? ""}`;
        expect(breakPoints(hyphenate(word, lang)), word).toContain(before[1]?.length);
        broken += 1;
      });
      expect(broken).toBeGreaterThan(0);
      // Joined again, the lines are the paragraphs exactly: nothing is lost, no hyphen shows elsewhere.
      const joined = body.map((line) => line.trimEnd()).join("\n").replace(/(\p{L})-\n(?=\p{L})/gu, "$1").replace(/\n/g, " ");
      expect(joined.replace(/\s+/g, " ")).toBe(LEADS.map((lead) => `${lead}${words}`).join(" "));
    });
  }
});
