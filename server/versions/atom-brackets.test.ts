import type { Node as PMNode } from "prosemirror-model";
import { Transform } from "prosemirror-transform";
import { describe, expect, it } from "vitest";
import { initProseMirrorDoc, updateYFragment, yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { resolveBracket, showBrackets } from "../../schema/brackets";
import { documentJson, section, type DocJson } from "../../schema/content";
import { normalizeDocument } from "../../schema/normalize";
import { schema, YJS_FRAGMENT } from "../../schema/prosemirror";
import type { RedlineParagraph, RedlineRun } from "../render/redline-document";
import { yjsStateFromJson } from "../text-store/initial-state";
import { withBracketSigns } from "./atom-brackets";
import { EditAuthors, type EditAuthor } from "./edit-authors";
import { readAtomText, type AtomParagraph } from "./text-atoms";
import { compareAsRevisions, type RevisionText } from "./word-redline";

const words = (text: string): DocJson => ({ type: "text", text });
const option = (text: string, id: string, index: number): DocJson => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id, option: index, supporters: "fr" } }] });
const note = (text: string): DocJson => ({ type: "footnote", attrs: { note: text } });
const clauseOf = (id: string, ...inline: DocJson[]): DocJson => ({ type: "clause", attrs: { id }, content: [{ type: "paragraph", content: inline }] });

/** A draft's text and its log, edited through ProseMirror as the editor and the server's edits are. */
class History {
  readonly log: { update: Uint8Array; author: EditAuthor }[] = [];
  readonly doc = new Y.Doc({ gc: false });
  private clock = Date.parse("2026-12-01T09:00:00Z");

  constructor(json: DocJson) {
    Y.applyUpdate(this.doc, yjsStateFromJson(json));
  }

  /** `delegationCode` (null: the secretariat) changes the text; the difference is written to Yjs and logged. */
  edit(delegationCode: string | null, change: (doc: PMNode) => PMNode): void {
    const editor = new Y.Doc({ gc: false });
    Y.applyUpdate(editor, this.state());
    const vector = Y.encodeStateVector(editor);
    const fragment = editor.getXmlFragment(YJS_FRAGMENT);
    const { doc, meta } = initProseMirrorDoc(fragment, schema);
    updateYFragment(editor, fragment, change(doc), meta);
    const update = Y.encodeStateAsUpdate(editor, vector);
    Y.applyUpdate(this.doc, update);
    this.log.push({ update, author: { userId: null, delegationCode, at: new Date((this.clock += 60_000)) } });
    editor.destroy();
  }

  state(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  compare(older: Uint8Array, newer: Uint8Array): RevisionText {
    const authors = new EditAuthors();
    for (const entry of this.log) authors.add(entry.update, entry.author);
    authors.sort();
    // "nobody" is what a change no update explains is named: no sign must be.
    const name = (author: EditAuthor | null) => (author ? (author.delegationCode?.toUpperCase() ?? "Secretariat") : "nobody");
    return compareAsRevisions(withBracketSigns(readAtomText(older)), withBracketSigns(readAtomText(newer)), { authors, name, fallbackDate: new Date(0) });
  }
}

// The first place of `words` in a document.
function rangeOf(doc: PMNode, words: string): { from: number; to: number } {
  let found: { from: number; to: number } | null = null;
  doc.descendants((node, position) => {
    const at = node.isText ? (node.text ?? "").indexOf(words) : -1;
    if (at >= 0 && !found) found = { from: position + at, to: position + at + words.length };
  });
  if (!found) throw new Error(`"${words}" is not in the text`);
  return found;
}

// Each paragraph of a text as a download writes it: showBrackets on the stored text, footnotes as "{note}".
function downloaded(state: Uint8Array): string[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const node = showBrackets(normalizeDocument(yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(YJS_FRAGMENT), schema).toJSON()), "bracketed");
  const paragraphs: string[] = [];
  node.descendants((child) => {
    if (!child.isTextblock) return true;
    let text = "";
    child.forEach((inline) => (text += inline.isText ? inline.text : inline.type === schema.nodes.footnote ? `{${String(inline.attrs.note)}}` : "\n"));
    paragraphs.push(text);
    return false;
  });
  return paragraphs;
}

// The same paragraphs from atoms with the signs written in.
function fromAtoms(state: Uint8Array): string[] {
  const text = withBracketSigns(readAtomText(state));
  const chars = (paragraph: Pick<AtomParagraph, "atoms">) => paragraph.atoms.map((atom) => (atom.kind === "footnote" ? `{${atom.note}}` : atom.kind === "break" ? "\n" : atom.char)).join("");
  return [chars({ atoms: text.title }), ...text.preamble.map(chars), ...text.sections.flatMap((entry) => [chars({ atoms: entry.heading }), ...entry.clauses.flatMap((item) => item.paragraphs.map(chars))])];
}

