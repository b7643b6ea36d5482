import { describe, expect, it } from "vitest";
import type { DocJson } from "../../schema/content";
import { compareTexts, describeSummary, type RedlineEntry, type Segment } from "./redline";

function clause(id: string, ...paragraphs: string[]): DocJson {
  return { type: "clause", attrs: { id }, content: paragraphs.map((text) => ({ type: "paragraph", content: text ? [{ type: "text", text }] : [] })) };
}

function text(sections: [string, DocJson[]][], title = "Code"): DocJson {
  return {
    type: "doc",
    content: [
      { type: "title", content: [{ type: "text", text: title }] },
      { type: "preamble", content: [{ type: "paragraph", content: [{ type: "text", text: "Preamble." }] }] },
      ...sections.map(([heading, clauses]) => ({ type: "section", content: [{ type: "section_heading", content: [{ type: "text", text: heading }] }, ...clauses] })),
    ],
  };
}

const base = text([
  ["Scope", [clause("ca", "States assess each licence."), clause("cb", "Brokering is covered.")]],
  ["Criteria", [clause("cc", "Risk of serious violations."), clause("cd", "Transparency matters.")]],
]);

function clauseEntry(entries: RedlineEntry[], id: string) {
  const found = entries.find((item) => item.kind === "clause" && item.clauseId === id);
  if (!found || found.kind !== "clause") throw new Error(`no clause ${id}`);
  return found;
}

const marked = (segments: Segment[], type: Segment["type"]) => segments.filter((segment) => segment.type === type).map((segment) => segment.text);

