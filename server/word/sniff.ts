import type { WordFileRefusal } from "./word-file-error";

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Whether the bytes open like a zip archive (a local file header, or the end record of an empty one). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06));
}

/**
 * What a file that is not a zip is, as far as its first bytes tell: a PDF, an RTF file, a web page,
 * plain text, or an OLE compound file, which is either a Word 97–2003 document or a Word document
 * encrypted with a password (Word wraps those in OLE, with an "EncryptionInfo" stream).
 */
export function describeNonZip(bytes: Uint8Array): WordFileRefusal {
  if (startsWith(bytes, OLE_MAGIC)) return hasUtf16Name(bytes, "EncryptionInfo") ? "encrypted" : "legacyDoc";
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  const start = head.replace(/^(\uFEFF|\xEF\xBB\xBF|\s)+/, "");
  if (start.startsWith("%PDF-") || head.includes("%PDF-")) return "pdf";
  if (start.startsWith("{\\rtf")) return "rtf";
  if (/^(<!doctype html|<html)/i.test(start)) return "html";
  if (isText(bytes.subarray(0, 4096))) return "text";
  return "unknownFormat";
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

// An OLE directory names its streams in UTF-16LE; the whole file is searched, as the directory
// sectors may lie anywhere in it.
function hasUtf16Name(bytes: Uint8Array, name: string): boolean {
  const needle = Buffer.from(name, "utf16le");
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}

// Text is valid UTF-8 without control characters other than tabs, line and page breaks (a sample
// cut in the middle of a character is forgiven).
function isText(sample: Uint8Array): boolean {
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, completeUtf8Length(sample)));
  } catch {
    return false;
  }
  for (let index = 0; index < decoded.length; index += 1) {
    const code = decoded.charCodeAt(index);
    if ((code < 0x20 && !ALLOWED_CONTROLS.has(code)) || code === 0x7f) return false;
  }
  return true;
}

/** Tab, line feed, vertical tab, form feed and carriage return. */
const ALLOWED_CONTROLS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

function completeUtf8Length(sample: Uint8Array): number {
  let end = sample.length;
  // Back up over continuation bytes to the start of the last character, then keep it if it is whole.
  let start = end - 1;
  while (start >= 0 && start > end - 4 && ((sample[start] ?? 0) & 0xc0) === 0x80) start -= 1;
  const lead = sample[start] ?? 0;
  const width = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (start >= 0 && end - start < width) end = start;
  return end;
}
