import * as Y from "yjs";
import { newClauseId, YJS_FRAGMENT } from "../../schema/prosemirror";

/** A draft's history as one person after another types it, keystroke by keystroke. */
export interface TypedHistory {
  /** One Yjs update per keystroke, in order, each with the index of the session that typed it. */
  updates: { update: Uint8Array; session: number }[];
  /** The state vector of the document once every update is applied. */
  stateVector: Uint8Array;
}

const PROSE =
  "Participating States should assess, before granting an export licence, whether there is a clear risk that the items " +
  "might be used to commit serious violations of human rights, and should refuse the licence where such a risk exists. ";
// Editing sessions (a page load each: a new Yjs client id) and where paragraphs and clauses end.
const KEYSTROKES_PER_SESSION = 500;
const CHARACTERS_PER_PARAGRAPH = 90;
const PARAGRAPHS_PER_CLAUSE = 5;
const BACKSPACE_SHARE = 0.05;

/**
 * Types `count` keystrokes at the end of the ProseMirror fragment of a draft whose stored state
 * is `initial`, the way y-prosemirror writes them: each character an insert into the paragraph's
 * XmlText, now and then a backspace, an Enter (a new paragraph) or a new clause. Every
 * KEYSTROKES_PER_SESSION keystrokes the next editing session (a page load: a new client) takes over.
 */
export function typeHistory(initial: Uint8Array, count: number): TypedHistory {
  const updates: TypedHistory["updates"] = [];
  let state = initial;
  let typedInParagraph = 0;
  let paragraphsInClause = 1;
  let character = 0;
  for (let session = 0; updates.length < count; session += 1) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const section = lastChild(doc.getXmlFragment(YJS_FRAGMENT));
    let clause = lastChild(section);
    let paragraph = lastChild(clause);
    doc.on("update", (update: Uint8Array) => void updates.push({ update, session }));
    const stop = Math.min(count, updates.length + KEYSTROKES_PER_SESSION);
    while (updates.length < stop) {
      const text = paragraph.firstChild instanceof Y.XmlText ? paragraph.firstChild : null;
      if (!text) {
        paragraph.insert(0, [new Y.XmlText()]);
      } else if (typedInParagraph >= CHARACTERS_PER_PARAGRAPH) {
        // Enter: a new paragraph, and every few paragraphs a new clause with its own id.
        typedInParagraph = 0;
        paragraph = new Y.XmlElement("paragraph");
        if (paragraphsInClause >= PARAGRAPHS_PER_CLAUSE) {
          paragraphsInClause = 1;
          clause = new Y.XmlElement("clause");
          const newClause = clause;
          const newParagraph = paragraph;
          doc.transact(() => {
            newClause.setAttribute("id", newClauseId());
            newClause.insert(0, [newParagraph]);
            section.insert(section.length, [newClause]);
          });
        } else {
          paragraphsInClause += 1;
          clause.insert(clause.length, [paragraph]);
        }
      } else if (text.length > 0 && Math.random() < BACKSPACE_SHARE) {
        text.delete(text.length - 1, 1);
        typedInParagraph -= 1;
      } else {
        text.insert(text.length, PROSE[character++ % PROSE.length] ?? " ");
        typedInParagraph += 1;
      }
    }
    state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
  }
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const stateVector = Y.encodeStateVector(doc);
  doc.destroy();
  return { updates, stateVector };
}

function lastChild(parent: Y.XmlFragment | Y.XmlElement): Y.XmlElement {
  const child = parent.get(parent.length - 1);
  if (!(child instanceof Y.XmlElement)) throw new Error("Expected an element at the end of the draft.");
  return child;
}

/** Whether a client holds at least everything a state vector names. */
export function covers(stateVector: Uint8Array, expected: Uint8Array): boolean {
  const have = Y.decodeStateVector(stateVector);
  for (const [client, clock] of Y.decodeStateVector(expected)) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}
