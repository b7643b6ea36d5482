import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { clause, documentJson, section } from "../../schema/content";
import { YJS_FRAGMENT } from "../../schema/prosemirror";
import type { RedlineParagraph, RedlineRun } from "../render/redline-document";
import { yjsStateFromJson } from "../text-store/initial-state";
import { EditAuthors, type EditAuthor } from "./edit-authors";
import { readAtomText } from "./text-atoms";
import { compareAsRevisions, type RevisionText } from "./word-redline";

const START = documentJson("Code of conduct", ["Preamble text."], [
  section("Scope", clause("States assess each licence."), clause("Brokering is covered."), clause("Transit is covered.")),
  section("Review", clause("The code is reviewed yearly.")),
]);

/** A draft's history in memory: the first state, then edits by delegations, each logged as an update with its author. */
class History {
  readonly first: Uint8Array;
  readonly log: { update: Uint8Array; author: EditAuthor }[] = [];
  private readonly doc = new Y.Doc();
  private clock = Date.parse("2026-12-01T09:00:00Z");

  constructor() {
    this.first = yjsStateFromJson(START);
    Y.applyUpdate(this.doc, this.first);
  }

  /** `delegationCode` (null: the secretariat) edits the text; the update is logged under its name. */
  edit(delegationCode: string | null, change: (fragment: Y.XmlFragment) => void): void {
    const editor = new Y.Doc();
    Y.applyUpdate(editor, Y.encodeStateAsUpdate(this.doc));
    const vector = Y.encodeStateVector(editor);
    change(editor.getXmlFragment(YJS_FRAGMENT));
    const update = Y.encodeStateAsUpdate(editor, vector);
    Y.applyUpdate(this.doc, update);
    this.log.push({ update, author: { userId: null, delegationCode, at: new Date((this.clock += 60_000)) } });
    editor.destroy();
  }

  state(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  authors(): EditAuthors {
    const authors = new EditAuthors();
    for (const entry of this.log) authors.add(entry.update, entry.author);
    authors.sort();
    return authors;
  }
}

const sectionAt = (fragment: Y.XmlFragment, index: number) => fragment.get(2 + index) as Y.XmlElement;
const clauseAt = (fragment: Y.XmlFragment, sectionIndex: number, index: number) => sectionAt(fragment, sectionIndex).get(1 + index) as Y.XmlElement;
const textOf = (clauseElement: Y.XmlElement) => (clauseElement.get(0) as Y.XmlElement).get(0) as Y.XmlText;

function compare(history: History, older: Uint8Array, newer: Uint8Array): RevisionText {
  return compareAsRevisions(readAtomText(older), readAtomText(newer), {
    authors: history.authors(),
    name: (author) => (author?.delegationCode ? author.delegationCode.toUpperCase() : "Secretariat"),
    fallbackDate: new Date("2026-12-05T00:00:00Z"),
  });
}

// The text one side of the comparison gives: Word's "accept all" (newer) or "reject all" (older).
function side(text: RevisionText, keep: "ins" | "del"): string[] {
  const drop = keep === "ins" ? "del" : "ins";
  const runs = (list: RedlineRun[]) => list.filter((run) => run.change !== drop).map((run) => (run.kind === "text" ? run.text : run.kind === "footnote" ? `[${run.note}]` : "\n")).join("");
  const paragraphs = (list: RedlineParagraph[]) => list.filter((paragraph) => paragraph.change !== drop).map((paragraph) => runs(paragraph.runs));
  return [
    runs(text.title),
    ...paragraphs(text.preamble),
    ...text.sections
      .filter((entry) => entry.change !== drop)
      .flatMap((entry) => [runs(entry.heading), ...entry.clauses.filter((item) => item.change !== drop).flatMap((item) => paragraphs(item.paragraphs))]),
  ];
}

function plain(state: Uint8Array): string[] {
  const text = readAtomText(state);
  const chars = (atoms: { char: string; kind: string; note: string }[]) => atoms.map((atom) => (atom.kind === "footnote" ? `[${atom.note}]` : atom.kind === "break" ? "\n" : atom.char)).join("");
  return [
    chars(text.title),
    ...text.preamble.map((paragraph) => chars(paragraph.atoms)),
    ...text.sections.flatMap((entry) => [chars(entry.heading), ...entry.clauses.flatMap((item) => item.paragraphs.map((paragraph) => chars(paragraph.atoms)))]),
  ];
}

const revised = (text: RevisionText) =>
  [...text.title, ...text.preamble.flatMap((paragraph) => paragraph.runs), ...text.sections.flatMap((entry) => [...entry.heading, ...entry.clauses.flatMap((item) => item.paragraphs.flatMap((paragraph) => paragraph.runs))])].filter(
    (run): run is RedlineRun & { kind: "text" } => run.kind === "text" && run.change !== "same",
  );

describe("a comparison as revisions", () => {
  it("names who inserted and who deleted each word, and gives back each side exactly", () => {
    const history = new History();
    const older = history.state();
    history.edit("fr", (fragment) => {
      // "States assess each licence." becomes "States assess every export licence application."
      const text = textOf(clauseAt(fragment, 0, 0));
      text.delete("States assess ".length, "each".length);
      text.insert("States assess ".length, "every export");
      text.insert(text.length - 1, " application");
    });
    history.edit("ca", (fragment) => textOf(clauseAt(fragment, 0, 1)).insert(0, "Arms "));
    history.edit(null, (fragment) => {
      const heading = sectionAt(fragment, 1).get(0) as Y.XmlElement;
      (heading.get(0) as Y.XmlText).insert(0, "Annual ");
    });
    const newer = history.state();
    const text = compare(history, older, newer);

    const changes = revised(text).map((run) => [run.change, run.text, run.revision?.author]);
    // The words compare as words: "each" out, "every" and "export" in, either side of a kept space.
    const scope = text.sections[0];
    if (!scope) throw new Error("no first section");
    const french = revised({ ...text, title: [], preamble: [], sections: [{ ...scope, heading: [], clauses: scope.clauses.slice(0, 1) }] });
    expect(new Set(french.map((run) => run.revision?.author))).toEqual(new Set(["FR"]));
    expect(french.filter((run) => run.change === "del").map((run) => run.text.trim())).toEqual(["each"]);
    expect(french.filter((run) => run.change === "ins").map((run) => run.text.trim())).toEqual(["every", "export", "application"]);
    expect(changes).toContainEqual(["ins", "Arms ", "CA"]);
    expect(changes).toContainEqual(["ins", "Annual ", "Secretariat"]);
    expect(revised(text).find((run) => run.text === "Arms ")?.revision?.date.toISOString()).toBe("2026-12-01T09:02:00.000Z");
    expect(side(text, "ins")).toEqual(plain(newer));
    expect(side(text, "del")).toEqual(plain(older));
  });

  it("shows a clause added and one removed as whole revisions where they stand, and keeps clause numbers", () => {
    const history = new History();
    const older = history.state();
    history.edit("no", (fragment) => {
      const added = new Y.XmlElement("clause");
      added.setAttribute("id", "cadded000001");
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText("End-use checks apply.")]);
      added.insert(0, [paragraph]);
      sectionAt(fragment, 0).insert(3, [added]);
    });
    history.edit("dk", (fragment) => sectionAt(fragment, 0).delete(2, 1));
    const newer = history.state();
    const text = compare(history, older, newer);

    const scope = text.sections[0];
    expect(scope?.clauses.map((item) => [item.number, item.change ?? "same", item.revision?.author ?? null])).toEqual([
      ["1.1", "same", null],
      ["1.2", "del", "DK"],
      ["1.2", "ins", "NO"],
      ["1.3", "same", null],
    ]);
    expect(scope?.clauses[1]?.paragraphs[0]?.change).toBe("del");
    expect(side(text, "ins")).toEqual(plain(newer));
    expect(side(text, "del")).toEqual(plain(older));
  });

