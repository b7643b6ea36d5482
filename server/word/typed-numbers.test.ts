import { describe, expect, it } from "vitest";
import type { ContentPiece } from "./word-document";
import { stripLead, typedHeadingNumber, typedLead, type TypedLead } from "./typed-numbers";

describe("typedLead", () => {
  it.each<[string, TypedLead | null]>([
    ["1.\tText", { kind: "number", depth: 1, length: 3 }],
    ["1.1\tText", { kind: "number", depth: 2, length: 4 }],
    ["2.3. Text", { kind: "number", depth: 2, length: 5 }],
    ["4) Text", { kind: "number", depth: 1, length: 3 }],
    ["12\tText", { kind: "number", depth: 1, length: 3 }],
    ["  3.\tIndented", { kind: "number", depth: 1, length: 5 }],
    ["Article 4 Text", { kind: "number", depth: 1, length: 10 }],
    ["Article 12.3 – Text", { kind: "number", depth: 2, length: 15 }],
    ["art. 7: Text", { kind: "number", depth: 1, length: 8 }],
    ["Article 9", { kind: "number", depth: 1, length: 9 }],
    ["(a)\tItem", { kind: "item", bullet: false, length: 4 }],
    ["(iv) Item", { kind: "item", bullet: false, length: 5 }],
    ["b) Item", { kind: "item", bullet: false, length: 3 }],
    ["•\tItem", { kind: "item", bullet: true, length: 2 }],
    ["– Item", { kind: "item", bullet: true, length: 2 }],
    // Numbers that are the text's own.
    ["12 delegations agree", null],
    ["2026 was the year", null],
    ["-5 degrees", null],
    ["Articles of faith", null],
    ["(see above)", null],
    ["", null],
  ])("%j", (text, lead) => {
    expect(typedLead(text)).toEqual(lead);
  });
});

describe("typedHeadingNumber", () => {
  it.each<[string, number]>([
    ["1. Purpose", 3],
    ["1 Purpose", 2],
    ["2.1 Sub-heading", 4],
    ["IV. Scope", 4],
    ["Section 2 – Review", 12],
    ["Chapitre III\u202f: Champ", 15],
    ["Part 1: Scope", 8],
    ["2026 Review", 0],
    ["I am a heading", 0],
    ["Purpose", 0],
  ])("%j", (text, length) => {
    expect(typedHeadingNumber(text)).toBe(length);
  });
});

describe("stripLead", () => {
  const text = (value: string, bold = false): ContentPiece => ({ kind: "text", text: value, bold, italic: false, link: null, inserted: null, deleted: null });

  it("drops the lead across runs and a tab, keeping what follows with its formatting", () => {
    const tab: ContentPiece = { kind: "tab", inserted: null, deleted: null };
    expect(stripLead([text("1"), text(".1"), tab, text("Te"), text("xt", true)], 4)).toEqual([text("Te"), text("xt", true)]);
    expect(stripLead([text("Article 4 The"), text(" rest")], 10)).toEqual([text("The"), text(" rest")]);
  });
});
