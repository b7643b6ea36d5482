import { prosemirrorJSONToYDoc } from "y-prosemirror";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { codeOfConductOpeningText } from "../server/demo/code-of-conduct";
import { normalizeDocument } from "./normalize";
import { fragmentMapping, readDocText, rewriteFragment } from "./normalize-yjs";
import { schema, YJS_FRAGMENT } from "./prosemirror";

function sampleDoc(): Y.Doc {
  return prosemirrorJSONToYDoc(schema, codeOfConductOpeningText("Code"), YJS_FRAGMENT);
}

// Bad content of every kind a stock Yjs client can write into the fragment.
function spoil(doc: Y.Doc): void {
  const fragment = doc.getXmlFragment(YJS_FRAGMENT);
  const blink = new Y.XmlElement("blink");
  const inside = new Y.XmlText();
  inside.insert(0, "blinking words", { bogus: {}, link: { href: "javascript:alert(1)" } });
  blink.insert(0, [inside]);
  fragment.insert(1, [blink]);
  const loose = new Y.XmlText();
  loose.insert(0, "loose words");
  loose.insertEmbed(5, { image: "x.png" });
  fragment.insert(fragment.length, [loose]);
  // Typed out by Yjs, but a stock client can put a hook in the fragment.
  fragment.insert(fragment.length, [new Y.XmlHook("hook") as unknown as Y.XmlElement]);
  const section = fragment.get(3) as Y.XmlElement;
  const stray = new Y.XmlElement("paragraph");
  const strayText = new Y.XmlText();
  strayText.insert(0, "stray paragraph");
  stray.insert(0, [strayText]);
  section.insert(1, [stray]);
  section.setAttribute("style", "color: red");
}

describe("reading a Yjs text", () => {
  it("reads a valid text as it is, and maps every element", () => {
    const json = codeOfConductOpeningText("Code");
    const doc = prosemirrorJSONToYDoc(schema, json, YJS_FRAGMENT);
    const node = readDocText(doc);
    expect(node.eq(schema.nodeFromJSON(json))).toBe(true);
    expect(fragmentMapping(doc.getXmlFragment(YJS_FRAGMENT), node)).not.toBeNull();
  });

  it("reads bad content without changing the document, keeping its words", () => {
    const doc = sampleDoc();
    spoil(doc);
    const before = Y.encodeStateAsUpdate(doc);
    const node = readDocText(doc);
    node.check();
    expect(Buffer.from(Y.encodeStateAsUpdate(doc)).equals(Buffer.from(before))).toBe(true);
    for (const words of ["blinking words", "loose words", "stray paragraph"]) expect(node.textContent).toContain(words);
    expect(fragmentMapping(doc.getXmlFragment(YJS_FRAGMENT), node)).toBeNull();
    // Every process reads the same bytes as the same text.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, before);
    expect(readDocText(copy).eq(node)).toBe(true);
  });

  it("reads a hostile deep tree without overflowing the stack", () => {
    const doc = new Y.Doc();
    // Built one level at a time, as a client's updates would build it.
    let parent: Y.XmlFragment = doc.getXmlFragment(YJS_FRAGMENT);
    for (let level = 0; level < 3_000; level += 1) {
      const child = new Y.XmlElement(level % 2 ? "list_item" : "bullet_list");
      parent.insert(0, [child]);
      parent = child;
    }
    const text = new Y.XmlText();
    text.insert(0, "deep");
    parent.insert(0, [text]);
    const node = readDocText(doc);
    node.check();
    expect(node.textContent).toContain("deep");
  });
});

describe("rewriteFragment", () => {
  it("brings a spoiled text into the schema in one transaction, keeping anchors in the untouched parts", () => {
    const doc = sampleDoc();
    const fragment = doc.getXmlFragment(YJS_FRAGMENT);
    // An anchor in the last clause of the last section, which the repair does not touch.
    const lastSection = fragment.get(fragment.length - 1) as Y.XmlElement;
    const lastClause = lastSection.get(lastSection.length - 1) as Y.XmlElement;
    const lastText = (lastClause.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const anchor = Y.createRelativePositionFromTypeIndex(lastText, 3);
    spoil(doc);
    const node = readDocText(doc);
    let transactions = 0;
    doc.on("afterTransaction", () => (transactions += 1));
    rewriteFragment(doc, fragment, node);
    expect(transactions).toBe(1);
    expect(readDocText(doc).eq(node)).toBe(true);
    expect(fragmentMapping(fragment, node)).not.toBeNull();
    expect(Y.createAbsolutePositionFromRelativePosition(anchor, doc)?.type).toBe(lastText);
    // Normalising again changes nothing.
    expect(normalizeDocument(node.toJSON()).eq(node)).toBe(true);
  });
});