// What accepting (ins) or rejecting (del) every revision leaves, paragraph by paragraph.
function side(text: RevisionText, keep: "ins" | "del"): string[] {
  const drop = keep === "ins" ? "del" : "ins";
  const runs = (list: RedlineRun[]) => list.filter((run) => run.change !== drop).map((run) => (run.kind === "text" ? run.text : run.kind === "footnote" ? `{${run.note}}` : "\n")).join("");
  const paragraphs = (list: RedlineParagraph[]) => list.filter((paragraph) => paragraph.change !== drop).map((paragraph) => runs(paragraph.runs));
  return [runs(text.title), ...paragraphs(text.preamble), ...text.sections.flatMap((entry) => [runs(entry.heading), ...entry.clauses.flatMap((item) => paragraphs(item.paragraphs))])];
}

const changes = (text: RevisionText) =>
  text.sections
    .flatMap((entry) => entry.clauses.flatMap((item) => item.paragraphs.flatMap((paragraph) => paragraph.runs)))
    .flatMap((run) => (run.kind === "text" && run.change !== "same" ? [[run.change, run.text, run.revision?.author]] : []));

describe("brackets in a comparison as revisions", () => {
  it("are written where every download writes them, however they stand in a paragraph", () => {
    const json = documentJson("Code", ["Preamble."], [
      section(
        "Scope",
        // Two brackets side by side, at the start and the end of the paragraph.
        clauseOf("c00000000000a", option("each", "b0000000000a1", 0), option("every", "b0000000000a1", 1), option("all", "b0000000000a2", 0), words(" licences "), option("shall", "b0000000000a3", 0)),
        // A footnote inside an option, and a mark of the wrong form, which is no bracket.
        clauseOf("c00000000000b", words("States "), option("may", "b0000000000b1", 0), note("Or must."), option(" must", "b0000000000b1", 1), words(" act "), option("now", "not-a-bracket", 0)),
      ),
    ]);
    const state = yjsStateFromJson(json);
    expect(fromAtoms(state)).toEqual(downloaded(state));
    expect(fromAtoms(state)).toContain("[each / every][all] licences [shall]");
  });

  it("show a bracket added as inserted by whoever added it, and one resolved as deleted by whoever resolved it; Accept and Reject All give each side", () => {
    const history = new History(
      documentJson("Code", ["Preamble."], [
        section("Scope", clauseOf("c00000000000a", words("States assess licences.")), clauseOf("c00000000000b", words("Transit is "), option("covered", "b0000000000b1", 0), option("excluded", "b0000000000b1", 1), words("."))),
      ]),
    );
    // Canada writes words; France then brackets them, with an alternative of its own.
    history.edit("ca", (doc) => new Transform(doc).insert(rangeOf(doc, "assess").to, schema.text(" each")).doc);
    const older = history.state();
    history.edit("fr", (doc) => {
      const { from, to } = rangeOf(doc, "each");
      const bracket = (index: number, supporters: string) => schema.marks.bracket.create({ id: "b0000000000a1", option: index, supporters });
      return new Transform(doc).addMark(from, to, bracket(0, "")).insert(to, schema.text("every", [bracket(1, "fr")])).doc;
    });
    const middle = history.state();
    // The secretariat keeps the second alternative.
    history.edit(null, (doc) => resolveBracket(doc, "b0000000000a1", 1) ?? doc);
    const newer = history.state();

    const opened = history.compare(older, middle);
    // The signs are France's, though Canada wrote the words they enclose (a space the word comparison
    // pairs otherwise than Yjs kept it keeps its own writer, as elsewhere).
    expect(changes(opened).filter(([, text]) => /\S/.test(text ?? ""))).toEqual([
      ["ins", "[", "FR"],
      ["ins", "/ every]", "FR"],
    ]);
    expect(side(opened, "ins")).toEqual(downloaded(middle));
    expect(side(opened, "del")).toEqual(downloaded(older));
    expect(downloaded(middle)).toContain("States assess [each / every] licences.");

    const resolved = history.compare(middle, newer);
    expect(new Set(changes(resolved).map(([change, , author]) => `${change}:${author}`))).toEqual(new Set(["del:Secretariat"]));
    expect(changes(resolved).map(([, text]) => text).join("|")).toBe("[each / |]");
    expect(side(resolved, "ins")).toEqual(downloaded(newer));
    expect(side(resolved, "del")).toEqual(downloaded(middle));
    // The bracket left alone reads the same on both sides, and is no revision.
    expect(downloaded(newer)).toContain("Transit is [covered / excluded].");
  });
});
