import { describeNonZip, looksLikeZip } from "./sniff";
import { PACKAGE, relatedPart } from "./parts";
import { WordFileError } from "./word-file-error";
import { inflateEntry, readZipDirectory, type ZipEntry } from "./zip";

const MB = 1024 * 1024;

/** The largest upload read, in bytes. */
export const MAX_UPLOAD_BYTES = 20 * MB;
/** The most parts (zip entries) an archive may hold; Word's own files hold a few dozen. */
export const MAX_PARTS = 1000;
/** The most one part may take once inflated. */
export const MAX_PART_BYTES = 50 * MB;
/** The most all parts together may take once inflated. */
export const MAX_UNPACKED_BYTES = 100 * MB;
/** The highest compression ratio allowed for a part of more than `RATIO_CHECKED_FROM` bytes. */
export const MAX_COMPRESSION_RATIO = 200;
const RATIO_CHECKED_FROM = 1 * MB;

/** An opened Word document: its parts by name, the XML ones already inflated and checked. */
export interface WordArchive {
  /** The names of every part, as the archive spells them. */
  names(): string[];
  /** Whether the archive has the part (names compare case-insensitively, as in OPC). */
  has(name: string): boolean;
  /** The text of an XML part, or null if there is no such XML part. */
  text(name: string): string | null;
  /** The main document part: `word/document.xml` as Word writes it. */
  readonly mainDocument: string;
}

/**
 * Opens an uploaded Word document (.docx) in memory, refusing with a WordFileError what is not one
 * (a PDF, an old .doc, an encrypted document, an OpenDocument text, a macro-enabled .docm), what
 * is damaged, and what is hostile: a zip bomb (sizes are checked as declared, then counted while
 * inflating, since declarations lie), and XML with a document type declaration, through which
 * entities expand (billion laughs) or reach outside (XXE). Nothing is written anywhere.
 */
export function openWordArchive(bytes: Uint8Array): WordArchive {
  if (bytes.length === 0) throw new WordFileError("empty");
  if (bytes.length > MAX_UPLOAD_BYTES) throw new WordFileError("tooLarge", { megabytes: MAX_UPLOAD_BYTES / MB });
  if (!looksLikeZip(bytes)) throw new WordFileError(describeNonZip(bytes));

  const entries = readZipDirectory(bytes, { maxEntries: MAX_PARTS });
  checkDeclaredSizes(entries);
  const byName = new Map(entries.map((entry) => [entry.name.toLowerCase(), entry]));
  if (entries.some((entry) => /(^|\/)vbaproject\.bin$/i.test(entry.name))) throw new WordFileError("macros");

  const texts = new Map<string, string>();
  const text = (name: string): string | null => {
    const entry = byName.get(name.toLowerCase());
    if (!entry || !isXmlPart(entry.name)) return null;
    const known = texts.get(entry.name);
    if (known !== undefined) return known;
    const decoded = decodeXml(inflateEntry(bytes, entry), entry.name);
    // No Word part declares a document type; where one does, entities can expand or reach out.
    if (/<!(DOCTYPE|ENTITY)/i.test(decoded)) throw new WordFileError("unsafeXml", {}, entry.name);
    texts.set(entry.name, decoded);
    return decoded;
  };

  const contentTypes = text("[Content_Types].xml");
  if (contentTypes !== null && /macroEnabled/i.test(contentTypes)) throw new WordFileError("macros");
  const mainDocument = contentTypes === null ? null : (relatedPart({ text }, PACKAGE, "officeDocument") ?? "word/document.xml");
  if (contentTypes === null || mainDocument === null || !byName.has(mainDocument.toLowerCase()) || !/wordprocessingml/i.test(contentTypes)) {
    throw new WordFileError(whatOtherZip(bytes, byName));
  }
  // Every XML part is inflated and checked now, whichever of them is read later.
  for (const entry of entries) text(entry.name);

  return {
    names: () => entries.map((entry) => entry.name),
    has: (name) => byName.has(name.toLowerCase()),
    text,
    mainDocument,
  };
}

// Every check on declared sizes comes before anything is inflated.
function checkDeclaredSizes(entries: readonly ZipEntry[]): void {
  let total = 0;
  for (const entry of entries) {
    if (entry.encrypted) throw new WordFileError("encrypted");
    if (entry.method !== 0 && entry.method !== 8) throw new WordFileError("corrupt", {}, `${entry.name}: compression method ${entry.method}`);
    if (entry.size > RATIO_CHECKED_FROM && entry.size / Math.max(1, entry.compressedSize) > MAX_COMPRESSION_RATIO) {
      throw new WordFileError("compressionRatio", { ratio: MAX_COMPRESSION_RATIO }, entry.name);
    }
    if (entry.size > MAX_PART_BYTES) throw new WordFileError("partTooLarge", { megabytes: MAX_PART_BYTES / MB }, entry.name);
    total += entry.size;
    if (total > MAX_UNPACKED_BYTES) throw new WordFileError("unpackedTooLarge", { megabytes: MAX_UNPACKED_BYTES / MB });
  }
}

function isXmlPart(name: string): boolean {
  return /\.(xml|rels)$/i.test(name);
}

function decodeXml(raw: Uint8Array, name: string): string {
  try {
    if (raw[0] === 0xff && raw[1] === 0xfe) return new TextDecoder("utf-16le", { fatal: true }).decode(raw.subarray(2));
    if (raw[0] === 0xfe && raw[1] === 0xff) return new TextDecoder("utf-16be", { fatal: true }).decode(raw.subarray(2));
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new WordFileError("corrupt", {}, name);
  }
}

// A zip that is not a Word document: an OpenDocument text says so in its `mimetype` part, Excel and
// PowerPoint files in their folders.
function whatOtherZip(bytes: Uint8Array, byName: ReadonlyMap<string, ZipEntry>): "odt" | "otherOffice" | "notWord" {
  const mimetype = byName.get("mimetype");
  if (mimetype && mimetype.size <= 200) {
    const type = new TextDecoder().decode(inflateEntry(bytes, mimetype)).trim();
    if (type === "application/vnd.oasis.opendocument.text") return "odt";
    if (type.startsWith("application/vnd.oasis.opendocument.")) return "otherOffice";
  }
  if (byName.has("xl/workbook.xml") || byName.has("ppt/presentation.xml")) return "otherOffice";
  return "notWord";
}
