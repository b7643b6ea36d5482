import fc from "fast-check";
import type { Node as PMNode } from "prosemirror-model";
import { describe, expect, it } from "vitest";
import { codeOfConductOpeningText } from "../server/demo/code-of-conduct";
import { normalizeDocument } from "./normalize";
import { schema } from "./prosemirror";

const text = (value: string, marks?: unknown[]) => ({ type: "text", text: value, ...(marks ? { marks } : {}) });
const para = (...content: unknown[]) => ({ type: "paragraph", content });
const heading = (value = "Scope") => ({ type: "section_heading", content: value ? [text(value)] : [] });
const clause = (id: string, ...content: unknown[]) => ({ type: "clause", attrs: { id }, content });
const title = (value = "Code") => ({ type: "title", content: [text(value)] });
const preamble = (...content: unknown[]) => ({ type: "preamble", content: content.length ? content : [para(text("Preamble"))] });
const section = (...content: unknown[]) => ({ type: "section", content: [heading(), ...content] });
const doc = (...content: unknown[]) => ({ type: "doc", content });
/** A valid document around `sections`. */
const wrapped = (...sections: unknown[]) => doc(title(), preamble(), ...sections);

// The text of every block, in order, as a reader sees it.
function blocks(node: PMNode): string[] {
  const out: string[] = [];
  node.descendants((child) => {
    if (child.isTextblock) out.push(`${child.type.name}:${child.textContent}`);
    return !child.isTextblock;
  });
  return out;
}

function marksOf(node: PMNode, word: string): string[] {
  let found: string[] = [];
  node.descendants((child) => {
    if (child.isText && child.text?.includes(word)) found = child.marks.map((mark) => mark.type.name);
  });
  return found;
}

function normalized(json: unknown): PMNode {
  const node = normalizeDocument(json);
  node.check();
  // Idempotent: what comes out is already normal.
  expect(normalizeDocument(node.toJSON()).eq(node)).toBe(true);
  return node;
}

