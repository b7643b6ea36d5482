import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import type { WordArchive } from "./archive";
import { elements, isNamed, parseXml, type Namespace } from "./xml";

/**
 * The text Accord exported, carried inside its Word file so that a capital's marked-up copy is read
 * against exactly what the capital was sent: each clause's paragraphs as plain text (spaces
 * collapsed, footnotes left out), and the names Accord gave its own revisions, which are not the
 * capital's. It is a custom XML part, which Word keeps through editing and saving.
 */
export interface ExportBaseline {
  draftId: string;
  authors: string[];
  clauses: { id: string; paragraphs: string[] }[];
}

const NAMESPACE = "urn:accord:word-export:1";
const NS: Namespace = [NAMESPACE];
const ITEM = "customXml/item1.xml";
const ITEM_PROPS = "customXml/itemProps1.xml";
const ITEM_RELS = "customXml/_rels/item1.xml.rels";
const CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml";
const PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps";
const PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml";

/** Plain text as the baseline keeps it and as the marked-up copy is read: white space collapsed. */
export function baselineText(text: string): string {
  return text.replace(/[ \t\n\r\f\v\u2028]+/g, " ").trim();
}

/** `docx` with the baseline added as a custom XML part of its main document. */
export function addBaseline(docx: Uint8Array, baseline: ExportBaseline): Buffer {
  const files = unzipSync(docx);
  files[ITEM] = strToU8(baselineXml(baseline));
  files[ITEM_PROPS] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem ds:itemID="{6B1D6E2A-0C4B-4D52-9D1E-ACC0ED000001}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef ds:uri="${NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>`,
  );
  files[ITEM_RELS] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${PROPS_REL}" Target="itemProps1.xml"/></Relationships>`,
  );
  const types = strFromU8(files["[Content_Types].xml"] ?? new Uint8Array());
  files["[Content_Types].xml"] = strToU8(types.replace("</Types>", `<Override PartName="/${ITEM_PROPS}" ContentType="${PROPS_TYPE}"/></Types>`));
  const relsName = "word/_rels/document.xml.rels";
  const rels = strFromU8(files[relsName] ?? new Uint8Array());
  files[relsName] = strToU8(rels.replace("</Relationships>", `<Relationship Id="rIdAccordBaseline" Type="${CUSTOM_XML_REL}" Target="../${ITEM}"/></Relationships>`));
  return Buffer.from(zipSync(files, { level: 6 }));
}

/** The baseline a copy of Accord's export carries, or null when it has none (or another's). */
export function readBaseline(archive: WordArchive): ExportBaseline | null {
  for (const name of archive.names()) {
    if (!/^customXml\/item\d+\.xml$/i.test(name)) continue;
    const text = archive.text(name);
    if (!text?.includes(NAMESPACE)) continue;
    const root = parseXml(text, name);
    if (!isNamed(root, NS, "baseline")) continue;
    const draftId = root.getAttribute("draft") ?? "";
    const authors = elements(root)
      .filter((element) => isNamed(element, NS, "author"))
      .map((element) => element.textContent ?? "");
    const clauses = elements(root)
      .filter((element) => isNamed(element, NS, "clause"))
      .map((element) => ({
        id: element.getAttribute("id") ?? "",
        paragraphs: elements(element)
          .filter((paragraph) => isNamed(paragraph, NS, "p"))
          .map((paragraph) => paragraph.textContent ?? ""),
      }));
    return { draftId, authors, clauses };
  }
  return null;
}

function baselineXml(baseline: ExportBaseline): string {
  const authors = baseline.authors.map((author) => `<author>${escape(author)}</author>`).join("");
  const clauses = baseline.clauses
    .map((clause) => `<clause id="${escape(clause.id)}">${clause.paragraphs.map((paragraph) => `<p>${escape(paragraph)}</p>`).join("")}</clause>`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><baseline xmlns="${NAMESPACE}" draft="${escape(baseline.draftId)}">${authors}${clauses}</baseline>`;
}

function escape(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
