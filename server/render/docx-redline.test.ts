import { DOMParser } from "@xmldom/xmldom";
import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { hasLibreOffice, inspectWithLibreOffice, type LibreOfficeInspection } from "../../test/libreoffice";
import { renderRedlineDocx } from "./docx-redline";
import type { RedlineDocument, RedlineParagraph, RedlineRun, RevisionMark } from "./redline-document";

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const FRANCE: RevisionMark = { author: "France", date: new Date("2026-12-05T10:00:00Z") };
const SECRETARIAT: RevisionMark = { author: "Secretariat", date: new Date("2026-12-06T09:30:15.250Z") };
const BENELUX: RevisionMark = { author: `Benelux & "Nordics" <joint>`, date: new Date("2026-12-07T16:45:00Z") };

const same = (text: string, marks: Partial<Extract<RedlineRun, { kind: "text" }>> = {}): RedlineRun => ({ kind: "text", text, change: "same", ...marks });
const ins = (text: string, revision: RevisionMark, marks: Partial<Extract<RedlineRun, { kind: "text" }>> = {}): RedlineRun => ({ kind: "text", text, change: "ins", revision, ...marks });
const del = (text: string, revision: RevisionMark, marks: Partial<Extract<RedlineRun, { kind: "text" }>> = {}): RedlineRun => ({ kind: "text", text, change: "del", revision, ...marks });
const paragraph = (...runs: RedlineRun[]): RedlineParagraph => ({ runs });
// Characters XML 1.0 cannot hold, which the document leaves out.
// eslint-disable-next-line no-control-regex -- they are what is looked for
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/**
 * A comparison with one of every kind of difference, in French with its apostrophes and guillemets. Its
 * footnotes sit in paragraphs whose mark is no revision: LibreOffice 7.4 gives such a paragraph's mark
 * revision to the footnote's own paragraph instead (its DOCX reader holds one pending paragraph-mark
 * revision, which the footnote's paragraph, read at the reference, takes).
 */
