import type { Mark, Node as PMNode } from "prosemirror-model";
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet, type EditorView } from "prosemirror-view";
import { bracketAttrsValid, bracketsIn, newBracketId } from "../../schema/brackets";
import { clauseNumbers, schema } from "../../schema/prosemirror";

/** One open bracket as the draft page lists it. */
export interface ListedBracket {
  id: string;
  /** The clause's number, or null in the preamble. */
  clause: string | null;
  /** Each alternative, its supporters by name and by delegation code. */
  options: { option: number; text: string; supporters: string[]; codes: string[] }[];
}

/** The open brackets of a text as the page lists them, supporters by name (`names`: code → name). */
export function listBrackets(doc: PMNode, names: ReadonlyMap<string, string>): ListedBracket[] {
  const numbers = clauseNumbers(doc);
  return bracketsIn(doc).map((bracket) => ({
    id: bracket.id,
    clause: bracket.clauseId ? (numbers.get(bracket.clauseId) ?? null) : null,
    options: bracket.options.map((option) => ({ ...option, codes: option.supporters, supporters: option.supporters.map((code) => names.get(code) ?? code.toUpperCase()) })),
  }));
}

/** How the editor shows brackets: the customary signs around the alternatives, or the clean text of the first ones. */
export type BracketView = "bracketed" | "clean";

interface BracketState {
  view: BracketView;
  decorations: DecorationSet;
}

export const bracketsKey = new PluginKey<BracketState>("brackets");

/** Switches the editor between the bracketed and the clean text (changes nothing in the text). */
export function setBracketView(view: EditorView, mode: BracketView): void {
  view.dispatch(view.state.tr.setMeta(bracketsKey, mode).setMeta("addToHistory", false));
}

/**
 * Draws square brackets around each bracket's alternatives and a slash between them, each
 * alternative underlined in the colour of the first delegation supporting it (named in its title
 * for screen readers and pointers); in the clean view, the alternatives after the first are hidden
 * and no signs are drawn. The signs are decorations: they are never part of the text.
 */
export function bracketsPlugin(colours: ReadonlyMap<string, { name: string; colour: string }>, onBrackets?: (doc: PMNode) => void): Plugin<BracketState> {
  return new Plugin<BracketState>({
    // Whoever lists the brackets hears of every new text, its own typing and others' alike.
    view: (view) => {
      onBrackets?.(view.state.doc);
      return {
        update(updated, previous) {
          if (updated.state.doc !== previous.doc) onBrackets?.(updated.state.doc);
        },
      };
    },
    key: bracketsKey,
    state: {
      init: (_config, state) => ({ view: "bracketed", decorations: decorate(state.doc, "bracketed", colours) }),
      apply(tr, previous): BracketState {
        const mode = (tr.getMeta(bracketsKey) as BracketView | undefined) ?? previous.view;
        if (!tr.docChanged && mode === previous.view) return previous;
        return { view: mode, decorations: decorate(tr.doc, mode, colours) };
      },
    },
    props: {
      decorations: (state) => bracketsKey.getState(state)?.decorations ?? null,
    },
  });
}

/** Why the selection cannot be bracketed (a message key), or null when it can. */
export function bracketingRefusal(state: EditorState): "brackets.oneParagraph" | "brackets.nested" | null {
  const { from, to, $from, $to } = state.selection;
  if (from === to || !$from.sameParent($to) || !$from.parent.isTextblock || !$from.parent.type.allowsMarkType(schema.marks.bracket)) return "brackets.oneParagraph";
  let nested = false;
  state.doc.nodesBetween(from, to, (node) => {
    if (node.isText && node.marks.some((mark) => mark.type === schema.marks.bracket)) nested = true;
  });
  return nested ? "brackets.nested" : null;
}

/**
 * Puts the selected words in a new bracket as its first alternative, with `alternatives` after
 * them, supported by `delegationCode` (none for the secretariat). One transaction, so one undo.
 */