describe("normalizeDocument on content outside the schema", () => {
  it("gives the content of an unknown element to where it fits", () => {
    const node = normalized(wrapped(section(clause("c1", para(text("Kept"))), { type: "blink", content: [para(text("Blinking words"))] })));
    expect(blocks(node)).toContain("paragraph:Blinking words");
    expect(blocks(node)).toContain("paragraph:Kept");
  });

  it("keeps the text of an unknown inline element", () => {
    const node = normalized(wrapped(section(clause("c1", para(text("Before "), { type: "widget", text: "inside" }, text(" after"))))));
    expect(blocks(node)).toContain("paragraph:Before inside after");
  });

  it("drops unknown marks and keeps the known ones", () => {
    const node = normalized(wrapped(section(clause("c1", para(text("word", [{ type: "blink" }, { type: "strong" }, { type: "__proto__" }]))))));
    expect(marksOf(node, "word")).toEqual(["strong"]);
  });

  it("drops marks the parent does not allow: none in a title, only em in a heading", () => {
    const node = normalized(
      doc({ type: "title", content: [text("Titled", [{ type: "em" }])] }, preamble(), {
        type: "section",
        content: [{ type: "section_heading", content: [text("Head", [{ type: "em" }, { type: "strong" }])] }],
      }),
    );
    expect(marksOf(node, "Titled")).toEqual([]);
    expect(marksOf(node, "Head")).toEqual(["em"]);
  });

  it("places text put directly under the document in a paragraph", () => {
    const node = normalized(doc(title(), preamble(), section(clause("c1", para(text("Clause")))), text("Stray words")));
    expect(blocks(node)).toContain("paragraph:Stray words");
    expect(node.child(node.childCount - 1).type.name).toBe("section");
  });

  it("groups consecutive stray paragraphs into one new clause, with an id derived from its text", () => {
    const input = wrapped({ type: "section", content: [heading(), para(text("One")), para(text("Two")), clause("c1", para(text("Three")))] });
    const node = normalized(input);
    const sectionNode = node.child(2);
    expect(sectionNode.childCount).toBe(3);
    expect(blocks(sectionNode.child(1))).toEqual(["paragraph:One", "paragraph:Two"]);
    const id = sectionNode.child(1).attrs.id;
    expect(id).toMatch(/^c[0-9a-f]{12}$/);
    // Deterministic: another process normalising the same input makes the same clause.
    expect(normalizeDocument(structuredClone(input)).child(2).child(1).attrs.id).toBe(id);
  });

  it("drops a link without a target or with an unsafe one, and keeps a safe one", () => {
    const node = normalized(
      wrapped(
        section(
          clause(
            "c1",
            para(
              text("none ", [{ type: "link" }]),
              text("script ", [{ type: "link", attrs: { href: "javascript:alert(1)" } }]),
              text("number ", [{ type: "link", attrs: { href: 42 } }]),
              text("safe", [{ type: "link", attrs: { href: "https://example.org", title: 7 } }]),
            ),
          ),
        ),
      ),
    );
    expect(marksOf(node, "none")).toEqual([]);
    expect(marksOf(node, "script")).toEqual([]);
    expect(marksOf(node, "number")).toEqual([]);
    let link: Record<string, unknown> | undefined;
    node.descendants((child) => {
      if (child.text === "safe") link = child.marks[0]?.attrs;
    });
    expect(link).toEqual({ href: "https://example.org", title: null });
  });

  it("wraps a paragraph where a clause belongs, and unwraps a clause where a paragraph belongs", () => {
    const node = normalized(doc(title(), preamble(clause("c9", para(text("In the preamble")))), section(para(text("In the section")))));
    expect(node.child(1).child(0).type.name).toBe("paragraph");
    expect(blocks(node.child(1))).toEqual(["paragraph:In the preamble"]);
    expect(node.child(2).child(1).type.name).toBe("clause");
    expect(blocks(node.child(2).child(1))).toEqual(["paragraph:In the section"]);
  });

  it("keeps the words of a second title in the preamble", () => {
    const node = normalized(doc(title("First"), title("Second"), preamble(para(text("Preamble"))), section()));
    expect(node.child(0).textContent).toBe("First");
    expect(blocks(node.child(1))).toEqual(["paragraph:Second", "paragraph:Preamble"]);
  });

  it("fills a section without heading and an empty preamble, and puts a late title first", () => {
    const node = normalized(doc({ type: "preamble", content: [] }, { type: "section", content: [clause("c1", para(text("Body")))] }, title("Late")));
    expect(node.child(0).textContent).toBe("Late");
    expect(node.child(1).childCount).toBe(1);
    expect(node.child(2).child(0).type.name).toBe("section_heading");
    expect(blocks(node.child(2))).toEqual(["section_heading:", "paragraph:Body"]);
  });

  it("coerces attributes: unknown ones dropped, wrong types replaced by the default", () => {
    const node = normalized(
      wrapped(section({ type: "clause", attrs: { id: 5, style: "x" }, content: [para(text("a"), { type: "footnote", attrs: { note: { x: 1 }, extra: true } })] })),
    );
    const clauseNode = node.child(2).child(1);
    expect(clauseNode.attrs).toEqual({ id: null });
    expect(clauseNode.child(0).child(1).attrs).toEqual({ note: "" });
  });

  it("drops embeds and non-string inserts in a text, and empty text", () => {
    const node = normalized(wrapped(section(clause("c1", para({ type: "text", text: { image: "x.png" } }, { type: "text", text: 12 }, text(""), text("words"))))));
    expect(blocks(node)).toContain("paragraph:words");
  });

  it("reads wrong types everywhere and values that are no document at all", () => {
    for (const input of [null, undefined, 42, "text", [], {}, { type: 7 }, { type: "doc", content: "x", marks: "y", attrs: [] }, { type: "doc", content: [1, null, [], true] }]) {
      const node = normalized(input);
      expect(node.type).toBe(schema.topNodeType);
    }
    expect(blocks(normalized("bare words"))).toContain("paragraph:bare words");
    expect(blocks(normalized(para(text("A paragraph alone"))))).toContain("paragraph:A paragraph alone");
  });

  it("flattens a hostile deep tree into its text without overflowing the stack", () => {
    let deep: unknown = text("at the bottom");
    for (let level = 0; level < 100_000; level += 1) deep = { type: "bullet_list", content: [{ type: "list_item", content: [deep] }] };
    const node = normalized(wrapped(section(clause("c1", deep))));
    expect(node.textContent).toContain("at the bottom");
  });

  it("handles huge arrays in linear time", () => {
    const many = Array.from({ length: 50_000 }, (_, index) => text(`w${index} `));
    const started = performance.now();
    const node = normalized(doc(title(), preamble(), section(), ...many));
    expect(node.textContent).toContain("w49999");
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("normalizeDocument on valid documents", () => {
  it("returns the sample text unchanged", () => {
    const valid = schema.nodeFromJSON(codeOfConductOpeningText("Code of Conduct"));
    valid.check();
    expect(normalizeDocument(valid.toJSON()).eq(valid)).toBe(true);
  });
});

// Generated trees mixing the schema's types with unknown ones, and wrong types anywhere.
const names = fc.constantFrom(...Object.keys(schema.nodes), "blink", "image", "table", "__proto__", "constructor");
const markNames = fc.constantFrom(...Object.keys(schema.marks), "bold", "comment", "toString");
const attrValue = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom("https://example.org", "javascript:x", "#a"));
const attrs = fc.dictionary(fc.constantFrom("id", "note", "href", "title", "style"), attrValue, { maxKeys: 3 });
const marks = fc.array(fc.oneof(fc.record({ type: markNames, attrs: fc.oneof(attrs, attrValue) }), attrValue), { maxLength: 3 });
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ type: fc.constant("text"), text: fc.oneof(fc.string({ maxLength: 6 }), attrValue), marks }, { requiredKeys: ["type", "text"] }),
    fc.record({ type: fc.oneof(names, attrValue), attrs: fc.oneof(attrs, attrValue), marks, content: fc.oneof(fc.array(tie("tree"), { maxLength: 5 }), attrValue), text: fc.string({ maxLength: 4 }) }, { requiredKeys: ["type"] }),
    attrValue,
  ),
}));
const documents = fc.record({ type: fc.constant("doc"), content: fc.array(tree, { maxLength: 6 }) });

