import { describe, expect, it } from "vitest";
import { t } from "../../i18n/translate";
import { documentXml, docx, packageParts, paragraph, run, type PackageParts } from "../../test/fixtures/word/ooxml";
import { deflatedZeros, noise, rawZip, type RawEntry } from "../../test/fixtures/word/raw-zip";
import { MAX_UPLOAD_BYTES, openWordArchive } from "./archive";
import { WordFileError, type WordFileRefusal } from "./word-file-error";

const HELLO: PackageParts = { document: documentXml(paragraph(run("Hello"))) };

/** The package of a small valid document as raw entries, changed by `change`. */
function entries(change: (parts: Record<string, Uint8Array>) => void = () => undefined, parts: PackageParts = HELLO): RawEntry[] {
  const files = packageParts(parts);
  change(files);
  return Object.entries(files).map(([name, content]) => ({ name, content }));
}

function refusal(bytes: Uint8Array): { reason: WordFileRefusal; error: WordFileError } {
  try {
    openWordArchive(bytes);
  } catch (error) {
    if (error instanceof WordFileError) return { reason: error.reason, error };
    throw error;
  }
  throw new Error("the archive was opened");
}

const ascii = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

describe("openWordArchive on a Word document", () => {
  it("gives its XML parts by name, case aside, and finds the main document through the package's relationships", () => {
    const archive = openWordArchive(docx(HELLO));
    expect(archive.mainDocument).toBe("word/document.xml");
    expect(archive.names()).toContain("[Content_Types].xml");
    expect(archive.has("WORD/Document.xml")).toBe(true);
    expect(archive.text("word/document.xml")).toContain("<w:t xml:space=\"preserve\">Hello</w:t>");
    expect(archive.text("word/missing.xml")).toBeNull();
  });

  it("finds a main document Word did not name document.xml, and reads XML saved as UTF-16", () => {
    const bytes = rawZip(
      entries((files) => {
        const main = files["word/document.xml"];
        delete files["word/document.xml"];
        files["word/body.xml"] = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(Buffer.from(main ?? []).toString("utf8").replace('encoding="UTF-8"', 'encoding="UTF-16"'), "utf16le")]));
        files["_rels/.rels"] = new Uint8Array(Buffer.from(Buffer.from(files["_rels/.rels"] ?? []).toString("utf8").replace('Target="word/document.xml"', 'Target="/word/body.xml"')));
        files["[Content_Types].xml"] = new Uint8Array(Buffer.from(Buffer.from(files["[Content_Types].xml"] ?? []).toString("utf8").replace("/word/document.xml", "/word/body.xml")));
      }),
    );
    const archive = openWordArchive(bytes);
    expect(archive.mainDocument).toBe("word/body.xml");
    expect(archive.text("word/body.xml")).toContain("Hello");
  });
});

