import fc from "fast-check";
import * as Y from "yjs";
import { schema } from "../schema/prosemirror";

/** An edit a client makes to its copy of a draft, in one transaction. */
export type YjsOperation = (fragment: Y.XmlFragment, doc: Y.Doc) => void;

/**
 * Edits of every kind a client could make to a draft's Yjs text, valid and not (unknown elements,
 * misplaced text, bad marks and attributes, deletions, types beside the text), at places picked by
 * index: for property tests of what the server lets through.
 */
export function yjsOperation(): fc.Arbitrary<YjsOperation> {
  const names = fc.constantFrom(...Object.keys(schema.nodes).filter((name) => name !== "text"), "script", "div");
  const anyElement = (fragment: Y.XmlFragment, pick: number): Y.XmlElement | Y.XmlFragment => {
    const all: (Y.XmlElement | Y.XmlFragment)[] = [fragment];
    for (const node of fragment.createTreeWalker((candidate) => candidate instanceof Y.XmlElement)) all.push(node as Y.XmlElement);
    return all[pick % all.length] as Y.XmlElement | Y.XmlFragment;
  };
  const anyText = (fragment: Y.XmlFragment, pick: number): Y.XmlText | null => {
    const texts: Y.XmlText[] = [];
    for (const node of fragment.createTreeWalker((candidate) => candidate instanceof Y.XmlText)) texts.push(node as Y.XmlText);
    return texts[pick % Math.max(texts.length, 1)] ?? null;
  };
  return fc.oneof(
    fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 6 })).map(([pick, at, text]): YjsOperation => (fragment) => {
      const target = anyText(fragment, pick);
      if (target && text) target.insert(at % (target.length + 1), text);
    }),
    fc.tuple(fc.nat(), fc.nat(), fc.nat(8), fc.constantFrom<Record<string, unknown>>(
      { em: {} }, { strong: {} }, { em: null }, { link: { href: "https://a.example" } }, { link: { href: "javascript:x" } }, { link: {} }, { blink: {} }, { "em--AAAAAAAA": {} },
    )).map(([pick, at, length, format]): YjsOperation => (fragment) => {
      const target = anyText(fragment, pick);
      if (target && target.length) target.format(at % target.length, length, format);
    }),
    fc.tuple(fc.nat(), fc.nat(), names, fc.boolean()).map(([pick, at, name, withText]): YjsOperation => (fragment) => {
      const parent = anyElement(fragment, pick);
      const child = new Y.XmlElement(name);
      if (withText) child.insert(0, [new Y.XmlText("words")]);
      parent.insert(at % (parent.length + 1), [child]);
    }),
    fc.tuple(fc.nat(), fc.nat()).map(([pick, at]): YjsOperation => (fragment) => {
      const parent = anyElement(fragment, pick);
      parent.insert(at % (parent.length + 1), [new Y.XmlText("loose")]);
    }),
    fc.tuple(fc.nat(), fc.nat(), fc.nat(2)).map(([pick, at, count]): YjsOperation => (fragment) => {
      const parent = anyElement(fragment, pick);
      if (parent.length) parent.delete(at % parent.length, Math.min(count + 1, parent.length - (at % parent.length)));
    }),
    fc.tuple(fc.nat(), fc.constantFrom("id", "note", "onclick"), fc.constantFrom<unknown>("c1", "bad id!", 7, null)).map(
      ([pick, key, value]): YjsOperation => (fragment) => {
        const target = anyElement(fragment, pick);
        if (target instanceof Y.XmlElement) target.setAttribute(key, value as string);
      },
    ),
    fc.constant<YjsOperation>((_fragment, doc) => doc.getText("body").insert(0, "beside")),
  );
}
