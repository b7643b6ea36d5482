import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section, type DocJson } from "../../schema/content";
import { connectClient, eventually, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createSession } from "../auth/session";

import type { DraftEvent } from "../events/draft-events";
import {
  AmendmentChangedError,
  AmendmentClosedError,
  AmendmentGoneError,
  AmendmentInputError,
  adoptAmendment,
  cosponsorAmendment,
  findAmendment,
  listAmendments,
  rejectAmendment,
  tableAmendment,
  withdrawAmendment,
  withdrawCosponsorship,
  type Amendment,
} from "./amendments";
import { loadTextSnapshot } from "./annotation-anchors";
import { createDraft, type Draft } from "./drafts";
import { paragraphText, rangeOf } from "../../test/text-ranges";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 100 });
});
afterAll(async () => {
  await server.stop();
});

// A clause whose middle words are emphasised: an adopted amendment must leave the marks around it.
const MARKED: DocJson = {
  type: "paragraph",
  content: [
    { type: "text", text: "States shall " },
    { type: "text", text: "assess the risk", marks: [{ type: "em" }] },
    { type: "text", text: " of serious violations of human rights." },
  ],
};
const SECOND = "Licences shall be refused where that risk is clear.";

async function newDraft(): Promise<Draft> {
  const secretariat = await buildUser({ role: "secretariat" });
  return createDraft({
    actor: secretariat,
    title: "Amended draft",
    content: documentJson("Amended draft", ["Preamble text."], [section("Assessment", clause(MARKED), clause(SECOND))]),
  });
}

/** The ProseMirror range of `words` in the draft's current text. */

async function storedJson(draftId: string): Promise<DocJson> {
  const text = await loadTextSnapshot(draftId);
  text.destroy();
  return text.node.toJSON() as DocJson;
}

/** `doc` with the content of the paragraph that starts with `start` replaced by `content`. */
function withParagraph(doc: DocJson, start: string, content: DocJson[]): DocJson {
  const copy = structuredClone(doc);
  let replaced = 0;
  const walk = (node: DocJson) => {
    if (node.type === "paragraph" && node.content?.[0]?.text?.startsWith(start)) {
      node.content = content;
      replaced += 1;
    }
    node.content?.forEach(walk);
  };
  walk(copy);
  if (replaced !== 1) throw new Error(`no single paragraph starts with "${start}"`);
  return copy;
}