function comparison(): RedlineDocument {
  return {
    title: [same("Code de conduite "), del("provisoire", SECRETARIAT), ins("sur les exportations", FRANCE)],
    caption: "Comparison: version 3 → version 5",
    lang: "fr",
    preamble: [paragraph(same("L’initiative « Exportations responsables » s'applique aux États participants "), same("(détails)", { href: "javascript:alert(1)" }), same("."))],
    sections: [
      {
        number: "1",
        heading: [del("Objet", SECRETARIAT), ins("Objet et champ", SECRETARIAT)],
        clauses: [
          {
            id: "c_purpose",
            number: "1.1",
            paragraphs: [
              paragraph(
                same("Les États participants "),
                del("peuvent", FRANCE),
                ins("s’engagent à", FRANCE),
                same(" appliquer le code "),
                same("de façon volontaire", { em: true }),
                same(", "),
                ins("sans contrainte juridique", SECRETARIAT, { strong: true }),
                same(" ; voir "),
                same("l'", { href: "https://example.org/ecrh?a=1&b=2" }),
                ins("initiative", FRANCE, { href: "https://example.org/ecrh?a=1&b=2" }),
                same("."),
              ),
              { runs: [same("Chaque État désigne un point de contact « national ».")], change: "ins", revision: FRANCE },
            ],
          },
          {
            id: "c_scope",
            number: "1.2",
            paragraphs: [
              paragraph(same("Le code couvre :")),
              { runs: [same("les biens à double usage ;")], list: { ordered: false, level: 0 } },
              { runs: [same("les "), del("logiciels", SECRETARIAT), ins("technologies", FRANCE), same(" ;")], list: { ordered: false, level: 0 } },
              { runs: [same("l’assistance technique.")], list: { ordered: true, level: 1 }, change: "ins", revision: FRANCE },
              { runs: [same("Les annexes sont révisées chaque année.")], change: "del", revision: SECRETARIAT },
              paragraph(same("Le Secrétariat tient la liste à jour.")),
            ],
          },
          {
            id: "c_new",
            number: "1.3",
            change: "ins",
            revision: FRANCE,
            paragraphs: [paragraph(same("Les États rendent compte chaque année.")), { runs: [same("au Secrétariat ;")], list: { ordered: true, level: 0 } }],
          },
        ],
      },
      {
        number: "2",
        heading: [same("Révision")],
        clauses: [
          {
            id: "c_review",
            number: "2.1",
            paragraphs: [
              paragraph(
                same("Le code est revu tous les "),
                del("deux", BENELUX),
                ins("trois", BENELUX),
                same(" ans"),
                { kind: "footnote", note: "Décision du 3 mars <2026> & suivantes.", change: "ins", revision: FRANCE },
                same(" ; "),
                { kind: "break", change: "ins", revision: FRANCE },
                ins(`article 5 <b> & "x" 'y' \u0007\u000b\uFFFF fin`, BENELUX),
                same("."),
                { kind: "footnote", note: "Voir le rapport 2025.", change: "same" },
              ),
            ],
          },
          { id: "c_members", number: "2.2", paragraphs: [paragraph(same("Tout État peut demander une révision."))] },
          {
            id: "a very long clause id that Word must shorten to forty characters",
            number: "2.3",
            change: "del",
            revision: SECRETARIAT,
            paragraphs: [paragraph(same("Les différends sont réglés par consensus.")), paragraph(same("À défaut, le Secrétariat arbitre."))],
          },
        ],
      },
    ],
    comments: [
      {
        clauseId: "c_purpose",
        author: "Germany",
        date: new Date("2026-12-08T08:00:00Z"),
        text: "Pourquoi « s’engagent » ?",
        replies: [{ author: "France", date: new Date("2026-12-08T09:00:00Z"), text: "Pour l'ambition & la clarté." }],
      },
      { clauseId: "c_gone_long_ago", author: "Germany", date: new Date("2026-12-08T08:00:00Z"), text: "Sur une clause absente.", replies: [] },
    ],
  };
}

/**
 * The text one side reads, as LibreOffice reports it (paragraphs joined with newlines, footnotes left out):
 * "ins" is the newer text (what Accept All gives), "del" the older (Reject All). The fixtures never drop a
 * clause's first paragraph without its clause, so the clause number stays where it is.
 */
function sideText(document: RedlineDocument, side: "ins" | "del"): string {
  const dropped = side === "ins" ? "del" : "ins";
  const keeps = (part: { change?: string }) => part.change !== dropped;
  const text = (runs: readonly RedlineRun[]) =>
    runs
      .filter(keeps)
      .map((run) => (run.kind === "text" ? run.text.replace(NOT_XML, "") : run.kind === "break" ? "\n" : ""))
      .join("");
  const lines = [text(document.title), document.caption, ...document.preamble.filter(keeps).map((p) => text(p.runs))];
  for (const section of document.sections.filter(keeps)) {
    lines.push(`${section.number}. ${text(section.heading)}`);
    for (const clause of section.clauses.filter(keeps)) {
      const [first, ...rest] = clause.paragraphs.filter(keeps);
      const lead = `${clause.number}\t`;
      if (first && !first.list) lines.push(lead + text(first.runs), ...rest.map((p) => text(p.runs)));
      else lines.push(lead, ...clause.paragraphs.filter(keeps).map((p) => text(p.runs)));
    }
  }
  return lines.join("\n");
}

