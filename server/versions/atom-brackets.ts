import { bracketSigns, type BracketSign } from "../../schema/brackets";
import type { Atom, AtomParagraph, AtomText } from "./text-atoms";

/**
 * The text with the customary square brackets written in, as every download shows it: "[", " / "
 * and "]" placed in each paragraph exactly as `showBrackets` places them (schema/brackets.ts), so
 * that a comparison shows a bracket opened or resolved as a change like any other.
 *
 * A sign is not text anyone typed: it stands for the bracket mark, so it carries the id of the
 * Yjs format item that set or ended the mark, and is named after whoever added (or removed) the
 * bracket. Where no such item is known (a text that did not come through Yjs edits), it carries
 * the id of the first words of the bracket's first option; where that names nobody either, the
 * comparison names it after the change around it (`Reviser.authorsOf` in word-redline.ts).
 */
export function withBracketSigns(text: AtomText): AtomText {
  return {
    ...text,
    preamble: text.preamble.map(paragraphWithSigns),
    sections: text.sections.map((section) => ({
      ...section,
      clauses: section.clauses.map((clause) => ({ ...clause, paragraphs: clause.paragraphs.map(paragraphWithSigns) })),
    })),
  };
}

// Brackets stand in the paragraphs of the preamble and clauses only: the schema refuses them in the
// title and headings, and the reading of stored text drops any found there.
function paragraphWithSigns(paragraph: AtomParagraph): AtomParagraph {
  const signs = bracketSigns(paragraph.atoms, (atom) => atom.bracket);
  if (signs.length === 0) return paragraph;
  const atoms: Atom[] = [];
  let next = 0;
  for (const sign of signs) {
    atoms.push(...paragraph.atoms.slice(next, sign.before), ...signAtoms(sign, paragraph.atoms));
    next = sign.before;
  }
  atoms.push(...paragraph.atoms.slice(next));
  return { ...paragraph, atoms };
}

function signAtoms(sign: BracketSign, atoms: readonly Atom[]): Atom[] {
  // "[" and " / " stand for the mark of the option they open, "]" for the item that ends the last.
  const last = atoms[sign.before - 1]?.bracket;
  const mark = sign.text === "]" ? (last?.closed ?? last?.opened) : atoms[sign.before]?.bracket?.opened;
  const id = mark ?? atoms[sign.first]?.id ?? null;
  return sign.text.split("").map((char) => ({ kind: "text", char, em: false, strong: false, href: null, note: "", id, bracket: null }));
}