  it("pairs a paragraph added to a clause as a whole paragraph, and a section removed with its clauses", () => {
    const history = new History();
    const older = history.state();
    history.edit("uk", (fragment) => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText("A second paragraph.")]);
      clauseAt(fragment, 0, 2).insert(1, [paragraph]);
    });
    history.edit("us", (fragment) => fragment.delete(3, 1));
    const newer = history.state();
    const text = compare(history, older, newer);

    expect(text.sections[0]?.clauses[2]?.paragraphs.map((paragraph) => [paragraph.change ?? "same", paragraph.revision?.author ?? null])).toEqual([
      ["same", null],
      ["ins", "UK"],
    ]);
    expect(text.sections[1]).toMatchObject({ change: "del", revision: { author: "US" } });
    expect(text.sections[1]?.clauses.map((item) => item.change)).toEqual(["del"]);
    expect(side(text, "ins")).toEqual(plain(newer));
    expect(side(text, "del")).toEqual(plain(older));
  });

  it("keeps the first author of words two delegations deleted at once", () => {
    const history = new History();
    const older = history.state();
    const concurrent = (delegation: string) => {
      const editor = new Y.Doc();
      Y.applyUpdate(editor, older);
      const vector = Y.encodeStateVector(editor);
      const text = textOf(clauseAt(editor.getXmlFragment(YJS_FRAGMENT), 1, 0));
      text.delete(0, 4);
      const update = Y.encodeStateAsUpdate(editor, vector);
      editor.destroy();
      return { update, author: { userId: null, delegationCode: delegation, at: new Date() } };
    };
    const first = concurrent("au");
    const second = concurrent("fr");
    const authors = new EditAuthors();
    for (const entry of [first, second]) authors.add(entry.update, entry.author);
    authors.sort();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, older);
    Y.applyUpdate(doc, first.update);
    Y.applyUpdate(doc, second.update);
    const text = compareAsRevisions(readAtomText(older), readAtomText(Y.encodeStateAsUpdate(doc)), { authors, name: (author) => author?.delegationCode ?? "?", fallbackDate: new Date() });
    expect(revised(text).map((run) => [run.change, run.text, run.revision?.author])).toEqual([["del", "The ", "au"]]);
  });
});
