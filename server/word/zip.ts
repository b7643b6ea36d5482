import { crc32, inflateRawSync } from "node:zlib";
import { WordFileError } from "./word-file-error";

/** One file of a zip archive, as its central directory declares it. */
export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated (the only two this reader accepts). */
  method: number;
  encrypted: boolean;
  crc: number;
  compressedSize: number;
  /** The size the archive declares once inflated: a hostile archive may lie about it. */
  size: number;
  /** Where the compressed bytes start in the archive. */
  dataOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_RECORD_LENGTH = 22;
const MAX_COMMENT_LENGTH = 0xffff;
const UTF8_NAMES = 0x0800;

/**
 * The entries of a zip archive from its central directory, checked to lie within the file, not to
 * overlap and not to repeat a name. Refuses an archive of more than `maxEntries` entries before
 * reading them, and what it cannot read (a ZIP64 or multi-disk archive, a truncated one) as corrupt.
 */
export function readZipDirectory(bytes: Uint8Array, { maxEntries }: { maxEntries: number }): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfDirectory(view);
  if (end < 0) throw corrupt("the end of the zip directory is missing");
  const disk = view.getUint16(end + 4, true);
  const directoryDisk = view.getUint16(end + 6, true);
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (count > maxEntries) throw new WordFileError("tooManyParts", { count: maxEntries });
  // ZIP64 marks its fields 0xFFFF…; a Word document never needs it.
  if (disk !== 0 || directoryDisk !== 0 || count === 0xffff || directoryOffset === 0xffffffff) throw corrupt("a ZIP64 or multi-disk archive");
  if (directoryOffset + directorySize > end) throw corrupt("the zip directory lies outside the file");

  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let at = directoryOffset;
  while (at < directoryOffset + directorySize) {
    if (entries.length >= maxEntries) throw new WordFileError("tooManyParts", { count: maxEntries });
    if (at + 46 > end || view.getUint32(at, true) !== DIRECTORY_ENTRY) throw corrupt("a damaged zip directory entry");
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const name = decodeName(bytes.subarray(at + 46, at + 46 + nameLength), (flags & UTF8_NAMES) !== 0);
    const entry: ZipEntry = {
      name,
      method: view.getUint16(at + 10, true),
      encrypted: (flags & 1) !== 0,
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      dataOffset: dataOffset(view, view.getUint32(at + 42, true), name),
    };
    if (entry.dataOffset + entry.compressedSize > directoryOffset) throw corrupt(`${name} lies outside the file`);
    // Zip readers disagree on which of two same-named entries counts: such an archive is refused.
    const key = name.toLowerCase();
    if (seen.has(key)) throw corrupt(`${name} appears twice`);
    seen.add(key);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (entries.length !== count) throw corrupt("the zip directory counts its entries wrongly");
  refuseOverlaps(entries);
  return entries;
}

/**
 * The inflated bytes of `entry`, never more than it declares: inflating stops as soon as the output
 * passes the declared size (an archive that lies about its sizes is a zip bomb's trick), and the
 * CRC is checked.
 */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let output: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw new WordFileError("sizeMismatch", {}, entry.name);
    output = data;
  } else {
    try {
      output = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw new WordFileError("sizeMismatch", {}, entry.name);
      throw new WordFileError("corrupt", {}, entry.name);
    }
  }
  if (output.length !== entry.size) throw new WordFileError(output.length > entry.size ? "sizeMismatch" : "corrupt", {}, entry.name);
  if (crc32(output) !== entry.crc) throw new WordFileError("corrupt", {}, entry.name);
  return output;
}

function findEndOfDirectory(view: DataView): number {
  const last = view.byteLength - END_RECORD_LENGTH;
  const first = Math.max(0, last - MAX_COMMENT_LENGTH);
  for (let at = last; at >= first; at -= 1) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY && at + END_RECORD_LENGTH + view.getUint16(at + 20, true) <= view.byteLength) return at;
  }
  return -1;
}

function dataOffset(view: DataView, headerOffset: number, name: string): number {
  if (headerOffset + 30 > view.byteLength || view.getUint32(headerOffset, true) !== LOCAL_HEADER) throw corrupt(`the header of ${name} is missing`);
  return headerOffset + 30 + view.getUint16(headerOffset + 26, true) + view.getUint16(headerOffset + 28, true);
}

// Entries that share compressed bytes multiply a small kernel into many large files (the
// "non-recursive" zip bomb); no honest archive does it.
function refuseOverlaps(entries: readonly ZipEntry[]): void {
  const sorted = [...entries].sort((a, b) => a.dataOffset - b.dataOffset);
  for (let index = 1; index < sorted.length; index += 1) {
    const previous = sorted[index - 1];
    const entry = sorted[index];
    if (previous && entry && previous.dataOffset + previous.compressedSize > entry.dataOffset) throw corrupt(`${entry.name} overlaps ${previous.name}`);
  }
}

function decodeName(raw: Uint8Array, utf8: boolean): string {
  return new TextDecoder(utf8 ? "utf-8" : "latin1").decode(raw);
}

function corrupt(why: string): WordFileError {
  return new WordFileError("corrupt", {}, why);
}
