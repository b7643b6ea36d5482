import { EditorState, TextSelection } from "prosemirror-state";
import { DecorationSet } from "prosemirror-view";
import { ySyncPluginKey } from "y-prosemirror";
import { describe, expect, it } from "vitest";
import { clause, documentJson, parseDocument, section } from "../../schema/content";
import { schema } from "../../schema/prosemirror";
import { clauseStatusKey, clauseStatusPlugin, type ClauseMark } from "./clause-status";

const doc = parseDocument(
  documentJson("T", ["Preamble."], [section("One", clause("Agreed text."), clause("Open text."))]),
);
const ids: string[] = [];
doc.descendants((node) => {
  if (node.type === schema.nodes.clause) ids.push(node.attrs.id as string);
  return node.type !== schema.nodes.clause;
});
const [agreedId = "", openId = ""] = ids;

const marks = new Map<string, ClauseMark>([
  [agreedId, { status: "agreed", short: "Agreed", label: "Agreed", agreed: true }],
  [openId, { status: "pending", short: "Pending", label: "Pending", agreed: false }],
]);

function start(): EditorState {
  const state = EditorState.create({ schema, doc, plugins: [clauseStatusPlugin({ onEditAgreed: () => undefined })] });
  return state.apply(state.tr.setMeta(clauseStatusKey, marks));
}

// The position just inside the first paragraph of the clause with `id`.
function inside(state: EditorState, id: string): number {
  let found = -1;
  state.doc.descendants((node, pos) => {
    if (found < 0 && node.type === schema.nodes.clause && node.attrs.id === id) found = pos + 2;
    return found < 0;
  });
  return found;
}

function type(state: EditorState, id: string, text: string, remote = false): EditorState {
  const at = inside(state, id);
  const tr = state.tr.setSelection(TextSelection.create(state.doc, at)).insertText(text, at);
  if (remote) tr.setMeta(ySyncPluginKey, { isChangeOrigin: true });
  return state.apply(tr);
}

describe("the clause status plugin", () => {
  it("marks each clause with its status", () => {
    const state = start();
    const plugin = clauseStatusKey.get(state);
    const set = plugin?.props.decorations?.call(plugin, state);
    const keys = (set instanceof DecorationSet ? set.find() : []).map((decoration) => (decoration.spec as { key?: string }).key);
    expect(keys).toContain("clause-status-agreed-Agreed");
    expect(keys).toContain("clause-status-pending-Pending");
  });

  it("asks for a warning the first time the person types into an agreed clause, keeping the text", () => {
    let state = type(start(), agreedId, "New ");
    expect(clauseStatusKey.getState(state)?.warn).toBe(agreedId);
    expect(state.doc.textContent).toContain("New Agreed text.");
    state = type(state, agreedId, "again ");
    expect(clauseStatusKey.getState(state)?.warn).toBeNull();
    expect(state.doc.textContent).toContain("again ");
  });

  it("does not warn for a clause that is not agreed, nor for others' changes arriving", () => {
    const open = type(start(), openId, "x");
    expect(clauseStatusKey.getState(open)?.warn).toBeNull();
    const remote = type(start(), agreedId, "y", true);
    expect(clauseStatusKey.getState(remote)?.warn).toBeNull();
    expect(clauseStatusKey.getState(type(remote, agreedId, "z"))?.warn).toBe(agreedId);
  });
});