describe("the redline", () => {
  it("finds nothing between identical texts", () => {
    const redline = compareTexts(base, JSON.parse(JSON.stringify(base)) as DocJson);
    expect(redline.identical).toBe(true);
    expect(redline.summary).toEqual({ changed: 0, added: 0, removed: 0, moved: 0, renumbered: 0, framingChanged: false });
    expect(describeSummary(redline.summary)).toBe("No differences");
    expect(redline.html).not.toMatch(/<ins>|<del>/);
  });

  it("marks an inserted word", () => {
    const after = text([
      ["Scope", [clause("ca", "States carefully assess each licence."), clause("cb", "Brokering is covered.")]],
      ["Criteria", [clause("cc", "Risk of serious violations."), clause("cd", "Transparency matters.")]],
    ]);
    const redline = compareTexts(base, after);
    const changed = clauseEntry(redline.entries, "ca");
    expect(changed.change).toBe("changed");
    expect(marked(changed.segments, "ins").join("")).toMatch(/^\s*carefully\s*$/);
    expect(marked(changed.segments, "del")).toEqual([]);
    expect(clauseEntry(redline.entries, "cb").change).toBe("unchanged");
    expect(describeSummary(redline.summary)).toBe("1 clause changed");
    expect(redline.html).toMatch(/<ins>\s*carefully\s*<\/ins>/);
  });

  it("marks a deleted word", () => {
    const after = text([
      ["Scope", [clause("ca", "States assess licence."), clause("cb", "Brokering is covered.")]],
      ["Criteria", [clause("cc", "Risk of serious violations."), clause("cd", "Transparency matters.")]],
    ]);
    const changed = clauseEntry(compareTexts(base, after).entries, "ca");
    expect(marked(changed.segments, "del").join("")).toMatch(/^\s*each\s*$/);
    expect(marked(changed.segments, "ins")).toEqual([]);
    expect(changed.segments.map((segment) => (segment.type === "del" ? "" : segment.text)).join("")).toBe("States assess licence.");
  });

  it("shows a change inside a word as the old word deleted and the new one inserted", () => {
    const after = text([
      ["Scope", [clause("ca", "States assess each licences."), clause("cb", "Brokering is covered.")]],
      ["Criteria", [clause("cc", "Risk of serious violations."), clause("cd", "Transparency matters.")]],
    ]);
    const changed = clauseEntry(compareTexts(base, after).entries, "ca");
    expect(marked(changed.segments, "del")).toEqual(["licence"]);
    expect(marked(changed.segments, "ins")).toEqual(["licences"]);
    expect(compareTexts(base, after).html).toContain("<del>licence</del><ins>licences</ins>.");
  });

  it("shows an added clause, and the clauses after it as renumbered", () => {
    const after = text([
      ["Scope", [clause("cn", "A new first clause."), clause("ca", "States assess each licence."), clause("cb", "Brokering is covered.")]],
      ["Criteria", [clause("cc", "Risk of serious violations."), clause("cd", "Transparency matters.")]],
    ]);
    const redline = compareTexts(base, after);
    expect(clauseEntry(redline.entries, "cn")).toMatchObject({ change: "added", fromNumber: null, toNumber: "1.1", segments: [{ type: "ins", text: "A new first clause." }] });
    expect(clauseEntry(redline.entries, "ca")).toMatchObject({ change: "unchanged", fromNumber: "1.1", toNumber: "1.2", moved: false });
    expect(redline.summary).toMatchObject({ added: 1, renumbered: 2, moved: 0, changed: 0 });
    expect(describeSummary(redline.summary)).toBe("1 clause added, 2 renumbered");
    expect(redline.html).toContain('id="clause-cn"');
  });

  it("shows a removed clause where it stood, without an anchor", () => {
    const after = text([
      ["Scope", [clause("ca", "States assess each licence.")]],
      ["Criteria", [clause("cc", "Risk of serious violations."), clause("cd", "Transparency matters.")]],
    ]);
    const redline = compareTexts(base, after);
    const order = redline.entries.flatMap((item) => (item.kind === "clause" ? [item.clauseId] : []));
    expect(order).toEqual(["ca", "cb", "cc", "cd"]);
    expect(clauseEntry(redline.entries, "cb")).toMatchObject({ change: "removed", fromNumber: "1.2", toNumber: null, segments: [{ type: "del", text: "Brokering is covered." }] });
    expect(redline.summary).toMatchObject({ removed: 1, renumbered: 0 });
    expect(redline.html).not.toContain('id="clause-cb"');
    expect(redline.html).toContain("<del>Brokering is covered.</del>");
  });

  it("recognises a moved clause by its id, and a changed one that moved", () => {
    const after = text([
      ["Scope", [clause("ca", "States assess each licence."), clause("cd", "Transparency matters a great deal.")]],
      ["Criteria", [clause("cb", "Brokering is covered."), clause("cc", "Risk of serious violations.")]],
    ]);
    const redline = compareTexts(base, after);
    const moved = redline.entries.filter((item) => item.kind === "clause" && item.moved).map((item) => (item.kind === "clause" ? item.clauseId : ""));
    expect(moved).toEqual(["cd"]);
    expect(clauseEntry(redline.entries, "cd")).toMatchObject({ change: "changed", fromNumber: "2.2", toNumber: "1.2" });
    expect(clauseEntry(redline.entries, "cb")).toMatchObject({ change: "unchanged", moved: false, fromNumber: "1.2", toNumber: "2.1" });
    expect(describeSummary(redline.summary)).toBe("1 clause changed, 1 moved, 2 renumbered");
    expect(redline.html).toContain("Moved (was 2.2)");
  });

  it("reports changes to the title and headings apart from clauses", () => {
    const after = text(
      [
        ["Scope of the code", [clause("ca", "States assess each licence."), clause("cb", "Brokering is covered.")]],
        ["Criteria", [clause("cc", "Risk of serious violations."), clause("cd", "Transparency matters.")]],
      ],
      "Code",
    );
    const redline = compareTexts(base, after);
    expect(redline.summary.framingChanged).toBe(true);
    expect(describeSummary(redline.summary)).toBe("No clause changed; the title, preamble or a section heading did");
    expect(redline.html).toMatch(/<ins>\s*of the code\s*<\/ins>/);
  });

  it("counts a clause whose formatting alone changed as changed, and says so", () => {
    const bold: DocJson = { type: "clause", attrs: { id: "ca" }, content: [{ type: "paragraph", content: [{ type: "text", text: "States assess " }, { type: "text", text: "each", marks: [{ type: "strong" }] }, { type: "text", text: " licence." }] }] };
    const after = text([
      ["Scope", [bold, clause("cb", "Brokering is covered.")]],
      ["Criteria", [clause("cc", "Risk of serious violations."), clause("cd", "Transparency matters.")]],
    ]);
    const redline = compareTexts(base, after);
    expect(redline.identical).toBe(false);
    expect(clauseEntry(redline.entries, "ca")).toMatchObject({ change: "changed", segments: [{ type: "same", text: "States assess each licence." }] });
    expect(describeSummary(redline.summary)).toBe("1 clause changed");
    expect(redline.html).toContain("Formatting changed");
  });

  it("escapes the text it shows", () => {
    const after = text([
      ["Scope", [clause("ca", "States assess <script>alert(1)</script> each licence."), clause("cb", "Brokering is covered.")]],
      ["Criteria", [clause("cc", "Risk of serious violations."), clause("cd", "Transparency matters.")]],
    ]);
    const html = compareTexts(base, after).html;
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });
});
