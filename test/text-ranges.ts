import * as Y from "yjs";
import { loadTextSnapshot } from "../server/domain/annotation-anchors";

/** The ProseMirror range of the first occurrence of `words` in a draft's stored text. */
export async function rangeOf(draftId: string, words: string): Promise<{ from: number; to: number }> {
  const text = await loadTextSnapshot(draftId);
  try {
    let found: { from: number; to: number } | null = null;
    text.node.descendants((node, pos) => {
      const index = node.isText ? (node.text ?? "").indexOf(words) : -1;
      if (index !== -1 && !found) found = { from: pos + index, to: pos + index + words.length };
    });
    if (!found) throw new Error(`"${words}" is not in the text`);
    return found;
  } finally {
    text.destroy();
  }
}

/** The XmlText of the paragraph whose text starts with `start`, in a client's document. */
export function paragraphText(doc: Y.Doc, start: string): Y.XmlText {
  const walk = (type: Y.XmlElement | Y.XmlFragment): Y.XmlText | null => {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText && child.toString().replace(/<[^>]+>/g, "").startsWith(start)) return child;
      if (child instanceof Y.XmlElement) {
        const found = walk(child);
        if (found) return found;
      }
    }
    return null;
  };
  const found = walk(doc.getXmlFragment("prosemirror"));
  if (!found) throw new Error(`no paragraph starts with "${start}"`);
  return found;
}
