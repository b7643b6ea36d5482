import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { documentJson, paragraph, parseDocument, section, type DocJson } from "../../schema/content";
import { MARKUP_CLAUSES } from "../../test/fixtures/word/documents";
import { readMarkedUpDocument, type MarkedUpDocument } from "../word/read-markup";
import { proposeFromMarkup } from "./markup-proposals";

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
