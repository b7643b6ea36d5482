import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { showBrackets } from "../../schema/brackets";
import { documentJson, paragraph, parseDocument, section, type DocJson } from "../../schema/content";
import { MARKUP_CLAUSES } from "../../test/fixtures/word/documents";
import { readMarkedUpDocument, type MarkedUpDocument } from "../word/read-markup";
import { applyAmendment } from "./amendment-anchors";
import { proposeFromMarkup, type MarkupProposal } from "./markup-proposals";

const clauseWith = (id: string, ...texts: string[]): DocJson => ({ type: "clause", attrs: { id }, content: texts.map(paragraph) });

const living = parseDocument(
  documentJson("Code", ["Preamble."], [
    section("Scope", clauseWith(MARKUP_CLAUSES.purpose, "This code is voluntary.", "It complements national law."), clauseWith(MARKUP_CLAUSES.report, "Delegations report every year.")),
  ]),
);

const textAt = (range: { from: number; to: number } | null) => (range ? living.textBetween(range.from, range.to) : null);

describe("proposals from a marked-up copy", () => {
  it("without Accord's baseline, reads each paragraph's own tracked changes and places them by their words", () => {
    const found = proposeFromMarkup(living, readMarkedUpDocument(new Uint8Array(fs.readFileSync(new URL("../../test/fixtures/word/markup.docx", import.meta.url)))));
    const purpose = found.proposals.find((proposal) => proposal.clauseId === MARKUP_CLAUSES.purpose);
    expect(purpose).toMatchObject({ kind: "replace", quote: "voluntary", proposed: "binding", author: "Capital (FR)", clauseNumber: "1.1", sideBySide: null });
    expect(textAt(purpose?.range ?? null)).toBe("voluntary");
    // "each year" became "every year" here since: the change is shown side by side, for a decision.
    const report = found.proposals.find((proposal) => proposal.clauseId === MARKUP_CLAUSES.report);
    expect(report?.sideBySide).toEqual({ before: "Delegations report each year.", now: "Delegations report every year.", after: "Delegations shall report each year." });
    expect(textAt(report?.range ?? null)).toBe("Delegations report every year.");
    expect(report?.rationale).toBe("Annual reporting is what our ministry can manage.");
    // The comment on unchanged words may become a thread on them.
    expect(found.notes.map((note) => [note.quote, note.text, textAt(note.range)])).toEqual([["It complements national law.", "We support this paragraph.", "It complements national law."]]);
    // Changes outside clauses are counted, not proposed.
    expect(found.outsideClauses).toBe(2);
  });

  it("with the baseline, takes the capital's rejection of an Accord revision as a change, and ignores Accord's revisions it left alone", () => {
    const markup: MarkedUpDocument = {
      changes: [],
      comments: [],
      unanchored: 0,
      baseline: {
        draftId: "d",
        authors: ["France"],
        clauses: [
          { id: MARKUP_CLAUSES.purpose, paragraphs: ["This code is voluntary.", "It complements national law."] },
          { id: MARKUP_CLAUSES.report, paragraphs: ["Delegations report every year."] },
        ],
      },
      clauses: new Map([
        // The capital rejected France's insertion of the second paragraph's words and added its own.
        [MARKUP_CLAUSES.purpose, { paragraphs: ["This code is voluntary.", "It complements national and international law."], authors: ["France", "Paris"], comments: ["Say which law."] }],
        // Accord's revisions the capital left alone read as the baseline: nothing to propose.
        [MARKUP_CLAUSES.report, { paragraphs: ["Delegations report every year."], authors: ["France"], comments: [] }],
      ]),
    };
    const found = proposeFromMarkup(living, markup);
    expect(found.proposals.map((proposal) => [proposal.kind, proposal.quote, proposal.proposed, proposal.author, proposal.rationale, textAt(proposal.range)])).toEqual([
      ["insert", "", "and international ", "Paris", "Say which law.", ""],
    ]);
    const removal = proposeFromMarkup(living, { ...markup, clauses: new Map([[MARKUP_CLAUSES.purpose, { paragraphs: ["This code is voluntary."], authors: [], comments: [] }]]) });
    expect(removal.proposals.map((proposal) => [proposal.clauseId, proposal.kind, proposal.quote, textAt(proposal.range)])).toEqual([
      [MARKUP_CLAUSES.purpose, "delete", "It complements national law.", "It complements national law."],
      // The report clause is missing from the copy altogether: its paragraph is proposed for deletion too.
      [MARKUP_CLAUSES.report, "delete", "Delegations report every year.", "Delegations report every year."],
    ]);
    const added = proposeFromMarkup(living, { ...markup, clauses: new Map([...markup.clauses, [MARKUP_CLAUSES.report, { paragraphs: ["Delegations report every year.", "They publish it."], authors: ["Paris"], comments: [] }]]) });
    expect(added.proposals.find((proposal) => proposal.newParagraph)).toMatchObject({ range: null, proposed: "They publish it." });
  });
});

