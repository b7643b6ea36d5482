/**
 * CSV as spreadsheets read it (RFC 4180): fields quoted when they hold a comma, quote or line break,
 * quotes doubled, lines ended by CRLF. A field that a spreadsheet would run as a formula (starting
 * with =, +, -, @, tab or carriage return) is prefixed with an apostrophe so it stays text.
 */
export function csvLine(fields: readonly (string | number | boolean | null | undefined)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

/** One field of a CSV line. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The byte-order mark that makes spreadsheet programs read a CSV file as UTF-8. */
export const UTF8_BOM = "\uFEFF";
