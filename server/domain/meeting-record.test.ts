import { describe, expect, it } from "vitest";
import type { DocJson } from "../../schema/content";
import { parseDocument } from "../../schema/content";
import type { MeetingFacts } from "./meeting-facts";
import { recordDocument } from "./meeting-record";

const NNBSP = "\u202f";
const NBSP = "\u00a0";

function buildFacts(overrides: Partial<MeetingFacts> = {}): MeetingFacts {
  return {
    draftTitle: "Code of conduct on export controls",
    number: 2,
    kind: "formal",
    openedAt: new Date("2026-12-06T10:00:00Z"),
    closedAt: new Date("2026-12-06T12:15:00Z"),
    chair: "Ingrid Berg",
    present: [
      { delegation: "Australia", people: ["A. Lee", "B. Moore"] },
      { delegation: "France", people: ["C. Martin"] },
    ],
    absent: ["Denmark", "Norway"],
    others: ["S. Okafor", "O. Reyes"],
    generalSpeakers: [{ delegation: "Canada", kind: "floor" }],
    clauses: [
      {
        clauseId: "c2",
        number: "2.1",
        excerpt: "States shall assess…",
        speakers: [
          { delegation: "France", kind: "floor" },
          { delegation: "Canada", kind: "floor" },
          { delegation: "France", kind: "reply" },
        ],
        decisions: [
          { kind: "bracket-resolved", clause: "2.1", kept: "shall" },
          { kind: "clause-status", clause: "2.1", status: "agreed-ad-referendum", reservingDelegations: [] },
        ],
      },
      {
        clauseId: "c1",
        number: "1.3",
        excerpt: "Exports of dual-use items",
        speakers: [{ delegation: "Australia", kind: "floor" }],
        decisions: [{ kind: "clause-status", clause: "1.3", status: "reserved", reservingDelegations: ["France", "Canada"] }],
      },
    ],
    otherDecisions: [
      { kind: "motion-put", number: 2, subject: "Adopt version v3" },
      { kind: "motion-closed", number: 2, outcome: "adopted", yes: 5, no: 1, abstain: 2 },
    ],
    openItems: [
      { number: "1.3", status: "reserved", openBrackets: 0 },
      { number: "3.2", status: "pending", openBrackets: 2 },
    ],
    ...overrides,
  };
}

// The record as a reader sees it: one line per title, heading and paragraph, in document order.
function lines(json: DocJson): string[] {
  const found: string[] = [];
  parseDocument(json).descendants((node) => {
    if (!node.isTextblock) return true;
    found.push(node.textContent);
    return false;
  });
  return found;
}

// The lines of one section, after its heading and up to the next heading.
function sectionLines(all: string[], heading: string, headings: string[]): string[] {
  const start = all.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  const end = all.findIndex((line, index) => index > start && headings.includes(line));
  return all.slice(start + 1, end === -1 ? undefined : end);
}

const HEADINGS = ["Attendance", "Proceedings", "Decisions", "Open items"];

function expectInOrder(all: string[], expected: string[]): void {
  let from = 0;
  for (const line of expected) {
    const index = all.indexOf(line, from);
    expect(index, `"${line}" after line ${from} of:\n${all.join("\n")}`).toBeGreaterThanOrEqual(from);
    from = index + 1;
  }
}

