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
});
