import { EditorState } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import { bracketsIn } from "../../schema/brackets";
import { documentJson, parseDocument, section, type DocJson } from "../../schema/content";
import { supportAlternative } from "./brackets";

const ID = "b0000000000c1";
const option = (text: string, index: number, supporters: string, bold = false): DocJson => ({
  type: "text",
  text,
  marks: [...(bold ? [{ type: "strong" }] : []), { type: "bracket", attrs: { id: ID, option: index, supporters } }],
});
const state = () =>
  EditorState.create({
    doc: parseDocument(
      documentJson("Support", ["Preamble."], [
        section("Scope", {
          type: "clause",
          attrs: { id: "c0000000000c1" },
          // The second alternative is in two pieces (part of it bold): both change together.
          content: [{ type: "paragraph", content: [{ type: "text", text: "States assess " }, option("each", 0, "fr"), option("every ", 1, "uk"), option("single", 1, "uk", true), { type: "text", text: " licence." }] }],
        }),
      ]),
    ),
  });
const supporters = (doc: EditorState["doc"]) => bracketsIn(doc)[0]?.options.map((item) => item.supporters.join(","));

describe("supporting an alternative of a bracket", () => {
  it("adds the delegation to every piece of the alternative's words, and changes no word", () => {
    const before = state();
    const tr = supportAlternative(before, { bracketId: ID, option: 1, delegationCode: "ca", support: true });
    if (!tr) throw new Error("nothing to change");
    const after = before.apply(tr);
    expect(supporters(after.doc)).toEqual(["fr", "uk,ca"]);
    expect(after.doc.textContent).toBe(before.doc.textContent);
    // The bold piece keeps its bold.
    let bold = "";
    after.doc.descendants((node) => {
      if (node.isText && node.marks.some((mark) => mark.type.name === "strong")) bold += node.text;
    });
    expect(bold).toBe("single");
  });

  it("takes the delegation off, and does nothing where there is nothing to change", () => {
    const before = state();
    const withdrawal = supportAlternative(before, { bracketId: ID, option: 0, delegationCode: "fr", support: false });
    if (!withdrawal) throw new Error("nothing to change");
    const withdrawn = before.apply(withdrawal);
    expect(supporters(withdrawn.doc)).toEqual(["", "uk"]);
    expect(supportAlternative(before, { bracketId: ID, option: 0, delegationCode: "fr", support: true })).toBeNull();
    expect(supportAlternative(before, { bracketId: ID, option: 0, delegationCode: "no", support: false })).toBeNull();
    expect(supportAlternative(before, { bracketId: "b0000000000ff", option: 0, delegationCode: "no", support: true })).toBeNull();
    expect(supportAlternative(before, { bracketId: ID, option: 5, delegationCode: "no", support: true })).toBeNull();
  });
});