/** A text whose last section is dropped and another added after it, so both ends of the document change. */
function replacedEnding(): RedlineDocument {
  return {
    title: [same("Code")],
    caption: "Comparison: version 1 → version 2",
    lang: "en",
    preamble: [{ runs: [same("An old preamble.")], change: "del", revision: SECRETARIAT }],
    sections: [
      { number: "1", heading: [same("Purpose")], clauses: [{ id: "c1", number: "1.1", paragraphs: [paragraph(same("States apply the code."))] }] },
      {
        number: "2",
        heading: [same("Disputes")],
        change: "del",
        revision: SECRETARIAT,
        clauses: [{ id: "c2", number: "2.1", paragraphs: [paragraph(same("The chair decides."))] }],
      },
      {
        number: "2",
        heading: [same("Review")],
        change: "ins",
        revision: FRANCE,
        clauses: [{ id: "c3", number: "2.1", paragraphs: [paragraph(same("The code is reviewed yearly:")), { runs: [same("by the plenary.")], list: { ordered: false, level: 0 } }] }],
      },
    ],
    comments: [],
  };
}

function parts(bytes: Buffer): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(new Uint8Array(bytes))).map(([name, data]) => [name, strFromU8(data)]));
}

/** A part parsed strictly: what xmldom would only warn about, a bare "&" it lets through or a character XML cannot hold fails the test. */
function xml(text: string | undefined): Document {
  if (text === undefined) throw new Error("No such part");
  expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/);
  expect(text.match(NOT_XML)).toBeNull();
  const fail = (message: unknown) => {
    throw new Error(String(message));
  };
  return new DOMParser({ errorHandler: { warning: fail, error: fail, fatalError: fail } }).parseFromString(text, "application/xml");
}

function elements(root: Document | Element, name: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(W, name));
}

/** The revisions on the paragraph mark of the first paragraph holding `text` (deleted text included). */
function markRevisions(body: Document, text: string): string[] {
  const found = elements(body, "p").find((p) => p.textContent?.includes(text));
  if (!found) throw new Error(`No paragraph holds ${text}`);
  const mark = elements(found, "pPr")[0]?.getElementsByTagNameNS(W, "rPr")[0];
  return Array.from(mark?.childNodes ?? []).flatMap((node) => (node.nodeName === "w:ins" || node.nodeName === "w:del" ? [node.nodeName] : []));
}