describe("proposals from a marked-up copy with square brackets", () => {
  // The copy shows "[each / every]" where the living text has two options of a bracket and no signs.
  const option = (text: string, id: string, index: number): DocJson => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id, option: index, supporters: "fr" } }] });
  const clauseOf = (id: string, ...inline: DocJson[]): DocJson => ({ type: "clause", attrs: { id }, content: [{ type: "paragraph", content: inline }] });
  const text = (words: string): DocJson => ({ type: "text", text: words });
  const bracketed = parseDocument(
    documentJson("Code", ["Preamble."], [
      section(
        "Scope",
        clauseOf("c00000000000a", text("States assess "), option("each", "b0000000000a1", 0), option("every", "b0000000000a1", 1), text(" licence.")),
        clauseOf("c00000000000b", text("Transit is "), option("covered", "b0000000000b1", 0), option("excluded", "b0000000000b1", 1), text(".")),
        clauseOf("c00000000000c", text("Brokering is covered "), option("in full", "b0000000000c1", 0), option("in part", "b0000000000c1", 1), text(".")),
      ),
    ]),
  );
  const SENT = {
    c00000000000a: "States assess [each / every] licence.",
    c00000000000b: "Transit is [covered / excluded].",
    c00000000000c: "Brokering is covered [in full / in part].",
  };
  // What the capital sends back: each clause's text with every change accepted.
  const returned = (texts: Partial<typeof SENT>): MarkedUpDocument => ({
    changes: [],
    comments: [],
    unanchored: 0,
    baseline: { draftId: "d", authors: [], clauses: Object.entries(SENT).map(([id, sent]) => ({ id, paragraphs: [sent] })) },
    clauses: new Map(Object.entries(SENT).map(([id, sent]) => [id, { paragraphs: [texts[id as keyof typeof SENT] ?? sent], authors: ["Paris"], comments: [] }])),
  });
  const at = (range: { from: number; to: number } | null) => (range ? bracketed.textBetween(range.from, range.to) : null);
  // The living text once every placed proposal is adopted, as the Word export would show the clause.
  const adopted = (proposals: MarkupProposal[], clauseIndex: number) => {
    const placed = proposals.filter((proposal) => proposal.range && !proposal.sideBySide).sort((a, b) => (b.range?.from ?? 0) - (a.range?.from ?? 0));
    const doc = placed.reduce((current, proposal) => (proposal.range ? applyAmendment(current, proposal.range, proposal.proposed) : current), bracketed);
    return showBrackets(doc, "bracketed").child(2).child(clauseIndex + 1).textContent;
  };

  it("places a change of words inside an option, or at its edge, on those words, where adopting it keeps the bracket", () => {
    const inside = proposeFromMarkup(bracketed, returned({ c00000000000a: "States assess [all / every] licence." })).proposals;
    expect(inside.map((proposal) => [proposal.kind, proposal.quote, proposal.proposed, at(proposal.range)])).toEqual([["replace", "each", "all", "each"]]);
    expect(adopted(inside, 0)).toBe("States assess [all / every] licence.");
    // Words put at the end of the last option, at the start of the second, and before the bracket.
    for (const capital of ["States assess [each / every single] licence.", "States assess [each / not every] licence.", "States assess not [each / every] licence."]) {
      const found = proposeFromMarkup(bracketed, returned({ c00000000000a: capital })).proposals;
      expect(found.map((proposal) => proposal.sideBySide)).toEqual([null]);
      expect(adopted(found, 0)).toBe(capital);
    }
  });

  it("places the deletion of a whole bracket on its options' words, and leaves a change to a sign to the delegation, side by side", () => {
    const dropped = proposeFromMarkup(bracketed, returned({ c00000000000c: "Brokering is covered." })).proposals;
    expect(dropped.map((proposal) => [proposal.kind, proposal.quote, at(proposal.range), proposal.sideBySide])).toEqual([["delete", " [in full / in part]", " in fullin part", null]]);
    expect(adopted(dropped, 2)).toBe("Brokering is covered.");
    // A sign deleted, a bracket's signs taken off one option, a bracket replaced by other words.
    for (const capital of ["Transit is covered / excluded].", "Transit is covered.", "Transit is allowed."]) {
      const found = proposeFromMarkup(bracketed, returned({ c00000000000b: capital })).proposals;
      expect(found.map((proposal) => [proposal.kind, at(proposal.range), proposal.sideBySide, proposal.bracketSigns])).toEqual([
        ["replace", "Transit is coveredexcluded.", { before: SENT.c00000000000b, now: SENT.c00000000000b, after: capital }, true],
      ]);
    }
  });

  it("reads brackets the same way from a copy without the baseline", () => {
    const changes = [{ clauseId: "c00000000000a", paragraphIndex: 0, before: SENT.c00000000000a, after: "States assess [all / every] licence.", author: "Paris", date: null, comments: [] }];
    const found = proposeFromMarkup(bracketed, { changes, comments: [], unanchored: 0, baseline: null, clauses: new Map() }).proposals;
    expect(found.map((proposal) => [proposal.kind, proposal.quote, proposal.proposed, at(proposal.range)])).toEqual([["replace", "each", "all", "each"]]);
  });
});
