import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { newClauseId, schema } from "../../schema/prosemirror";

/** The plugin that keeps clause ids present and unique. */
export const clauseIdsKey = new PluginKey("clause-ids");

/**
 * Gives every clause without an id a new one, and the second of two clauses that share an id
 * (a split or a pasted copy) a new one; the first keeps its id, so references follow the original.
 */
export function fixClauseIds(state: EditorState): Transaction | null {
  const seen = new Set<string>();
  let tr: Transaction | null = null;
  state.doc.descendants((node, pos) => {
    if (node.type === schema.nodes.clause) {
      const id = node.attrs.id as string | null;
      if (!id || seen.has(id)) {
        tr ??= state.tr;
        const fresh = newClauseId();
        tr.setNodeMarkup(pos, undefined, { ...node.attrs, id: fresh });
        seen.add(fresh);
      } else {
        seen.add(id);
      }
      return false;
    }
    return node.type === schema.nodes.doc || node.type === schema.nodes.section;
  });
  return tr;
}

/** Keeps clause ids present and unique after every change. */
export function clauseIdsPlugin(): Plugin {
  return new Plugin({
    key: clauseIdsKey,
    appendTransaction: (transactions, _old, state) => {
      if (!transactions.some((tr) => tr.docChanged)) return null;
      const tr = fixClauseIds(state);
      return tr ? tr.setMeta("addToHistory", false) : null;
    },
  });
}
