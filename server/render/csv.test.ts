import { describe, expect, it } from "vitest";
import { csvField, csvLine } from "./csv";

describe("CSV", () => {
  it("quotes what needs quoting and nothing else", () => {
    expect(csvLine(["plain", 3, true, null, undefined])).toBe("plain,3,true,,\r\n");
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("Norvège — ok")).toBe("Norvège — ok");
  });

  it("keeps text that a spreadsheet would run as a formula as text", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2")).toBe("'-2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    // Numbers are numbers, negative ones included.
    expect(csvField(-2)).toBe("-2");
  });

  it.each([
    ["Merci;=1+1", '"Merci;=1+1"'],
    ["a;b", '"a;b"'],
    ["a\tb", '"a\tb"'],
    ["a\rb", '"a\rb"'],
    ["=1+1", "'=1+1"],
    ["  =1+1", "'  =1+1"],
    [" +33 1 23 45 67 89", "' +33 1 23 45 67 89"],
    ["\u00a0-1", "'\u00a0-1"],
    ["\n@SUM(A1)", '"\'\n@SUM(A1)"'],
    ["\t=1+1", '"\'\t=1+1"'],
    ["\r=1+1", '"\'\r=1+1"'],
    ["=1;2", '"\'=1;2"'],
    ["-", "'-"],
    ["1-2", "1-2"],
    ["e-mail", "e-mail"],
    ["Oui, merci", '"Oui, merci"'],
  ])("writes %j as %s: never a formula, never split, in a comma, semicolon or tab locale", (value, expected) => {
    const field = csvField(value);
    expect(field).toBe(expected);
    // Read back as a spreadsheet would with any of the three separators: one cell, not a formula.
    for (const separator of [",", ";", "\t"]) {
      const cells = splitCsvLine(field, separator);
      expect(cells).toHaveLength(1);
      expect(cells[0]?.trimStart()).not.toMatch(/^[=+\-@]/);
    }
  });
});

// A minimal RFC 4180 reader for one line, with a chosen separator.
function splitCsvLine(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === separator) {
      cells.push(cell);
      cell = "";
    } else {
      cell += char;
    }
  }
  cells.push(cell);
  return cells;
}