describe("renderRedlineDocx", () => {
  it("writes each difference as a tracked change with its author and an ISO date to the second, every id once", async () => {
    const files = parts(await renderRedlineDocx(comparison()));
    const body = xml(files["word/document.xml"]);
    const notes = xml(files["word/footnotes.xml"]);
    const changes = [...elements(body, "ins"), ...elements(body, "del"), ...elements(notes, "ins"), ...elements(notes, "del")];

    expect(changes.length).toBeGreaterThan(20);
    const dates: Record<string, string> = { France: "2026-12-05T10:00:00Z", Secretariat: "2026-12-06T09:30:15Z", [BENELUX.author]: "2026-12-07T16:45:00Z" };
    for (const change of changes) {
      const author = change.getAttributeNS(W, "author") ?? "";
      expect(Object.keys(dates)).toContain(author);
      expect(change.getAttributeNS(W, "date")).toBe(dates[author]);
    }
    expect(new Set(changes.map((change) => change.getAttributeNS(W, "author")))).toEqual(new Set(Object.keys(dates)));
    const ids = [...changes, ...elements(body, "commentRangeStart")].map((element) => element.getAttributeNS(W, "id"));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("puts inserted text in w:t and deleted text in w:delText, footnote references and breaks included, and drops what XML cannot hold", async () => {
    const body = xml(parts(await renderRedlineDocx(comparison()))["word/document.xml"]);
    const runChanges = [...elements(body, "ins"), ...elements(body, "del")].filter((change) => change.parentNode?.nodeName !== "w:rPr");
    for (const change of runChanges) {
      const runs = elements(change, "r");
      expect(runs.length, change.toString()).toBeGreaterThan(0);
      expect(runs.flatMap((run) => elements(run, change.localName === "ins" ? "delText" : "t")), change.toString()).toEqual([]);
    }
    const inside = (change: "ins" | "del", tag: string) => elements(body, change).flatMap((element) => elements(element, tag));
    expect(inside("ins", "footnoteReference").map((reference) => reference.getAttributeNS(W, "id"))).toEqual(["1"]);
    expect(elements(body, "footnoteReference")).toHaveLength(2);
    expect(inside("ins", "br")).toHaveLength(1);
    expect(inside("ins", "t").map((text) => text.textContent)).toContain(`article 5 <b> & "x" 'y'  fin`);
    expect(inside("del", "delText").map((text) => text.textContent)).toEqual(expect.arrayContaining(["peuvent", "deux", "provisoire", "Objet", "logiciels", "Les annexes sont révisées chaque année."]));
  });

  it("marks the paragraph mark of every paragraph, clause and section inserted or deleted whole", async () => {
    const body = xml(parts(await renderRedlineDocx(comparison()))["word/document.xml"]);
    expect(markRevisions(body, "un point de contact")).toEqual(["w:ins"]);
    expect(markRevisions(body, "Les annexes sont révisées")).toEqual(["w:del"]);
    expect(markRevisions(body, "Les États rendent compte")).toEqual(["w:ins"]);
    expect(markRevisions(body, "au Secrétariat ;")).toEqual(["w:ins"]);
    expect(markRevisions(body, "Le code couvre")).toEqual([]);
    // The document's last paragraph mark cannot go: the one before the deleted clause at the end goes instead.
    expect(markRevisions(body, "consensus")).toEqual(["w:del"]);
    expect(markRevisions(body, "À défaut")).toEqual([]);
    expect(markRevisions(body, "Tout État peut demander")).toEqual(["w:del"]);
  });

  it("marks, after the last paragraph both texts share, the change of the paragraph that follows each mark", async () => {
    const body = xml(parts(await renderRedlineDocx(replacedEnding()))["word/document.xml"]);
    expect(markRevisions(body, "An old preamble")).toEqual(["w:del"]);
    expect(markRevisions(body, "States apply")).toEqual(["w:del"]);
    expect(markRevisions(body, "Disputes")).toEqual(["w:del"]);
    expect(markRevisions(body, "The chair decides")).toEqual(["w:ins"]);
    expect(markRevisions(body, "Review")).toEqual(["w:ins"]);
    expect(markRevisions(body, "reviewed yearly")).toEqual(["w:ins"]);
    expect(markRevisions(body, "by the plenary")).toEqual([]);
  });

  it("lays the text out as the clean export does: Title, Heading 1, bookmarked bold clause numbers, Word lists, footnotes and links", async () => {
    const files = parts(await renderRedlineDocx(comparison()));
    const body = xml(files["word/document.xml"]);
    const paragraphs = elements(body, "p");
    const style = (p: Element | undefined) => (p ? elements(p, "pStyle")[0]?.getAttributeNS(W, "val") : undefined);
    expect(style(paragraphs[0])).toBe("Title");
    expect(paragraphs[1]?.textContent).toBe("Comparison: version 3 → version 5");
    expect(elements(paragraphs[1] as Element, "i")).toHaveLength(1);
    expect(paragraphs.filter((p) => style(p) === "Heading1").map((p) => p.textContent)).toEqual(["1. ObjetObjet et champ", "2. Révision"]);

    const bookmarks = elements(body, "bookmarkStart");
    expect(bookmarks.map((bookmark) => bookmark.getAttributeNS(W, "name"))).toEqual([
      "clause_c_purpose",
      "clause_c_scope",
      "clause_c_new",
      "clause_c_review",
      "clause_c_members",
      "clause_a_very_long_clause_id_that_Word_m",
    ]);
    for (const bookmark of bookmarks) {
      const number = bookmark.nextSibling as Element;
      expect(elements(number, "b"), number.toString()).toHaveLength(1);
      expect(number.textContent).toMatch(/^\d\.\d$/);
      expect(number.nextSibling?.nodeName).toBe("w:bookmarkEnd");
      expect(number.nextSibling?.nextSibling?.textContent).toBe("\t");
    }

    const numbering = (text: string) => {
      const p = paragraphs.find((candidate) => candidate.textContent?.includes(text));
      const properties = p ? elements(p, "numPr")[0] : undefined;
      return properties && { level: elements(properties, "ilvl")[0]?.getAttributeNS(W, "val"), list: elements(properties, "numId")[0]?.getAttributeNS(W, "val") };
    };
    const bullet = numbering("les biens à double usage");
    expect(bullet).toEqual({ level: "0", list: expect.any(String) });
    expect(numbering("les logiciels")).toEqual(bullet);
    expect(numbering("l’assistance technique")).toEqual({ level: "1", list: expect.not.stringMatching(`^${bullet?.list}$`) });
    expect(numbering("au Secrétariat")?.level).toBe("0");
    expect(numbering("Le code couvre")).toBeUndefined();

    const notes = xml(files["word/footnotes.xml"]);
    const note = (id: string) => elements(notes, "footnote").find((footnote) => footnote.getAttributeNS(W, "id") === id);
    expect(note("1")?.textContent).toBe("Décision du 3 mars <2026> & suivantes.");
    expect(elements(note("1") as Element, "ins")[0]?.getAttributeNS(W, "author")).toBe("France");
    expect(note("2")?.textContent).toBe("Voir le rapport 2025.");

    const links = elements(body, "hyperlink");
    expect(links.map((link) => link.textContent)).toEqual(["l'initiative"]);
    const relationships = xml(files["word/_rels/document.xml.rels"]).getElementsByTagName("Relationship");
    expect(Array.from(relationships, (relationship) => relationship.getAttribute("Target"))).toContain("https://example.org/ecrh?a=1&b=2");

    // Word checks spelling and hyphenates in the text's language.
    expect(files["word/styles.xml"]).toMatch(/<w:docDefaults>.*<w:rPrDefault><w:rPr>.*<w:lang w:val="fr-FR"\/>/s);
    expect(parts(await renderRedlineDocx(replacedEnding()))["word/styles.xml"]).toMatch(/<w:rPrDefault><w:rPr>.*<w:lang w:val="en-GB"\/>/s);
  });

  it("anchors each comment on its clause's first paragraph, with its replies threaded under it", async () => {
    const files = parts(await renderRedlineDocx(comparison()));
    const comments = elements(xml(files["word/comments.xml"]), "comment");
    expect(comments.map((comment) => [comment.getAttributeNS(W, "author"), comment.textContent])).toEqual([
      ["Germany", "Pourquoi « s’engagent » ?"],
      ["France", "Pour l'ambition & la clarté."],
    ]);
    const [question, reply] = comments.map((comment) => comment.getAttributeNS(W, "id"));
    const paraIds = comments.map((comment) => elements(comment, "p").at(-1)?.getAttribute("w14:paraId"));
    const threads = xml(files["word/commentsExtended.xml"]).getElementsByTagName("w15:commentEx");
    expect(Array.from(threads, (thread) => [thread.getAttribute("w15:paraId"), thread.getAttribute("w15:paraIdParent") || null])).toEqual([
      [paraIds[0], null],
      [paraIds[1], paraIds[0]],
    ]);

    const anchored = elements(xml(files["word/document.xml"]), "p").filter((p) => elements(p, "commentRangeStart").length > 0);
    expect(anchored.map((p) => p.textContent?.slice(0, 25))).toEqual(["1.1\tLes États participant"]);
    const ids = (tag: string) => elements(anchored[0] as Element, tag).map((element) => element.getAttributeNS(W, "id"));
    expect(ids("commentRangeStart")).toEqual([question, reply]);
    expect(ids("commentRangeEnd")).toEqual([question, reply]);
    expect(ids("commentReference")).toEqual([question, reply]);
  });

  it("takes a change's mark from the paragraph, clause, section or document around it, and refuses a change without one", async () => {
    const document = replacedEnding();
    document.title = [same("Code "), ins("of conduct", FRANCE), { kind: "text", text: " (draft)", change: "del" }];
    document.revision = BENELUX;
    const body = xml(parts(await renderRedlineDocx(document))["word/document.xml"]);
    const title = elements(body, "p")[0] as Element;
    expect([...elements(title, "ins"), ...elements(title, "del")].map((change) => change.getAttributeNS(W, "author"))).toEqual(["France", BENELUX.author]);
    const review = elements(body, "p").find((p) => p.textContent === "2. Review");
    expect(elements(review as Element, "ins").map((change) => change.getAttributeNS(W, "author"))).toEqual(["France", "France", "France"]);

    delete document.revision;
    await expect(renderRedlineDocx(document)).rejects.toThrow(/RevisionMark/);
  });

  it("renders thousands of revisions in well under a few seconds", async () => {
    const words = Array.from({ length: 10 }, (_, index): RedlineRun[] => [same(`mot ${index} `), del(`ancien ${index} `, FRANCE), ins(`nouveau ${index} `, SECRETARIAT)]).flat();
    const clauses = Array.from({ length: 300 }, (_, index) => ({ id: `c${index}`, number: `1.${index + 1}`, paragraphs: [paragraph(...words)] }));
    const document: RedlineDocument = { ...replacedEnding(), preamble: [], sections: [{ number: "1", heading: [same("Tout")], clauses }] };

    const started = performance.now();
    const bytes = await renderRedlineDocx(document);
    const elapsed = performance.now() - started;

    const body = xml(parts(bytes)["word/document.xml"]);
    expect(elements(body, "ins").length + elements(body, "del").length).toBe(6000);
    // About 0.4 s on a 2-core machine (0.5 s cold); the bound leaves room for a loaded CI runner.
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe.runIf(hasLibreOffice())("renderRedlineDocx, as LibreOffice reads it", () => {
  let office: LibreOfficeInspection;
  let ending: LibreOfficeInspection;
  beforeAll(async () => {
    office = await inspectWithLibreOffice(await renderRedlineDocx(comparison()));
    ending = await inspectWithLibreOffice(await renderRedlineDocx(replacedEnding()));
  }, 240_000);

  it("lists the revisions with their authors and dates", () => {
    const dates: Record<string, string> = { France: "2026-12-05T10:00:00", Secretariat: "2026-12-06T09:30:15", [BENELUX.author]: "2026-12-07T16:45:00" };
    expect(new Set(office.revisions.map((revision) => `${revision.type} by ${revision.author}`))).toEqual(
      new Set(["Insert by France", "Delete by France", "Insert by Secretariat", "Delete by Secretariat", `Insert by ${BENELUX.author}`, `Delete by ${BENELUX.author}`]),
    );
    for (const revision of office.revisions) expect(revision.date.slice(0, 19), revision.author).toBe(dates[revision.author]);
  });

  it("shows both texts at once, and gives exactly the newer text on Accept All and the older on Reject All", () => {
    expect(office.asIs).toContain("Les États participants peuvents’engagent à appliquer");
    expect(office.accepted).toBe(sideText(comparison(), "ins"));
    expect(office.rejected).toBe(sideText(comparison(), "del"));
  });

  it("keeps the comment and its reply", () => {
    expect(office.comments).toEqual([
      { author: "Germany", text: "Pourquoi « s’engagent » ?" },
      { author: "France", text: "Pour l'ambition & la clarté." },
    ]);
  });

  it("leaves no empty paragraph behind when a text's last section is replaced", () => {
    expect(ending.accepted).toBe(sideText(replacedEnding(), "ins"));
    expect(ending.rejected).toBe(sideText(replacedEnding(), "del"));
  });
});