export function bracketSelection(state: EditorState, alternatives: readonly string[], delegationCode: string | null): Transaction | null {
  if (bracketingRefusal(state)) return null;
  const { from, to } = state.selection;
  const id = newBracketId();
  const supporters = delegationCode ?? "";
  const tr = state.tr.addMark(from, to, schema.marks.bracket.create({ id, option: 0, supporters: "" }));
  let at = to;
  alternatives
    .map((text) => text.trim())
    .filter(Boolean)
    .slice(0, 9)
    .forEach((text, index) => {
      const node = schema.text(text, [schema.marks.bracket.create({ id, option: index + 1, supporters })]);
      tr.insert(at, node);
      at += node.nodeSize;
    });
  return tr.setSelection(TextSelection.create(tr.doc, at)).scrollIntoView();
}

/**
 * Adds a delegation to the supporters of one alternative of a bracket, or takes it off: the mark of
 * every piece of the alternative's words changes, its words do not. One transaction, so one undo;
 * null when the alternative is not in the text or already says so.
 */
export function supportAlternative(state: EditorState, input: { bracketId: string; option: number; delegationCode: string; support: boolean }): Transaction | null {
  const tr = state.tr;
  let changed = false;
  state.doc.descendants((node, position) => {
    if (!node.isText) return true;
    const mark = bracketOf(node);
    if (!mark || mark.attrs.id !== input.bracketId || mark.attrs.option !== input.option) return false;
    const codes = String(mark.attrs.supporters ?? "").split(",").filter(Boolean);
    const next = input.support ? (codes.includes(input.delegationCode) ? codes : [...codes, input.delegationCode]) : codes.filter((code) => code !== input.delegationCode);
    if (next.length === codes.length) return false;
    const replacement = schema.marks.bracket.create({ ...mark.attrs, supporters: next.join(",") });
    tr.removeMark(position, position + node.nodeSize, mark).addMark(position, position + node.nodeSize, replacement);
    changed = true;
    return false;
  });
  return changed ? tr : null;
}

function decorate(doc: PMNode, mode: BracketView, colours: ReadonlyMap<string, { name: string; colour: string }>): DecorationSet {
  const decorations: Decoration[] = [];
  doc.descendants((node, position) => {
    if (!node.isTextblock) return true;
    let open: { id: string; option: number; first: number; end: number } | null = null;
    const close = () => {
      if (open && mode === "bracketed") decorations.push(sign(open.end, "]", 1));
      open = null;
    };
    node.forEach((child, offset) => {
      const start = position + 1 + offset;
      const mark = child.isText ? bracketOf(child) : null;
      if (!mark) return close();
      const id = mark.attrs.id as string;
      const option = mark.attrs.option as number;
      if (open?.id !== id) {
        close();
        open = { id, option, first: option, end: start };
        if (mode === "bracketed") decorations.push(sign(start, "[", -1));
      } else if (open.option !== option) {
        open.option = option;
        if (mode === "bracketed") decorations.push(sign(start, " / ", -1));
      }
      open.end = start + child.nodeSize;
      const hidden = mode === "clean" && option !== open.first;
      decorations.push(Decoration.inline(start, start + child.nodeSize, hidden ? { class: "bracket--hidden" } : optionStyle(mark, colours)));
    });
    close();
    return false;
  });
  return DecorationSet.create(doc, decorations);
}

function sign(position: number, text: string, side: number): Decoration {
  return Decoration.widget(
    position,
    () => {
      const span = document.createElement("span");
      span.className = "bracket-sign";
      span.textContent = text;
      return span;
    },
    { side, key: `bracket-sign-${text}-${position}`, ignoreSelection: true },
  );
}

function optionStyle(mark: Mark, colours: ReadonlyMap<string, { name: string; colour: string }>): { class: string; style?: string; title?: string } {
  const codes = String(mark.attrs.supporters ?? "").split(",").filter(Boolean);
  const known = codes.map((code) => colours.get(code)).filter((entry): entry is { name: string; colour: string } => entry !== undefined);
  const first = known[0];
  return { class: "bracket-option", ...(first ? { style: `--bracket-colour: ${first.colour}`, title: known.map((entry) => entry.name).join(", ") } : {}) };
}

function bracketOf(node: PMNode): Mark | null {
  const mark = node.marks.find((item) => item.type === schema.marks.bracket);
  return mark && bracketAttrsValid(mark.attrs) ? mark : null;
}