// Generated valid documents: built from the schema's own structure.
const inline = fc.oneof(
  fc.record({ type: fc.constant("text"), text: fc.string({ minLength: 1, maxLength: 6 }), marks: fc.subarray([{ type: "em" }, { type: "strong" }, { type: "link", attrs: { href: "https://example.org/a", title: null } }]) }),
  fc.constant({ type: "hard_break" }),
  fc.record({ type: fc.constant("footnote"), attrs: fc.record({ note: fc.string({ maxLength: 6 }) }) }),
);
const paragraphJson = fc.array(inline, { maxLength: 4 }).map((content) => ({ type: "paragraph", content }));
// Lists nest up to four deep: far within MAX_DEPTH, below which a valid document is kept as it is.
function listOf(depth: number): fc.Arbitrary<unknown> {
  const nested = depth > 1 ? fc.array(listOf(depth - 1), { maxLength: 1 }) : fc.constant([]);
  return fc.record({
    type: fc.constantFrom("bullet_list", "ordered_list"),
    content: fc.array(
      fc.tuple(paragraphJson, nested).map(([first, rest]) => ({ type: "list_item", content: [first, ...rest] })),
      { minLength: 1, maxLength: 3 },
    ),
  });
}
const list = listOf(4);
const validDocuments = fc
  .record({
    title: fc.string({ maxLength: 8 }),
    preamble: fc.array(paragraphJson, { minLength: 1, maxLength: 3 }),
    sections: fc.array(
      fc.record({
        heading: fc.array(fc.record({ type: fc.constant("text"), text: fc.string({ minLength: 1, maxLength: 6 }), marks: fc.subarray([{ type: "em" }]) }), { maxLength: 2 }),
        clauses: fc.array(fc.record({ id: fc.option(fc.string({ minLength: 1, maxLength: 6 })), blocks: fc.array(fc.oneof(paragraphJson, list), { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map((shape) =>
    schema.nodeFromJSON({
      type: "doc",
      content: [
        { type: "title", content: shape.title ? [{ type: "text", text: shape.title }] : [] },
        { type: "preamble", content: shape.preamble },
        ...shape.sections.map((item) => ({
          type: "section",
          content: [{ type: "section_heading", content: item.heading }, ...item.clauses.map((entry) => ({ type: "clause", attrs: { id: entry.id }, content: entry.blocks }))],
        })),
      ],
    }),
  );

describe("normalizeDocument properties", () => {
  it("never throws, always passes check(), is deterministic and idempotent on any tree", () => {
    fc.assert(
      fc.property(fc.oneof(documents, tree), (input) => {
        const node = normalizeDocument(input);
        node.check();
        expect(normalizeDocument(structuredClone(input)).eq(node)).toBe(true);
        expect(normalizeDocument(node.toJSON()).eq(node)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("returns every valid document unchanged", () => {
    fc.assert(
      fc.property(validDocuments, (valid) => {
        valid.check();
        expect(normalizeDocument(valid.toJSON()).eq(valid)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
