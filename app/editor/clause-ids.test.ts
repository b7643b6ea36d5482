import { EditorState, TextSelection } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import { clause, documentJson, parseDocument, section } from "../../schema/content";
import { clauseNumbers, schema } from "../../schema/prosemirror";
import { clauseIdsPlugin } from "./clause-ids";
import { insertClause } from "./commands";

function stateOf(...clauses: ReturnType<typeof clause>[]) {
  return EditorState.create({
    schema,
    doc: parseDocument(documentJson("Title", ["Preamble"], [section("Scope", ...clauses)])),
    plugins: [clauseIdsPlugin()],
  });
}

function ids(state: EditorState): (string | null)[] {
  const found: (string | null)[] = [];
  state.doc.descendants((node) => {
    if (node.type === schema.nodes.clause) found.push(node.attrs.id as string | null);
    return true;
  });
  return found;
}

describe("clause ids", () => {
  it("keeps a clause's id through edits and gives a split-off clause a new one", () => {
    let state = stateOf(clause("First clause text."), clause("Second clause."));
    const [first, second] = ids(state);
    // Type inside the first clause.
    let pos = 0;
    state.doc.descendants((node, at) => {
      if (node.isText && node.text?.startsWith("First")) pos = at + 5;
      return true;
    });
    state = state.apply(state.tr.insertText(" amended", pos));
    expect(ids(state)).toEqual([first, second]);
    // Split the first clause in two: the original keeps its id.
    state = state.apply(state.tr.split(pos, 2));
    const after = ids(state);
    expect(after).toHaveLength(3);
    expect(after[0]).toBe(first);
    expect(after[2]).toBe(second);
    expect(after[1]).toMatch(/^c[0-9a-f]{12}$/);
    expect(new Set(after).size).toBe(3);
  });

  it("gives a new id to a pasted copy of a clause, and numbers clauses by position", () => {
    let state = stateOf(clause("Only clause."));
    const [only] = ids(state);
    const copy = state.doc.child(2).child(1);
    state = state.apply(state.tr.insert(state.doc.child(0).nodeSize + state.doc.child(1).nodeSize + state.doc.child(2).nodeSize - 1, copy));
    const [a, b] = ids(state);
    expect(a).toBe(only);
    expect(b).not.toBe(only);
    const numbers = clauseNumbers(state.doc);
    expect(numbers.get(a ?? "")).toBe("1.1");
    expect(numbers.get(b ?? "")).toBe("1.2");
  });

  it("inserts a new clause after the one holding the cursor", () => {
    let state = stateOf(clause("One."), clause("Two."));
    const [one, two] = ids(state);
    let inside = 0;
    state.doc.descendants((node, at) => {
      if (node.isText && node.text === "One.") inside = at + 1;
      return true;
    });
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, inside)));
    insertClause(state, (tr) => (state = state.apply(tr)));
    const after = ids(state);
    expect(after).toHaveLength(3);
    expect(after[0]).toBe(one);
    expect(after[2]).toBe(two);
    expect(state.selection.$from.parent.type).toBe(schema.nodes.paragraph);
  });
});