async function count(table: "amendments" | "amendment_cosponsors" | "audit_events" | "draft_updates"): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${server.database.sql(table)}`;
  return row?.n ?? 0;
}

/** The XmlText of the paragraph whose text starts with `start`. */

async function british(): Promise<{ delegate: Awaited<ReturnType<typeof buildUser>> }> {
  return { delegate: await buildUser({ delegation: "uk" }) };
}

async function reload(amendment: Amendment): Promise<Amendment> {
  const found = await findAmendment({ draftId: amendment.draftId, number: amendment.number });
  if (!found) throw new Error("gone");
  return found;
}

describe("tabling amendments", () => {
  it("numbers them per draft, quoting the text from the server, tabled by the author's delegation", async () => {
    const draft = await newDraft();
    const { delegate } = await british();
    const first = await tableAmendment(server.live, {
      actor: delegate,
      draftId: draft.id,
      kind: "replace",
      range: await rangeOf(draft.id, "serious"),
      proposed: "gross",
      rationale: "  Stronger wording.  ",
    });
    expect(first).toMatchObject({ number: 1, kind: "replace", quote: "serious", proposed: "gross", rationale: "Stronger wording.", delegationCode: "uk", status: "open" });
    expect(first.range).toEqual(await rangeOf(draft.id, "serious"));
    expect(first.changed).toBe(false);
    const insert = await tableAmendment(server.live, {
      actor: delegate,
      draftId: draft.id,
      kind: "insert",
      range: { from: (await rangeOf(draft.id, "Licences")).from, to: (await rangeOf(draft.id, "Licences")).from },
      proposed: "Export ",
      rationale: "Precision.",
    });
    expect(insert).toMatchObject({ number: 2, quote: "", proposed: "Export " });
    // Another draft counts from 1.
    const other = await newDraft();
    const elsewhere = await tableAmendment(server.live, { actor: delegate, draftId: other.id, kind: "delete", range: await rangeOf(other.id, "clear"), proposed: "", rationale: "Too loose." });
    expect(elsewhere.number).toBe(1);
    const [audit] = await server.database.sql<{ target_id: string; details: { number: number } }[]>`
      SELECT target_id, details FROM audit_events WHERE action = 'amendment.tabled' AND target_id = ${first.id}`;
    expect(audit?.details.number).toBe(1);
  });

  it("gives delegations tabling at the same moment distinct numbers, in sequence", async () => {
    const draft = await newDraft();
    const delegates = await Promise.all(["uk", "fr", "no", "dk", "nl", "ca", "au", "us"].map((code) => buildUser({ delegation: code })));
    const range = await rangeOf(draft.id, "refused");
    const tabled = await Promise.all(
      delegates.map((actor) => tableAmendment(server.live, { actor, draftId: draft.id, kind: "replace", range, proposed: "denied", rationale: "Clearer." })),
    );
    expect(tabled.map((amendment) => amendment.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("refuses ranges across paragraphs, outside the text or empty, and bad proposals, writing nothing", async () => {
    const draft = await newDraft();
    const { delegate } = await british();
    const before = await Promise.all([count("amendments"), count("audit_events")]);
    const across = { from: (await rangeOf(draft.id, "human rights")).from, to: (await rangeOf(draft.id, "Licences")).to };
    const word = await rangeOf(draft.id, "serious");
    const between = (await rangeOf(draft.id, "human rights.")).to + 1;
    const refused: Parameters<typeof tableAmendment>[1][] = [
      { actor: delegate, draftId: draft.id, kind: "replace", range: across, proposed: "x", rationale: "r" },
      { actor: delegate, draftId: draft.id, kind: "delete", range: { from: word.from, to: word.from }, proposed: "", rationale: "r" },
      { actor: delegate, draftId: draft.id, kind: "replace", range: { from: word.from, to: 100_000 }, proposed: "x", rationale: "r" },
      { actor: delegate, draftId: draft.id, kind: "insert", range: word, proposed: "x", rationale: "r" },
      // Between two clauses is no place to insert words.
      { actor: delegate, draftId: draft.id, kind: "insert", range: { from: between, to: between }, proposed: "x", rationale: "r" },
      { actor: delegate, draftId: draft.id, kind: "replace", range: word, proposed: "  ", rationale: "r" },
      { actor: delegate, draftId: draft.id, kind: "replace", range: word, proposed: "two\nlines", rationale: "r" },
      { actor: delegate, draftId: draft.id, kind: "replace", range: word, proposed: "x".repeat(5001), rationale: "r" },
      { actor: delegate, draftId: draft.id, kind: "delete", range: word, proposed: "not for a deletion", rationale: "r" },
      { actor: delegate, draftId: draft.id, kind: "replace", range: word, proposed: "grave", rationale: "   " },
    ];
    for (const input of refused) await expect(tableAmendment(server.live, input)).rejects.toThrow(AmendmentInputError);
    expect(await Promise.all([count("amendments"), count("audit_events")])).toEqual(before);
  });
});

describe("co-sponsoring, withdrawing, rejecting", () => {
  it("co-sponsors and withdraws co-sponsorship, lists by status and delegation, closes once, each audited and announced", async () => {
    const draft = await newDraft();
    const { delegate } = await british();
    const french = await buildUser({ delegation: "fr" });
    const norwegian = await buildUser({ role: "head", delegation: "no" });
    const secretariat = await buildUser({ role: "secretariat" });
    const events: DraftEvent[] = [];
    const unsubscribe = server.live.drafts.subscribe({ deliver: (event) => events.push(event), close: () => undefined });
    try {
      const range = await rangeOf(draft.id, "clear");
      const first = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "replace", range, proposed: "evident", rationale: "Plainer." });
      const second = await tableAmendment(server.live, { actor: french, draftId: draft.id, kind: "delete", range, proposed: "", rationale: "Remove." });

      expect((await cosponsorAmendment(server.live, { actor: french, amendment: first })).cosponsors).toEqual(["fr"]);
      expect((await cosponsorAmendment(server.live, { actor: norwegian, amendment: await reload(first) })).cosponsors).toEqual(["fr", "no"]);
      expect((await withdrawCosponsorship(server.live, { actor: french, amendment: await reload(first) })).cosponsors).toEqual(["no"]);

      const numbers = async (filters: { status?: "open" | "withdrawn" | "adopted" | "rejected"; delegation?: string }) =>
        (await listAmendments({ draftId: draft.id, ...filters })).map((amendment) => amendment.number);
      expect(await numbers({})).toEqual([1, 2]);
      expect(await numbers({ delegation: "no" })).toEqual([1]);
      expect(await numbers({ delegation: "fr" })).toEqual([2]);
      expect(await numbers({ delegation: "dk" })).toEqual([]);

      const withdrawn = await withdrawAmendment(server.live, { actor: delegate, amendment: await reload(first) });
      expect(withdrawn).toMatchObject({ status: "withdrawn", decidedBy: delegate.id });
      expect(withdrawn.decidedAt).toBeInstanceOf(Date);
      const rejected = await rejectAmendment(server.live, { actor: secretariat, amendment: second });
      expect(rejected.status).toBe("rejected");
      expect(await numbers({ status: "open" })).toEqual([]);
      expect(await numbers({ status: "withdrawn" })).toEqual([1]);
      expect(await numbers({ status: "rejected" })).toEqual([2]);

      // Decided once: a second decision, or a co-sponsorship of a closed amendment, is refused.
      const audits = await count("audit_events");
      await expect(rejectAmendment(server.live, { actor: secretariat, amendment: first })).rejects.toThrow(AmendmentClosedError);
      await expect(adoptAmendment(server.live, { actor: secretariat, amendment: second })).rejects.toThrow(AmendmentClosedError);
      await expect(cosponsorAmendment(server.live, { actor: norwegian, amendment: second })).rejects.toThrow(AmendmentClosedError);
      expect(await count("audit_events")).toBe(audits);
      expect((await reload(first)).status).toBe("withdrawn");
      // The rejected deletion left the text alone.
      expect(JSON.stringify(await storedJson(draft.id))).toContain("that risk is clear.");

      const actions = await server.database.sql<{ action: string }[]>`
        SELECT action FROM audit_events WHERE target_id IN ${server.database.sql([first.id, second.id])} ORDER BY id`;
      expect(actions.map((row) => row.action)).toEqual([
        "amendment.tabled",
        "amendment.tabled",
        "amendment.cosponsored",
        "amendment.cosponsored",
        "amendment.cosponsorship-withdrawn",
        "amendment.withdrawn",
        "amendment.rejected",
      ]);
      const announced = events.flatMap((event) => (event.type === "amendment" && event.draftId === draft.id ? [`${event.amendment.number}:${event.change}`] : []));
      expect(announced).toEqual(["1:tabled", "2:tabled", "1:cosponsored", "1:cosponsored", "1:cosponsorship-withdrawn", "1:withdrawn", "2:rejected"]);
    } finally {
      unsubscribe();
    }
  });
});

describe("adopting amendments", () => {
  it("applies exactly the amendment: the text before with the range replaced, marks around it kept", async () => {
    const draft = await newDraft();
    const { delegate } = await british();
    const secretariat = await buildUser({ role: "secretariat" });
    const amendment = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "shall"), proposed: "must", rationale: "Binding." });
    const before = await storedJson(draft.id);
    const adopted = await adoptAmendment(server.live, { actor: secretariat, amendment });
    expect(adopted).toMatchObject({ status: "adopted", decidedBy: secretariat.id });
    expect(await storedJson(draft.id)).toEqual(
      withParagraph(before, "States", [
        { type: "text", text: "States must " },
        { type: "text", text: "assess the risk", marks: [{ type: "em" }] },
        { type: "text", text: " of serious violations of human rights." },
      ]),
    );
    // One edit, attributed to the amendment's author and delegation; the decision audited.
    const updates = await server.database.sql<{ user_id: string; delegation_code: string }[]>`
      SELECT user_id, delegation_code FROM draft_updates WHERE draft_id = ${draft.id}`;
    expect(updates).toEqual([{ user_id: delegate.id, delegation_code: "uk" }]);
    const [audit] = await server.database.sql<{ actor_id: string; details: Record<string, unknown> }[]>`
      SELECT actor_id, details FROM audit_events WHERE action = 'amendment.adopted' AND target_id = ${amendment.id}`;
    expect(audit).toMatchObject({ actor_id: secretariat.id, details: { draftId: draft.id, number: 1, quote: "shall", replaced: "shall", proposed: "must" } });
  });

  it("replaces emphasised words with emphasised words, inserts at a point and deletes, nothing else changed", async () => {
    const draft = await newDraft();
    const { delegate } = await british();
    const secretariat = await buildUser({ role: "secretariat" });
    const marked = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "risk"), proposed: "likelihood", rationale: "r" });
    const point = (await rangeOf(draft.id, "refused")).from;
    const insert = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "insert", range: { from: point, to: point }, proposed: "always ", rationale: "r" });
    const deletion = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "delete", range: await rangeOf(draft.id, " of human rights"), proposed: "", rationale: "r" });
    const before = await storedJson(draft.id);

    await adoptAmendment(server.live, { actor: secretariat, amendment: marked });
    await adoptAmendment(server.live, { actor: secretariat, amendment: insert });
    await adoptAmendment(server.live, { actor: secretariat, amendment: deletion });
    const expected = withParagraph(
      withParagraph(before, "States", [
        { type: "text", text: "States shall " },
        { type: "text", text: "assess the likelihood", marks: [{ type: "em" }] },
        { type: "text", text: " of serious violations." },
      ]),
      "Licences",
      [{ type: "text", text: "Licences shall be always refused where that risk is clear." }],
    );
    expect(await storedJson(draft.id)).toEqual(expected);
  });

  it("applies to the words where they now stand after others' edits before them, and reaches open editors", async () => {
    const draft = await newDraft();
    const { delegate } = await british();
    const secretariat = await buildUser({ role: "secretariat" });
    const amendment = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "serious"), proposed: "grave", rationale: "r" });

    const danish = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession((await buildUser({ delegation: "dk" })).id)).token });
    try {
      await synced(danish);
      paragraphText(danish.doc, "Preamble").insert(0, "A longer ");
      paragraphText(danish.doc, "States").insert(0, "All ");
      await eventually(async () => JSON.stringify(await storedJson(draft.id)).includes("All States"), 5000, "the edits before the words to be stored");
      const before = await storedJson(draft.id);

      await adoptAmendment(server.live, { actor: secretariat, amendment });
      const expected = withParagraph(before, "All States", [
        { type: "text", text: "All States shall " },
        { type: "text", text: "assess the risk", marks: [{ type: "em" }] },
        { type: "text", text: " of grave violations of human rights." },
      ]);
      expect(await storedJson(draft.id)).toEqual(expected);
      await eventually(() => paragraphText(danish.doc, "All States").toString().includes("of grave violations"), 5000, "the adoption to reach the editor");
    } finally {
      danish.destroy();
    }
  });

  it("refuses, writing nothing, when the words changed since tabling, until the secretariat confirms against the side-by-side", async () => {
    const draft = await newDraft();
    const { delegate } = await british();
    const secretariat = await buildUser({ role: "secretariat" });
    const amendment = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "serious violations"), proposed: "gross violations", rationale: "r" });
    await server.accord.collab.texts.editDocument({
      draftId: draft.id,
      author: { userId: delegate.id, delegationCode: "dk" },
      edit: (doc) => {
        const text = paragraphText(doc, "States");
        text.insert(text.toString().replace(/<[^>]+>/g, "").indexOf("violations"), "and systematic ");
      },
    });
    expect((await listAmendments({ draftId: draft.id }))[0]).toMatchObject({ changed: true, current: "serious and systematic violations" });
    const before = await Promise.all([count("draft_updates"), count("audit_events")]);
    const refusal = await adoptAmendment(server.live, { actor: secretariat, amendment }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AmendmentChangedError);
    expect((refusal as AmendmentChangedError).sideBySide).toEqual({
      quote: "serious violations",
      current: "serious and systematic violations",
      proposed: "gross violations",
    });
    expect(await Promise.all([count("draft_updates"), count("audit_events")])).toEqual(before);
    expect((await reload(amendment)).status).toBe("open");

    await adoptAmendment(server.live, { actor: secretariat, amendment, confirmChanged: true });
    expect(JSON.stringify(await storedJson(draft.id))).toContain(" of gross violations of human rights.");
    expect((await reload(amendment)).status).toBe("adopted");
  });

  it("refuses with a clear reason when the words were deleted, leaving the amendment open", async () => {
    const draft = await newDraft();
    const { delegate } = await british();
    const secretariat = await buildUser({ role: "secretariat" });
    const amendment = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "refused"), proposed: "denied", rationale: "r" });
    await server.accord.collab.texts.editDocument({
      draftId: draft.id,
      author: { userId: delegate.id, delegationCode: "dk" },
      edit: (doc) => {
        const text = paragraphText(doc, "Licences");
        text.delete(text.toString().indexOf("refused"), "refused".length);
      },
    });
    expect((await listAmendments({ draftId: draft.id }))[0]).toMatchObject({ range: null, current: null });
    const audits = await count("audit_events");
    await expect(adoptAmendment(server.live, { actor: secretariat, amendment, confirmChanged: true })).rejects.toThrow(AmendmentGoneError);
    expect(await count("audit_events")).toBe(audits);
    expect((await reload(amendment)).status).toBe("open");
  });

  it("inserts at the end of a paragraph, and refuses an insertion whose clause was deleted", async () => {
    const draft = await newDraft();
    const { delegate } = await british();
    const secretariat = await buildUser({ role: "secretariat" });
    const end = (await rangeOf(draft.id, "risk is clear.")).to;
    const atEnd = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "insert", range: { from: end, to: end }, proposed: " No exceptions.", rationale: "r" });
    const inPreamble = (await rangeOf(draft.id, "Preamble text.")).to;
    const kept = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "insert", range: { from: inPreamble, to: inPreamble }, proposed: " Indeed.", rationale: "r" });
    await adoptAmendment(server.live, { actor: secretariat, amendment: atEnd });
    expect(JSON.stringify(await storedJson(draft.id))).toContain("Licences shall be refused where that risk is clear. No exceptions.");

    const doomed = await tableAmendment(server.live, { actor: delegate, draftId: draft.id, kind: "insert", range: { from: (await rangeOf(draft.id, "refused")).from, to: (await rangeOf(draft.id, "refused")).from }, proposed: "always ", rationale: "r" });
    await server.accord.collab.texts.editDocument({
      draftId: draft.id,
      author: { userId: delegate.id, delegationCode: "uk" },
      edit: (doc) => {
        const paragraph = paragraphText(doc, "Licences").parent as Y.XmlElement;
        const clauseElement = paragraph.parent as Y.XmlElement;
        const sectionElement = clauseElement.parent as Y.XmlElement;
        sectionElement.delete(sectionElement.toArray().indexOf(clauseElement), 1);
      },
    });
    const listed = await listAmendments({ draftId: draft.id, status: "open" });
    expect(listed.map((amendment) => [amendment.number, amendment.range === null])).toEqual([
      [kept.number, false],
      [doomed.number, true],
    ]);
    await expect(adoptAmendment(server.live, { actor: secretariat, amendment: doomed })).rejects.toThrow(AmendmentGoneError);
    await adoptAmendment(server.live, { actor: secretariat, amendment: kept });
    expect(JSON.stringify(await storedJson(draft.id))).toContain("Preamble text. Indeed.");
  });
});
