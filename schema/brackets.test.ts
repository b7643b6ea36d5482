import { describe, expect, it } from "vitest";
import { prosemirrorJSONToYDoc, yDocToProsemirrorJSON } from "y-prosemirror";
import * as Y from "yjs";
import { renderDocumentHtml } from "../server/render/html";
import { plainText, toExportDocument } from "../server/render/export-document";
import { compareTexts } from "../server/versions/redline";
import { bracketsIn, newBracketId, openBracketsByClause, resolveBracket, showBrackets, BRACKET_ID } from "./brackets";
import { documentJson, parseDocument, section, type DocJson } from "./content";
import { normalizeDocument } from "./normalize";
import { schema, YJS_FRAGMENT } from "./prosemirror";

const ID = "b0123456789ab";
const bracket = (text: string, option: number, supporters: string, id = ID): DocJson => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id, option, supporters } }] });
const words = (text: string): DocJson => ({ type: "text", text });
const clauseOf = (id: string, ...inline: DocJson[]): DocJson => ({ type: "clause", attrs: { id }, content: [{ type: "paragraph", content: inline }] });

// "States assess [each / every] licence." in clause 1.1; clause 1.2 has none.
const json = documentJson("Code", ["Preamble."], [
  section("Scope", clauseOf("c00000000000a", words("States assess "), bracket("each", 0, "fr,ca"), bracket("every", 1, "uk"), words(" licence.")), clauseOf("c00000000000b", words("Brokering is covered."))),
]);
const doc = parseDocument(json);
const clauseText = (node: ReturnType<typeof parseDocument>) => node.child(2).child(1).textContent;

describe("brackets in the text", () => {
  it("are found with their options, supporters and clause, and counted per clause", () => {
    expect(bracketsIn(doc)).toEqual([
      expect.objectContaining({ id: ID, clauseId: "c00000000000a", options: [{ option: 0, text: "each", supporters: ["fr", "ca"] }, { option: 1, text: "every", supporters: ["uk"] }] }),
    ]);
    expect(openBracketsByClause(doc)).toEqual(new Map([["c00000000000a", 1]]));
    expect(newBracketId()).toMatch(BRACKET_ID);
  });

  it("read as the customary square brackets, or as the clean text of the first options", () => {
    expect(clauseText(showBrackets(doc, "bracketed"))).toBe("States assess [each / every] licence.");
    expect(clauseText(showBrackets(doc, "clean"))).toBe("States assess each licence.");
    // A document without brackets is returned as it is.
    const plain = parseDocument(documentJson("Code", ["Preamble."], [section("Scope", clauseOf("c00000000000b", words("No brackets.")))]));
    expect(showBrackets(plain, "bracketed")).toBe(plain);
  });

  it("resolve exactly: one option kept as agreed text, or the passage dropped; nothing else changes", () => {
    const kept = resolveBracket(doc, ID, 1);
    expect(kept && clauseText(kept)).toBe("States assess every licence.");
    expect(kept && bracketsIn(kept)).toEqual([]);
    expect(kept?.child(2).child(2).eq(doc.child(2).child(2))).toBe(true);
    const dropped = resolveBracket(doc, ID, null);
    expect(dropped && clauseText(dropped)).toBe("States assess  licence.");
    expect(resolveBracket(doc, "b000000000000", 0)).toBeNull();
    expect(resolveBracket(doc, ID, 5)).toBeNull();
  });

  it("keep only their right form when stored text is read: a bracket without its id is plain text", () => {
    const odd = documentJson("Code", ["Preamble."], [section("Scope", clauseOf("c00000000000a", bracket("each", 0, "", "not-an-id"), bracket("every", 0, "<script>", "b0000000000ff")))]);
    const read = normalizeDocument(odd);
    expect(bracketsIn(read)).toEqual([]);
    expect(read.child(2).child(1).textContent).toBe("eachevery");
  });

  it("show in every download, the version HTML and the redline, where resolving one is a change", () => {
    expect(renderDocumentHtml(doc)).toContain('States assess [<span class="bracket" data-supporters="fr,ca">each</span> / <span class="bracket" data-supporters="uk">every</span>] licence.');
    const exported = toExportDocument(json, { publicTitle: "", versionNumber: 1, statusLabel: "", date: new Date(0), sha256: "", lang: "en", url: null });
    const first = exported.sections[0]?.clauses[0]?.blocks[0];
    expect(first?.kind === "paragraph" ? plainText(first.inlines) : null).toBe("States assess [each / every] licence.");
    const resolved = resolveBracket(doc, ID, 1);
    if (!resolved) throw new Error("not resolved");
    const redline = compareTexts(doc, resolved);
    expect(redline.summary.changed).toBe(1);
    expect(redline.html).toMatch(/<del>\[each \/ <\/del>/);
  });

  it("survive concurrent edits inside and around them", () => {
    const base = prosemirrorJSONToYDoc(schema, json, YJS_FRAGMENT);
    const [paris, london] = [new Y.Doc(), new Y.Doc()];
    for (const replica of [paris, london]) Y.applyUpdate(replica, Y.encodeStateAsUpdate(base));
    const textOf = (replica: Y.Doc) => ((replica.getXmlFragment(YJS_FRAGMENT).get(2) as Y.XmlElement).get(1) as Y.XmlElement).get(0) as Y.XmlElement;
    // Paris types inside the first option ("ea|ch"); London types before the bracket and after it.
    (textOf(paris).get(0) as Y.XmlText).insert("States assess ea".length, "XX");
    const london0 = textOf(london).get(0) as Y.XmlText;
    london0.insert("States ".length, "shall ");
    london0.insert(london0.length, " Also transit.");
    Y.applyUpdate(paris, Y.encodeStateAsUpdate(london));
    Y.applyUpdate(london, Y.encodeStateAsUpdate(paris));
    const [a, b] = [paris, london].map((replica) => parseDocument(yDocToProsemirrorJSON(replica, YJS_FRAGMENT) as DocJson));
    expect(a?.eq(b as NonNullable<typeof b>)).toBe(true);
    const merged = a as NonNullable<typeof a>;
    expect(clauseText(showBrackets(merged, "bracketed"))).toBe("States shall assess [eaXXch / every] licence. Also transit.");
    expect(bracketsIn(merged)[0]?.options.map((option) => option.text)).toEqual(["eaXXch", "every"]);
  });
});