describe("openWordArchive refuses what is not a Word document, saying what it is", () => {
  it.each<[string, Uint8Array, WordFileRefusal]>([
    ["an empty file", new Uint8Array(0), "empty"],
    ["a PDF", ascii("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "pdf"],
    ["an RTF file", ascii("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Hello}"), "rtf"],
    ["a web page", ascii("<!DOCTYPE html><html><body><p>Hello</p></body></html>"), "html"],
    ["plain text", new Uint8Array(Buffer.from("Code of conduct\n\n1.1\tDelegations agree — « d’accord ».\n", "utf8")), "text"],
    ["random bytes", noise(4096), "unknownFormat"],
  ])("%s", (_, bytes, reason) => {
    expect(refusal(bytes).reason).toBe(reason);
  });

  it("tells an old .doc from a password-protected .docx, both OLE compound files", () => {
    const header = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    const ole = (...streams: string[]) => new Uint8Array(Buffer.concat([Buffer.from(header), Buffer.alloc(504), ...streams.map((name) => Buffer.from(name, "utf16le")), Buffer.alloc(1024)]));
    const legacy = refusal(ole("Root Entry", "WordDocument", "1Table"));
    const encrypted = refusal(ole("Root Entry", "EncryptionInfo", "EncryptedPackage"));
    expect(legacy.reason).toBe("legacyDoc");
    expect(encrypted.reason).toBe("encrypted");
    expect(legacy.error.message).toContain("Word 97–2003 document (.doc)");
    expect(encrypted.error.message).toContain("password");
    expect(t(encrypted.error.key, encrypted.error.params, "fr")).toContain("mot de passe");
  });

  it("refuses an upload over the limit before looking into it, in the reader's language", () => {
    const { reason, error } = refusal(new Uint8Array(MAX_UPLOAD_BYTES + 1));
    expect(reason).toBe("tooLarge");
    expect(error.message).toBe("The file is larger than 20\u00a0MB. Upload a Word document of at most 20\u00a0MB.");
    expect(t(error.key, error.params, "fr")).toBe("Le fichier dépasse 20\u00a0Mo. Envoyez un document Word d’au plus 20\u00a0Mo.");
  });

  it("refuses other zips: an OpenDocument text (saying to save it as .docx), a spreadsheet, any other archive", () => {
    // An OpenOffice 2 manifest declares a document type: the file is still told apart as what it is.
    const manifest = '<?xml version="1.0"?><!DOCTYPE manifest:manifest PUBLIC "-//OpenOffice.org//DTD Manifest 1.0//EN" "Manifest.dtd"><manifest:manifest/>';
    const odt = refusal(
      rawZip([
        { name: "mimetype", content: "application/vnd.oasis.opendocument.text", stored: true },
        { name: "content.xml", content: "<office:document-content/>" },
        { name: "META-INF/manifest.xml", content: manifest },
      ]),
    );
    expect(odt.reason).toBe("odt");
    expect(odt.error.message).toContain("Save it as a Word document (.docx)");
    expect(refusal(rawZip([{ name: "[Content_Types].xml", content: "<Types/>" }, { name: "xl/workbook.xml", content: "<workbook/>" }])).reason).toBe("otherOffice");
    expect(refusal(rawZip([{ name: "notes.txt", content: "hello" }])).reason).toBe("notWord");
    expect(refusal(rawZip(entries((files) => delete files["[Content_Types].xml"]))).reason).toBe("notWord");
  });

  it("refuses a macro-enabled document, by its VBA project or by its content type", () => {
    expect(refusal(rawZip(entries((files) => (files["word/vbaProject.bin"] = noise(512))))).reason).toBe("macros");
    expect(refusal(docx({ ...HELLO, mainContentType: "application/vnd.ms-word.document.macroEnabled.main+xml" })).reason).toBe("macros");
  });
});

describe("openWordArchive refuses zip bombs", () => {
  const bomb = (deflated: Uint8Array, size: number) => rawZip([...entries(), { name: "word/media/image1.png", deflated, size }]);

  it("by the compression ratio a big part declares: 200 MB of zeros in 200 kB", () => {
    const zeros = deflatedZeros(200);
    expect(zeros.length).toBeLessThan(250_000);
    const { reason, error } = refusal(bomb(zeros, 200 * 1024 * 1024));
    expect(reason).toBe("compressionRatio");
    expect(error.detail).toBe("word/media/image1.png");
  });

  it("by counting what inflates when the declared size lies, stopping at the declared size", () => {
    // 2 GB of zeros in 2 MB, declared as 4 kB.
    const bytes = rawZip(entries().map((entry) => (entry.name === "word/document.xml" ? { name: entry.name, deflated: deflatedZeros(2000), size: 4096 } : entry)));
    const started = performance.now();
    const { reason, error } = refusal(bytes);
    expect([reason, error.detail]).toEqual(["sizeMismatch", "word/document.xml"]);
    // Inflating the 2 GB would take seconds (and as much memory).
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("by the size one part declares, and the size all declare together", () => {
    // Sizes that do not stand out by their ratio: a megabyte of compressed noise declaring 60 MB, then three declaring 40 MB each.
    expect(refusal(bomb(noise(1024 * 1024), 60 * 1024 * 1024)).reason).toBe("partTooLarge");
    const parts = [1, 2, 3].map((index) => ({ name: `word/media/image${index}.png`, deflated: noise(1024 * 1024), size: 40 * 1024 * 1024 }));
    expect(refusal(rawZip([...entries(), ...parts])).reason).toBe("unpackedTooLarge");
  });

  it("by the number of parts", () => {
    const many = Array.from({ length: 1001 }, (_, index) => ({ name: `word/media/p${index}.bin`, content: "x", stored: true }));
    const { reason, error } = refusal(rawZip([...entries(), ...many]));
    expect(reason).toBe("tooManyParts");
    expect(error.message).toContain("more than 1,000 parts");
    expect(t(error.key, error.params, "fr")).toContain("plus de 1\u202f000 éléments");
  });

  it("made of entries that share their compressed bytes", () => {
    const bytes = rawZip([...entries(), { name: "word/a.xml", content: "<a/>" }, { name: "word/b.xml", content: "<a/>", sharesDataWith: "word/a.xml" }]);
    expect(refusal(bytes).reason).toBe("corrupt");
  });
});

describe("openWordArchive refuses hostile and damaged XML", () => {
  const withPart = (name: string, xml: string) => rawZip(entries((files) => (files[name] = new Uint8Array(Buffer.from(xml, "utf8")))));

  it("a billion laughs: entities that expand exponentially", () => {
    const laughs = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level || ""};`.repeat(10)}">`),
      "]>",
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>',
    ].join("\n");
    const { reason, error } = refusal(withPart("word/document.xml", laughs));
    expect(reason).toBe("unsafeXml");
    expect(error.detail).toBe("word/document.xml");
  });

  it("an external entity (XXE) in any part", () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE w:styles [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&xxe;</w:styles>';
    expect(refusal(withPart("word/styles.xml", xxe)).reason).toBe("unsafeXml");
  });

  it("a part that is not UTF-8", () => {
    const latin1 = rawZip(entries((files) => (files["word/styles.xml"] = ascii("<w:styles>caf\xe9</w:styles>"))));
    expect(refusal(latin1).reason).toBe("corrupt");
  });
});

describe("openWordArchive refuses a damaged zip", () => {
  const good = docx(HELLO);

  it("cut short", () => {
    expect(refusal(good.subarray(0, Math.floor(good.length * 0.7))).reason).toBe("corrupt");
    expect(refusal(good.subarray(0, 30)).reason).toBe("corrupt");
  });

  it("with damaged bytes, which the CRC finds", () => {
    const damaged = rawZip(entries().map((entry) => ({ ...entry, stored: true })));
    // The document part's data follows its name in its local header.
    const at = Buffer.from(damaged).indexOf("<w:body>");
    damaged.set(Buffer.from("<w:bodY>"), at);
    expect(refusal(damaged).reason).toBe("corrupt");
  });

  it("with a part named twice, or encrypted entries", () => {
    expect(refusal(rawZip([...entries(), { name: "word/document.xml", content: "<w:document/>" }])).reason).toBe("corrupt");
    expect(refusal(rawZip(entries().map((entry) => ({ ...entry, flags: 1 })))).reason).toBe("encrypted");
  });
});
