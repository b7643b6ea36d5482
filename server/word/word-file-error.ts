import type { MessageKey, MessageParams } from "../../i18n/translate";
import { DomainError } from "../domain/messages";

/** Why an uploaded file is not read: each reason has its own message (`word.refused.*`). */
export type WordFileRefusal =
  | "empty"
  | "tooLarge"
  | "pdf"
  | "rtf"
  | "html"
  | "text"
  | "legacyDoc"
  | "encrypted"
  | "unknownFormat"
  | "odt"
  | "otherOffice"
  | "notWord"
  | "macros"
  | "tooManyParts"
  | "partTooLarge"
  | "unpackedTooLarge"
  | "compressionRatio"
  | "sizeMismatch"
  | "unsafeXml"
  | "tooComplex"
  | "corrupt";

const MESSAGES: Record<WordFileRefusal, MessageKey> = {
  empty: "word.refused.empty",
  tooLarge: "word.refused.tooLarge",
  pdf: "word.refused.pdf",
  rtf: "word.refused.rtf",
  html: "word.refused.html",
  text: "word.refused.text",
  legacyDoc: "word.refused.legacyDoc",
  encrypted: "word.refused.encrypted",
  unknownFormat: "word.refused.unknownFormat",
  odt: "word.refused.odt",
  otherOffice: "word.refused.otherOffice",
  notWord: "word.refused.notWord",
  macros: "word.refused.macros",
  tooManyParts: "word.refused.tooManyParts",
  partTooLarge: "word.refused.partTooLarge",
  unpackedTooLarge: "word.refused.unpackedTooLarge",
  compressionRatio: "word.refused.compressionRatio",
  sizeMismatch: "word.refused.sizeMismatch",
  unsafeXml: "word.refused.unsafeXml",
  tooComplex: "word.refused.tooComplex",
  corrupt: "word.refused.corrupt",
};

/**
 * An uploaded file Accord will not read as a Word document, and why: the person who sent it reads
 * the translated message; `reason` is for code and tests, `detail` (the part to blame, or what is
 * wrong with the zip, in English) for whoever looks into it.
 */
export class WordFileError extends DomainError {
  constructor(
    readonly reason: WordFileRefusal,
    params: MessageParams = {},
    readonly detail: string | null = null,
  ) {
    super(MESSAGES[reason], params);
  }
}
