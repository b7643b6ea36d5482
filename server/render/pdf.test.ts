import { extractText, getMeta, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "vitest";
import { clauseLeads, codeOfConductExport, smallExport } from "../../test/render-fixtures";
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
