import fc from "fast-check";
import * as encoding from "lib0/encoding";
import { yDocToProsemirrorJSON } from "y-prosemirror";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { clause, documentJson, paragraph, section } from "../../schema/content";
import { schema, YJS_FRAGMENT } from "../../schema/prosemirror";
import { yjsStateFromJson } from "../text-store/initial-state";
import { yjsOperation } from "../../test/yjs-operations";
import { applyCheckedUpdate, type LateRefusal } from "./checked-apply";
import { SERVER_EDIT_KEYS } from "./server-edits";
import { checkUpdate, MAX_NESTING } from "./update-check";

// A draft as the server holds it: a title, a preamble, a section with a clause and a list.
function serverDoc(): Y.Doc {
  const json = documentJson("Code of conduct", ["Recognising the partners' commitments."], [
    section(
      "Scope",
      clause("States assess each licence."),
      clause({ type: "bullet_list", content: [{ type: "list_item", content: [paragraph("first")] }] }),
    ),
  ]);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, yjsStateFromJson(json));
  return doc;
}

// A client's copy of the server's document.
function replicaOf(server: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  return doc;
}

// The update one transaction on a replica makes.
function updateOf(replica: Y.Doc, edit: (fragment: Y.XmlFragment, doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(replica);
  replica.transact(() => edit(replica.getXmlFragment(YJS_FRAGMENT), replica));
  return Y.encodeStateAsUpdate(replica, before);
}

function element(parent: Y.XmlFragment | Y.XmlElement, ...path: number[]): Y.XmlElement {
  let node: Y.XmlFragment | Y.XmlElement = parent;
  for (const index of path) {
    const child = node.get(index);
    if (!(child instanceof Y.XmlElement)) throw new Error(`no element at ${path.join("/")}`);
    node = child;
  }
  if (!(node instanceof Y.XmlElement)) throw new Error("the path names the fragment");
  return node;
}

// The first text run of the preamble's paragraph.
function preambleText(fragment: Y.XmlFragment): Y.XmlText {
  const text = element(fragment, 1, 0).get(0);
  if (!(text instanceof Y.XmlText)) throw new Error("no text in the preamble");
  return text;
}

/** Tries `edit` from a replica against a fresh server document. */
function attempt(edit: (fragment: Y.XmlFragment, doc: Y.Doc) => void): { refusal: LateRefusal | null; server: Y.Doc; before: Uint8Array } {
  const server = serverDoc();
  const before = Y.encodeStateAsUpdate(server);
  const refusal = applyCheckedUpdate(server, updateOf(replicaOf(server), edit), "client");
  return { refusal, server, before };
}

// The server's text as ProseMirror reads it, checked against the schema (throws when invalid).
function checkedText(doc: Y.Doc) {
  const node = schema.nodeFromJSON(yDocToProsemirrorJSON(doc, YJS_FRAGMENT));
  node.check();
  return node;
}

describe("the update check", () => {
  it.each<[string, (fragment: Y.XmlFragment, doc: Y.Doc) => void]>([
    ["typing", (fragment) => preambleText(fragment).insert(0, "Noting ")],
    ["emphasis and strong text", (fragment) => preambleText(fragment).format(0, 11, { em: {}, strong: {} })],
    ["a web link", (fragment) => preambleText(fragment).format(0, 11, { link: { href: "https://example.org", title: null } })],
    ["an in-document link", (fragment) => preambleText(fragment).format(0, 4, { link: { href: "#c1" } })],
    [
      "a new clause",
      (fragment) => {
        const added = new Y.XmlElement("clause");
        added.setAttribute("id", "c0123456789ab");
        const text = new Y.XmlElement("paragraph");
        text.insert(0, [new Y.XmlText("New clause.")]);
        added.insert(0, [text]);
        element(fragment, 2).insert(3, [added]);
      },
    ],
    [
      "a footnote and a line break",
      (fragment) => {
        const note = new Y.XmlElement("footnote");
        note.setAttribute("note", "See the Wassenaar Arrangement.");
        element(fragment, 1, 0).insert(1, [note, new Y.XmlElement("hard_break")]);
      },
    ],
    ["a deleted clause", (fragment) => element(fragment, 2).delete(2, 1)],
    ["emphasis in a section heading", (fragment) => (element(fragment, 2, 0).get(0) as Y.XmlText).format(0, 5, { em: {} })],
    ["a bracket with two options", (fragment) => {
      preambleText(fragment).format(0, 2, { bracket: { id: "b0123456789ab", option: 0, supporters: "fr,ca" } });
      preambleText(fragment).format(2, 2, { bracket: { id: "b0123456789ab", option: 1, supporters: "uk" } });
    }],
  ])("lets %s through", (_name, edit) => {
    const { refusal, server } = attempt(edit);
    expect(refusal).toBeNull();
    expect(() => checkedText(server)).not.toThrow();
  });

  it.each<[string, LateRefusal["code"], (fragment: Y.XmlFragment, doc: Y.Doc) => void]>([
    ["an element the schema does not define", "unknown-element", (fragment) => element(fragment, 2).insert(1, [new Y.XmlElement("script")])],
    ["a mark the schema does not define", "unknown-mark", (fragment) => preambleText(fragment).format(0, 4, { blink: {} })],
    ["a mark its place does not allow", "bad-mark", (fragment) => (element(fragment, 0).get(0) as Y.XmlText).format(0, 4, { strong: {} })],
    ["a self-excluding mark under a hashed name", "bad-mark", (fragment) => preambleText(fragment).format(0, 4, { "link--AAAAAAAA": { href: "https://a.example" } })],
    ["text directly under the document", "misplaced-text", (fragment) => fragment.insert(1, [new Y.XmlText("loose text")])],
    ["a link without an href", "unsafe-link", (fragment) => preambleText(fragment).format(0, 4, { link: { title: "no target" } })],
    ["a javascript: link", "unsafe-link", (fragment) => preambleText(fragment).format(0, 4, { link: { href: "javascript:alert(1)" } })],
    ["a bracket without an id of the right form", "bad-mark", (fragment) => preambleText(fragment).format(0, 4, { bracket: { id: "<b>", option: 0, supporters: "" } })],
    ["a bracket option that is not a small number", "bad-mark", (fragment) => preambleText(fragment).format(0, 4, { bracket: { id: "b0123456789ab", option: 1e9, supporters: "" } })],
    ["a bracket whose supporters are not delegation codes", "bad-mark", (fragment) => preambleText(fragment).format(0, 4, { bracket: { id: "b0123456789ab", option: 0, supporters: "<script>" } })],
    ["a bracket in a section heading", "bad-mark", (fragment) => (element(fragment, 2, 0).get(0) as Y.XmlText).format(0, 5, { bracket: { id: "b0123456789ab", option: 0, supporters: "" } })],
    ["a link with a stray attribute", "bad-mark", (fragment) => preambleText(fragment).format(0, 4, { link: { href: "https://a.example", onclick: "x" } })],
    ["a paragraph where a clause belongs", "misplaced-element", (fragment) => element(fragment, 2).insert(1, [new Y.XmlElement("paragraph")])],
    ["a footnote in the title", "misplaced-element", (fragment) => element(fragment, 0).insert(0, [new Y.XmlElement("footnote")])],
    ["a Y.Text beside the document", "root-type", (_fragment, doc) => doc.getText("body").insert(0, "hidden")],
    ["a Y.Map beside the document", "root-type", (_fragment, doc) => doc.getMap("junk").set("a", "b")],
    ["an attribute the schema does not define", "unknown-attribute", (fragment) => element(fragment, 2, 1).setAttribute("onclick", "x")],
    ["a clause id of the wrong form", "bad-attribute", (fragment) => element(fragment, 2, 1).setAttribute("id", "<img src=x>")],
    ["a footnote whose note is not text", "bad-attribute", (fragment) => element(fragment, 1, 0).insert(0, [footnoteWith(42)])],
    ["an embed inside a text", "content-kind", (fragment) => preambleText(fragment).insertEmbed(0, { image: "x" })],
    ["a map inside an element", "content-kind", (fragment) => element(fragment, 2).insert(0, [new Y.Map() as unknown as Y.XmlElement])],
  ])("refuses %s before applying it", (_name, code, edit) => {
    const { refusal, server, before } = attempt(edit);
    expect(refusal).toMatchObject({ code, reload: false });
    expect(Y.encodeStateAsUpdate(server)).toEqual(before);
  });

  it("refuses a deletion of what the server keeps beside the text (the keys of its edits), and lets deletions of text through", () => {
    const server = serverDoc();
    server.getMap(SERVER_EDIT_KEYS).set("amendment-adopted:1", 1);
    const replica = replicaOf(server);
    const before = Y.encodeStateAsUpdate(server);
    const erase = updateOf(replica, (_fragment, doc) => doc.getMap(SERVER_EDIT_KEYS).delete("amendment-adopted:1"));
    expect(applyCheckedUpdate(server, erase, "client")).toMatchObject({ code: "root-type", reload: false });
    expect(Y.encodeStateAsUpdate(server)).toEqual(before);
    expect(server.getMap(SERVER_EDIT_KEYS).has("amendment-adopted:1")).toBe(true);
    // The same deletion written by hand, beside a deletion of text, as a crafted client would send.
    const other = replicaOf(server);
    const typed = updateOf(other, (fragment) => preambleText(fragment).delete(0, 4));
    expect(applyCheckedUpdate(server, Y.mergeUpdates([typed, erase]), "client")).toMatchObject({ code: "root-type" });
    expect(applyCheckedUpdate(server, typed, "client")).toBeNull();
  });

  it.each<[string, (fragment: Y.XmlFragment) => void]>([
    ["a second title", (fragment) => fragment.insert(1, [new Y.XmlElement("title")])],
    ["a clause before its section's heading", (fragment) => element(fragment, 2).insert(0, [clauseElement()])],
    ["a deleted title", (fragment) => fragment.delete(0, 1)],
    ["a clause emptied of its paragraphs", (fragment) => element(fragment, 2, 1).delete(0, 1)],
    ["an empty section", (fragment) => fragment.insert(3, [new Y.XmlElement("section")])],
  ])("refuses %s once applied, asking for the document to be reloaded", (_name, edit) => {
    const { refusal } = attempt(edit);
    expect(refusal?.reload).toBe(true);
    expect(["misplaced-element", "incomplete-element"]).toContain(refusal?.code);
  });

  it("refuses lists nested deeper than readers may recurse", () => {
    const { refusal } = attempt((fragment) => {
      let list = element(fragment, 2, 2, 0);
      for (let depth = 0; depth < MAX_NESTING; depth += 1) {
        const item = new Y.XmlElement("list_item");
        const inner = new Y.XmlElement("bullet_list");
        item.insert(0, [paragraphElement("deeper"), inner]);
        list.insert(list.length, [item]);
        list = inner;
      }
    });
    expect(refusal?.code).toBe("too-deep");
  });

  it("refuses an update whose earlier updates it builds on are missing, keeping nothing pending", () => {
    const server = serverDoc();
    const replica = replicaOf(server);
    updateOf(replica, (fragment) => preambleText(fragment).insert(0, "withheld "));
    const second = updateOf(replica, (fragment) => preambleText(fragment).insert(0, "sent "));
    expect(checkUpdate(server, second)?.code).toBe("missing-dependency");
    expect(applyCheckedUpdate(server, second, "client")?.code).toBe("missing-dependency");
    expect(server.store.pendingStructs).toBeNull();
    expect(server.store.pendingDs).toBeNull();
  });

  it("refuses a deletion of what the document does not hold", () => {
    const server = serverDoc();
    expect(checkUpdate(server, craft({ deletions: [[987654, 0, 5]] }))?.code).toBe("missing-dependency");
  });

  it("refuses items whose origins form a cycle, and a parent that is not a shared type", () => {
    const server = serverDoc();
    const cycle = craft({
      client: 55,
      items: [
        new Y.Item(Y.createID(55, 0), null, Y.createID(55, 1), null, null, null, null, new Y.ContentString("a")),
        new Y.Item(Y.createID(55, 1), null, Y.createID(55, 0), null, null, null, null, new Y.ContentString("b")),
      ],
    });
    expect(checkUpdate(server, cycle)?.code).toBe("malformed");
    const textItem = firstStringItem(server);
    const underString = craft({
      client: 56,
      items: [new Y.Item(Y.createID(56, 0), null, null, null, null, textItem.id, null, new Y.ContentString("x"))],
    });
    expect(checkUpdate(server, underString)?.code).toBe("malformed");
  });

  it("throws on bytes that are not an update, before touching the document", () => {
    const server = serverDoc();
    const before = Y.encodeStateAsUpdate(server);
    expect(() => applyCheckedUpdate(server, new Uint8Array([1, 2, 3, 250, 250, 250]), "client")).toThrow();
    expect(Y.encodeStateAsUpdate(server)).toEqual(before);
  });

  it("keeps the stored text valid whatever two clients write, concurrently or not", () => {
    const initial = Y.encodeStateAsUpdate(serverDoc());
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1), yjsOperation()), { minLength: 1, maxLength: 25 }), fc.nat(3), (steps, syncEvery) => {
        // The server keeps what it accepted (as it would store it) and reloads from that.
        const stored: Uint8Array[] = [initial];
        const load = () => {
          const doc = new Y.Doc();
          for (const update of stored) Y.applyUpdate(doc, update);
          return doc;
        };
        let server = load();
        const replicas = [replicaOf(server), replicaOf(server)];
        for (const [index, [who, op]] of steps.entries()) {
          const replica = replicas[who] as Y.Doc;
          let update: Uint8Array;
          try {
            update = updateOf(replica, op);
          } catch {
            continue; // the operation did not fit this replica's text (an index out of range)
          }
          const captured: Uint8Array[] = [];
          const capture = (change: Uint8Array) => captured.push(change);
          server.on("update", capture);
          const refusal = applyCheckedUpdate(server, update, "client");
          server.off("update", capture);
          if (refusal?.reload) server = load();
          else stored.push(...captured);
          // A refused client reloads its page: it starts again from the server's text.
          if (refusal) replicas[who] = replicaOf(server);
          expect(() => checkedText(server)).not.toThrow();
          expect(() => checkedText(load())).not.toThrow();
          if (index % (syncEvery + 1) === 0) for (const other of replicas) Y.applyUpdate(other, Y.encodeStateAsUpdate(server));
        }
      }),
      { numRuns: 300 },
    );
  });
});