describe("a session's summary record", () => {
  it("fits the document schema, and every text in it has words", () => {
    for (const facts of [buildFacts(), buildFacts({ clauses: [], generalSpeakers: [], otherDecisions: [], openItems: [], absent: [], others: [], present: [], chair: "" })]) {
      for (const language of ["en", "fr"] as const) {
        const json = recordDocument(facts, language);
        expect(() => parseDocument(json)).not.toThrow();
        expect(lines(json).every((line) => line.trim().length > 0), lines(json).join("\n")).toBe(true);
      }
    }
  });

  it("gives the title, the session's kind and times, and its chair", () => {
    const all = lines(recordDocument(buildFacts(), "en"));
    expect(all.slice(0, 3)).toEqual([
      "Summary record of session 2 on “Code of conduct on export controls”",
      `Formal session held on 6${NBSP}December 2026, from 10:00 to 12:15 UTC.`,
      "Chair: Ingrid Berg.",
    ]);
    expect(lines(recordDocument(buildFacts({ kind: "informal" }), "en"))[1]).toMatch(/^Informal session held on/);
  });

  it("gives both days of a session that runs past midnight, in the time zone asked for", () => {
    const facts = buildFacts({ openedAt: new Date("2026-12-06T22:30:00Z"), closedAt: new Date("2026-12-07T00:45:00Z") });
    expect(lines(recordDocument(facts, "en"))[1]).toBe(`Formal session held from 6${NBSP}December 2026, 22:30 to 7${NBSP}December 2026, 00:45 UTC.`);
    // In New York the same session sits within 6 December.
    expect(lines(recordDocument(facts, "en", "America/New_York"))[1]).toMatch(new RegExp(`^Formal session held on 6${NBSP}December 2026, from 17:30 to 19:45 \\S+\\.$`));
  });

  it("lists the delegations present with their people, then those not represented, then the others present", () => {
    const all = sectionLines(lines(recordDocument(buildFacts(), "en")), "Attendance", HEADINGS);
    expect(all).toEqual(["Australia: A. Lee, B. Moore.", "France: C. Martin.", "Not represented: Denmark, Norway.", "Also present: S. Okafor, O. Reyes."]);
  });

  it("says nothing of absent delegations or others present when there are none", () => {
    const all = sectionLines(lines(recordDocument(buildFacts({ absent: [], others: [] }), "en")), "Attendance", HEADINGS);
    expect(all).toEqual(["Australia: A. Lee, B. Moore.", "France: C. Martin."]);
  });

  it("tells the proceedings clause by clause in the order taken up, with the speakers in order and replies marked", () => {
    const all = sectionLines(lines(recordDocument(buildFacts(), "en")), "Proceedings", HEADINGS);
    expect(all).toEqual([
      "General statements: Canada.",
      "Clause 2.1 (“States shall assess…”).",
      "Speakers: France, Canada, France (right of reply).",
      "A bracket in clause 2.1 was resolved: “shall” was kept.",
      "Clause 2.1 was agreed ad referendum.",
      "Clause 1.3 (“Exports of dual-use items”).",
      "Speakers: Australia.",
      "Clause 1.3 was reserved by France, Canada.",
    ]);
  });

  it("says when no delegation took the floor, no general statement was made, or a clause has left the text", () => {
    const facts = buildFacts({
      generalSpeakers: [],
      clauses: [
        { clauseId: "gone", number: "", excerpt: "Transit shall", speakers: [], decisions: [{ kind: "clause-status", clause: "", status: "pending", reservingDelegations: [] }] },
      ],
    });
    const all = sectionLines(lines(recordDocument(facts, "en")), "Proceedings", HEADINGS);
    expect(all).toEqual([
      "A clause since removed from the text (“Transit shall”).",
      "No delegation took the floor.",
      "A clause since removed from the text was returned to pending.",
    ]);
  });

  it("lists every decision: the clauses' in order, then the others", () => {
    const all = sectionLines(lines(recordDocument(buildFacts(), "en")), "Decisions", HEADINGS);
    expect(all).toEqual([
      "A bracket in clause 2.1 was resolved: “shall” was kept.",
      "Clause 2.1 was agreed ad referendum.",
      "Clause 1.3 was reserved by France, Canada.",
      "Motion 2 was put: Adopt version v3.",
      "Motion 2: adopted (5 in favour, 1 against, 2 abstentions).",
    ]);
  });

  it("words each kind of decision, and an outcome it does not know as stored", () => {
    const decisions = [
      { kind: "clause-status", clause: "4.1", status: "agreed", reservingDelegations: [] },
      { kind: "clause-status", clause: "4.2", status: "reserved", reservingDelegations: [] },
      { kind: "bracket-resolved", clause: null, kept: "partners" },
      { kind: "bracket-resolved", clause: "4.1", kept: null },
      { kind: "amendment-adopted", number: 3 },
      { kind: "motion-closed", number: 4, outcome: "rejected", yes: 1, no: 6, abstain: 1 },
      { kind: "motion-closed", number: 5, outcome: "no-quorum", yes: 0, no: 0, abstain: 0 },
      { kind: "motion-closed", number: 6, outcome: "withdrawn", yes: 0, no: 0, abstain: 0 },
      { kind: "motion-closed", number: 7, outcome: "postponed", yes: 2, no: 2, abstain: 0 },
    ] satisfies MeetingFacts["otherDecisions"];
    const all = sectionLines(lines(recordDocument(buildFacts({ clauses: [], otherDecisions: decisions }), "en")), "Decisions", HEADINGS);
    expect(all).toEqual([
      "Clause 4.1 was agreed.",
      "Clause 4.2 was reserved.",
      "A bracket in the preamble was resolved: “partners” was kept.",
      "A bracket in clause 4.1 was resolved: the bracketed passage was dropped.",
      "Amendment 3 was adopted.",
      "Motion 4: not adopted (1 in favour, 6 against, 1 abstention).",
      "Motion 5: no decision: quorum missed (0 in favour, 0 against, 0 abstentions).",
      "Motion 6: withdrawn (0 in favour, 0 against, 0 abstentions).",
      "Motion 7: postponed (2 in favour, 2 against, 0 abstentions).",
    ]);
  });

  it("lists the open items with their open brackets", () => {
    const all = sectionLines(lines(recordDocument(buildFacts(), "en")), "Open items", HEADINGS);
    expect(all).toEqual(["Clause 1.3: reserved.", "Clause 3.2: pending, 2 open brackets."]);
  });

  it("says when nothing was decided, nothing remains open and no clause was taken up", () => {
    const all = lines(recordDocument(buildFacts({ clauses: [], generalSpeakers: [], otherDecisions: [], openItems: [] }), "en"));
    expect(sectionLines(all, "Proceedings", HEADINGS)).toEqual(["No clause was taken up."]);
    expect(sectionLines(all, "Decisions", HEADINGS)).toEqual(["No decision was taken."]);
    expect(sectionLines(all, "Open items", HEADINGS)).toEqual(["No item remains open."]);
  });

  it("keeps the facts' order whatever it is: a clause taken up twice appears twice", () => {
    const [first, second] = buildFacts().clauses;
    if (!first || !second) throw new Error("the facts have two clauses");
    const all = lines(recordDocument(buildFacts({ clauses: [second, first, { ...second, speakers: [], decisions: [] }] }), "en"));
    expectInOrder(all, [
      "Clause 1.3 (“Exports of dual-use items”).",
      "Speakers: Australia.",
      "Clause 2.1 (“States shall assess…”).",
      "Speakers: France, Canada, France (right of reply).",
      "Clause 1.3 (“Exports of dual-use items”).",
      "No delegation took the floor.",
      "Decisions",
      "Clause 1.3 was reserved by France, Canada.",
      "A bracket in clause 2.1 was resolved: “shall” was kept.",
      "Clause 2.1 was agreed ad referendum.",
    ]);
  });

  it("is written in French with French typography", () => {
    const facts = buildFacts({
      draftTitle: "Code de conduite",
      openedAt: new Date("2026-12-01T22:30:00Z"),
      closedAt: new Date("2026-12-02T00:45:00Z"),
      present: [{ delegation: "France", people: ["C. Martin"] }],
      absent: ["Danemark"],
      clauses: [
        {
          clauseId: "c2",
          number: "2.1",
          excerpt: "Les États évaluent…",
          speakers: [
            { delegation: "France", kind: "floor" },
            { delegation: "Canada", kind: "reply" },
          ],
          decisions: [{ kind: "bracket-resolved", clause: "2.1", kept: "doivent" }],
        },
      ],
    });
    const all = lines(recordDocument(facts, "fr"));
    expectInOrder(all, [
      `Compte rendu analytique de la séance 2 consacrée à «${NNBSP}Code de conduite${NNBSP}»`,
      `Séance officielle tenue du 1er${NBSP}décembre 2026, 22${NBSP}h${NBSP}30 au 2${NBSP}décembre 2026, 0${NBSP}h${NBSP}45 UTC.`,
      `Présidence${NNBSP}: Ingrid Berg.`,
      "Participation",
      `France${NNBSP}: C. Martin.`,
      `Délégations non représentées${NNBSP}: Danemark.`,
      "Déroulement de la séance",
      `Clause 2.1 («${NNBSP}Les États évaluent…${NNBSP}»).`,
      `Ont pris la parole${NNBSP}: France, Canada (droit de réponse).`,
      `Un crochet a été levé dans la clause 2.1${NNBSP}: le passage «${NNBSP}doivent${NNBSP}» a été conservé.`,
      "Décisions",
      `Un crochet a été levé dans la clause 2.1${NNBSP}: le passage «${NNBSP}doivent${NNBSP}» a été conservé.`,
      `Motion 2${NNBSP}: adoptée (5 voix pour, 1 voix contre, 2 abstentions).`,
      "Questions en suspens",
      `Clause 1.3${NNBSP}: sous réserve.`,
      `Clause 3.2${NNBSP}: en suspens, 2 crochets ouverts.`,
    ]);
    expect(all.join("\n")).not.toMatch(/[“”"']/);
  });

  it("words clause decisions in French with the clause's gender", () => {
    const decisions = [
      { kind: "clause-status", clause: "2.1", status: "agreed-ad-referendum", reservingDelegations: [] },
      { kind: "clause-status", clause: "", status: "reserved", reservingDelegations: ["France"] },
    ] satisfies MeetingFacts["otherDecisions"];
    const all = lines(recordDocument(buildFacts({ clauses: [], otherDecisions: decisions }), "fr"));
    expectInOrder(all, [
      "La clause 2.1 a été approuvée ad referendum.",
      `Une clause qui ne figure plus dans le texte a fait l’objet d’une réserve émise par${NNBSP}: France.`,
    ]);
  });
});
