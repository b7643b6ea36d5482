/**
 * CSV as spreadsheets read it (RFC 4180), in any locale: fields quoted when they hold a separator
 * of any common locale (`,` in English, `;` in French, Danish, Dutch or Norwegian, tab), a quote
 * or a line break; quotes doubled; lines ended by CRLF. A field that a spreadsheet would run as a
 * formula is prefixed with an apostrophe so it stays text.
 */
export function csvLine(fields: readonly (string | number | boolean | null | undefined)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

// Spreadsheets start a formula at =, +, - or @, and skip leading spaces first; a leading tab or
// carriage return also starts one in some of them. Quoting alone does not stop it: the quotes
// are gone once the cell is read.
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@])/;
// Quoted so that no locale's separator splits the cell: `Merci;=1+1` must stay one text cell,
// not become `Merci` and a formula in a `;`-separated spreadsheet.
const NEEDS_QUOTES = /[",;\t\r\n]/;

/** One field of a CSV line. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The byte-order mark that makes spreadsheet programs read a CSV file as UTF-8. */
export const UTF8_BOM = "\uFEFF";