function footnoteWith(note: unknown): Y.XmlElement {
  const footnote = new Y.XmlElement("footnote");
  footnote.setAttribute("note", note as string);
  return footnote;
}

function paragraphElement(text: string): Y.XmlElement {
  const node = new Y.XmlElement("paragraph");
  node.insert(0, [new Y.XmlText(text)]);
  return node;
}

function clauseElement(): Y.XmlElement {
  const node = new Y.XmlElement("clause");
  node.insert(0, [paragraphElement("A clause.")]);
  return node;
}

function firstStringItem(doc: Y.Doc): Y.Item {
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) return struct;
  }
  throw new Error("no text in the document");
}

// An update written by hand, for what no Yjs client would produce: V1 encoding, one client's
// items, then the delete set.
function craft(input: { client?: number; items?: Y.Item[]; deletions?: [number, number, number][] }): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const items = input.items ?? [];
  encoding.writeVarUint(encoder.restEncoder, items.length ? 1 : 0);
  const first = items[0];
  if (first) {
    encoding.writeVarUint(encoder.restEncoder, items.length);
    encoder.writeClient(input.client ?? first.id.client);
    encoding.writeVarUint(encoder.restEncoder, first.id.clock);
    for (const item of items) item.write(encoder, 0);
  }
  const deletions = input.deletions ?? [];
  encoding.writeVarUint(encoder.restEncoder, deletions.length);
  for (const [client, clock, length] of deletions) {
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoder.writeDsClock(clock);
    encoder.writeDsLen(length);
  }
  return encoder.toUint8Array();
}
