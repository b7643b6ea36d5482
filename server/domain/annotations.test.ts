import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { connectClient, eventually, synced } from "../../test/collab-client";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { createSession } from "../auth/session";

import { loadTextSnapshot } from "./annotation-anchors";
import {
  AnnotationInputError,
  createThread,
  deleteComment,
  editComment,
  findThreadForViewer,
  listThreads,
  replyToThread,
  setThreadStatus,
} from "./annotations";
import { createDraft, type Draft } from "./drafts";
import { listNotifications, markNotificationsRead, mentionedDelegations } from "./notifications";
import { inLanguage } from "../language";
import { paragraphText, rangeOf } from "../../test/text-ranges";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 100 });
});
afterAll(async () => {
  await server.stop();
});

const FIRST = "States shall assess the risk of serious violations of human rights.";
const SECOND = "Licences shall be refused where that risk is clear.";

async function newDraft(): Promise<Draft> {
  const secretariat = await buildUser({ role: "secretariat" });
  return createDraft({
    actor: secretariat,
    title: "Annotated draft",
    content: documentJson("Annotated draft", ["Preamble text."], [section("Assessment", clause(FIRST), clause(SECOND))]),
  });
}

/** The ProseMirror range of `words` in the draft's current text. */

async function textAt(draftId: string, range: { from: number; to: number } | null): Promise<string | null> {
  if (!range) return null;
  const text = await loadTextSnapshot(draftId);
  try {
    return text.node.textBetween(range.from, range.to, "\n", " ");
  } finally {
    text.destroy();
  }
}

async function storedText(draftId: string): Promise<string> {
  const text = await loadTextSnapshot(draftId);
  text.destroy();
  return text.node.textContent;
}

async function count(table: "annotation_threads" | "annotation_comments" | "notifications" | "audit_events"): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${server.database.sql(table)}`;
  return row?.n ?? 0;
}


describe("annotation threads", () => {
  it("anchors a thread to the selected words, quoting them from the server's text", async () => {
    const draft = await newDraft();
    const delegate = await buildUser({ delegation: "fr" });
    const range = await rangeOf(draft.id, "serious violations");
    const thread = await createThread(server.live, { actor: delegate, draftId: draft.id, range, body: "  Too narrow?  ", visibility: "all" });
    expect(thread.quote).toBe("serious violations");
    expect(thread.comments.map((comment) => comment.body)).toEqual(["Too narrow?"]);
    expect(thread.delegationCode).toBe("fr");
    const [listed] = await listThreads(server.live, { viewer: delegate, draftId: draft.id });
    expect(listed?.range).toEqual(range);
    expect(await textAt(draft.id, listed?.range ?? null)).toBe("serious violations");
    const [audit] = await server.database.sql<{ action: string; target_id: string }[]>`
      SELECT action, target_id FROM audit_events WHERE action = 'annotation.thread-created'`;
    expect(audit?.target_id).toBe(thread.id);
  });

  it("quotes a range across clauses and refuses ranges outside the text, empty or without text, writing nothing", async () => {
    const draft = await newDraft();
    const delegate = await buildUser({ delegation: "fr" });
    const from = (await rangeOf(draft.id, "human rights.")).from;
    const to = (await rangeOf(draft.id, "Licences")).to;
    const across = await createThread(server.live, { actor: delegate, draftId: draft.id, range: { from, to }, body: "Both.", visibility: "all" });
    expect(across.quote).toBe("human rights.\nLicences");

    const before = await Promise.all([count("annotation_threads"), count("annotation_comments"), count("audit_events")]);
    const text = await loadTextSnapshot(draft.id);
    const size = text.node.content.size;
    text.destroy();
    for (const range of [{ from: 5, to: 5 }, { from: 10, to: 4 }, { from: -1, to: 4 }, { from: 5, to: size + 1 }, { from: 1.5, to: 4 }]) {
      await expect(createThread(server.live, { actor: delegate, draftId: draft.id, range, body: "x", visibility: "all" })).rejects.toThrow(AnnotationInputError);
    }
    const words = await rangeOf(draft.id, "serious");
    for (const body of ["", "   ", "x".repeat(5001)]) {
      await expect(createThread(server.live, { actor: delegate, draftId: draft.id, range: words, body, visibility: "all" })).rejects.toThrow(AnnotationInputError);
    }
    expect(await Promise.all([count("annotation_threads"), count("annotation_comments"), count("audit_events")])).toEqual(before);
  });

  it("follows its words when other editors type before and inside them", async () => {
    const draft = await newDraft();
    const delegate = await buildUser({ delegation: "fr" });
    const thread = await createThread(server.live, { actor: delegate, draftId: draft.id, range: await rangeOf(draft.id, "serious violations"), body: "Look.", visibility: "all" });

    const editors = await Promise.all(
      ["dk", "nl"].map(async (code) => {
        const user = await buildUser({ delegation: code });
        const client = connectClient({ baseUrl: server.url, draftId: draft.id, cookie: (await createSession(user.id)).token });
        await synced(client);
        return client;
      }),
    );
    const [danish, dutch] = editors;
    if (!danish || !dutch) throw new Error("no editors");
    // Before the words, in the same paragraph and in an earlier one; inside the words.
    paragraphText(danish.doc, "States").insert(0, "All ");
    paragraphText(dutch.doc, "Preamble").insert(0, "A longer ");
    await eventually(async () => /A longer Preamble[^]*All States/.test(await storedText(draft.id)), 5000, "the first edits to be stored");
    const inside = paragraphText(danish.doc, "All States");
    inside.insert(inside.toString().indexOf("violations"), "and systematic ");
    await eventually(async () => (await storedText(draft.id)).includes("systematic"), 5000, "the edit inside the words to be stored");

    const [listed] = await listThreads(server.live, { viewer: delegate, draftId: draft.id });
    expect(listed?.id).toBe(thread.id);
    expect(await textAt(draft.id, listed?.range ?? null)).toBe("serious and systematic violations");
    expect(listed?.detachedAt).toBeNull();
    for (const editor of editors) editor.destroy();
  });

  it("keeps a thread whose words were deleted, detached with its quote", async () => {
    const draft = await newDraft();
    const delegate = await buildUser({ delegation: "fr" });
    const kept = await createThread(server.live, { actor: delegate, draftId: draft.id, range: await rangeOf(draft.id, "Licences"), body: "Fine.", visibility: "all" });
    const thread = await createThread(server.live, { actor: delegate, draftId: draft.id, range: await rangeOf(draft.id, "serious violations"), body: "Look.", visibility: "all" });
    await server.accord.collab.texts.editDocument({
      draftId: draft.id,
      author: { userId: delegate.id, delegationCode: "fr" },
      edit: (doc) => {
        const text = paragraphText(doc, "States");
        const start = text.toString().indexOf("serious");
        text.delete(start, "serious violations of ".length);
      },
    });
    const threads = await listThreads(server.live, { viewer: delegate, draftId: draft.id });
    const detached = threads.find((candidate) => candidate.id === thread.id);
    expect(detached?.range).toBeNull();
    expect(detached?.detachedAt).toBeInstanceOf(Date);
    expect(detached?.quote).toBe("serious violations");
    expect(await textAt(draft.id, threads.find((candidate) => candidate.id === kept.id)?.range ?? null)).toBe("Licences");
    const rows = await server.database.sql<{ detached_at: Date | null }[]>`SELECT detached_at FROM annotation_threads WHERE id = ${thread.id}`;
    expect(rows[0]?.detached_at).toBeInstanceOf(Date);
    expect(await count("audit_events")).toBeGreaterThan(0);

    // A whole clause removed detaches its threads too.
    const other = await createThread(server.live, { actor: delegate, draftId: draft.id, range: await rangeOf(draft.id, "refused"), body: "Hm.", visibility: "all" });
    await server.accord.collab.texts.editDocument({
      draftId: draft.id,
      author: { userId: delegate.id, delegationCode: "fr" },
      edit: (doc) => {
        const paragraph = paragraphText(doc, "Licences").parent as Y.XmlElement;
        const clauseElement = paragraph.parent as Y.XmlElement;
        const sectionElement = clauseElement.parent as Y.XmlElement;
        sectionElement.delete(sectionElement.toArray().indexOf(clauseElement), 1);
      },
    });
    const after = await listThreads(server.live, { viewer: delegate, draftId: draft.id });
    expect(after.find((candidate) => candidate.id === other.id)?.range).toBeNull();
    expect(after.find((candidate) => candidate.id === other.id)?.detachedAt).toBeInstanceOf(Date);
  });

  it("never returns another delegation's private threads, to other delegations or the secretariat", async () => {
    const draft = await newDraft();
    const norwegian = await buildUser({ delegation: "no" });
    const norwegianHead = await buildUser({ role: "head", delegation: "no" });
    const french = await buildUser({ delegation: "fr" });
    const secretariat = await buildUser({ role: "secretariat" });
    const observer = await buildUser({ role: "observer", delegation: "no" });
    const secret = await createThread(server.live, { actor: norwegian, draftId: draft.id, range: await rangeOf(draft.id, "Licences"), body: "Our red line.", visibility: "delegation" });
    const shared = await createThread(server.live, { actor: french, draftId: draft.id, range: await rangeOf(draft.id, "States"), body: "Shared.", visibility: "all" });
    const ids = async (viewer: typeof french) => (await listThreads(server.live, { viewer, draftId: draft.id })).map((thread) => thread.id);
    expect(await ids(norwegianHead)).toEqual([secret.id, shared.id]);
    expect(await ids(french)).toEqual([shared.id]);
    expect(await ids(secretariat)).toEqual([shared.id]);
    expect(await ids(observer)).toEqual([shared.id]);
    expect(await findThreadForViewer({ viewer: french, draftId: draft.id, threadId: secret.id })).toBeNull();
    expect(await findThreadForViewer({ viewer: secretariat, draftId: draft.id, threadId: secret.id })).toBeNull();
    expect((await findThreadForViewer({ viewer: norwegianHead, draftId: draft.id, threadId: secret.id }))?.quote).toBe("Licences");
    // The wrong draft does not find it either.
    const other = await newDraft();
    expect(await findThreadForViewer({ viewer: norwegian, draftId: other.id, threadId: secret.id })).toBeNull();
  });

  it("replies, edits and deletes comments, resolves and reopens, each audited", async () => {
    const draft = await newDraft();
    const french = await buildUser({ delegation: "fr" });
    const danish = await buildUser({ delegation: "dk" });
    const thread = await createThread(server.live, { actor: french, draftId: draft.id, range: await rangeOf(draft.id, "States"), body: "Which States?", visibility: "all" });
    const reply = await replyToThread(server.live, { actor: danish, thread, body: "All of them." });
    expect(reply.delegationCode).toBe("dk");
    const edited = await editComment(server.live, { actor: danish, comment: reply, body: "All participating States." });
    expect(edited.body).toBe("All participating States.");
    expect(edited.editedAt).toBeInstanceOf(Date);
    await deleteComment(server.live, { actor: danish, comment: edited });
    const resolved = await setThreadStatus(server.live, { actor: french, thread, status: "resolved" });
    expect(resolved.status).toBe("resolved");
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    const reopened = await setThreadStatus(server.live, { actor: french, thread, status: "open" });
    expect(reopened.status).toBe("open");
    expect(reopened.resolvedAt).toBeNull();
    const [listed] = await listThreads(server.live, { viewer: french, draftId: draft.id });
    expect(listed?.comments.map((comment) => [comment.body, comment.deletedAt !== null])).toEqual([
      ["Which States?", false],
      ["", true],
    ]);
    const actions = await server.database.sql<{ action: string }[]>`
      SELECT action FROM audit_events WHERE action LIKE 'annotation.%' ORDER BY id`;
    expect(actions.map((row) => row.action).slice(-5)).toEqual([
      "annotation.replied",
      "annotation.comment-edited",
      "annotation.comment-deleted",
      "annotation.resolved",
      "annotation.reopened",
    ]);
    expect(await listThreads(server.live, { viewer: french, draftId: draft.id, status: "resolved" })).toEqual([]);
  });
});

describe("mentions", () => {
  const delegations = [
    { code: "fr", name: "France", shortName: "France" },
    { code: "uk", name: "United Kingdom", shortName: "United Kingdom" },
    { code: "no", name: "Norway", shortName: "Norway" },
  ];

  it("finds delegations by name or code, in any case, as whole words", () => {
    expect(mentionedDelegations("@France and @uk, please", delegations)).toEqual(["fr", "uk"]);
    expect(mentionedDelegations("cc @united kingdom.", delegations)).toEqual(["uk"]);
    expect(mentionedDelegations("@NO!", delegations)).toEqual(["no"]);
    expect(mentionedDelegations("@nobody @francesca mail@example.org", delegations)).toEqual([]);
  });

  it("finds them by their names in every language Accord speaks, whatever the writer's", () => {
    expect(mentionedDelegations("Merci @Norvège et @royaume-uni.", delegations)).toEqual(["no", "uk"]);
    expect(inLanguage("fr", () => mentionedDelegations("Thanks @Norway", delegations))).toEqual(["no"]);
  });

  it("notify every active member of the delegation who may see the thread, and not its author", async () => {
    const draft = await newDraft();
    const author = await buildUser({ delegation: "fr" });
    const frenchColleague = await buildUser({ delegation: "fr" });
    const frenchHead = await buildUser({ role: "head", delegation: "fr" });
    const disabled = await buildUser({ delegation: "fr" });
    await server.database.sql`UPDATE users SET disabled = true WHERE id = ${disabled.id}`;
    const norwegian = await buildUser({ delegation: "no" });

    const shared = await createThread(server.live, { actor: author, draftId: draft.id, range: await rangeOf(draft.id, "States"), body: "@France @Norway see this", visibility: "all" });
    const recipients = await server.database.sql<{ recipient_id: string }[]>`
      SELECT recipient_id FROM notifications WHERE thread_id = ${shared.id}`;
    const expected = await server.database.sql<{ id: string }[]>`
      SELECT id FROM users WHERE delegation_code IN ('fr', 'no') AND NOT disabled AND id <> ${author.id}`;
    const notified = recipients.map((row) => row.recipient_id);
    expect(notified.sort()).toEqual(expected.map((row) => row.id).sort());
    expect(notified).toEqual(expect.arrayContaining([frenchColleague.id, frenchHead.id, norwegian.id]));
    expect(notified).not.toContain(disabled.id);
    expect(notified).not.toContain(author.id);

    // A private French note mentioning Norway tells no Norwegian.
    const before = await count("notifications");
    await createThread(server.live, { actor: author, draftId: draft.id, range: await rangeOf(draft.id, "Licences"), body: "Ask @no first", visibility: "delegation" });
    expect(await count("notifications")).toBe(before);

    const { unread, notifications } = await listNotifications(norwegian);
    expect(unread).toBe(1);
    expect(notifications[0]).toMatchObject({ kind: "mention", threadId: shared.id, draftSlug: draft.slug, quote: "States", readAt: null });
    expect(await markNotificationsRead(server.live, norwegian)).toBe(1);
    expect((await listNotifications(norwegian)).unread).toBe(0);
    // Someone else's notifications are not theirs to mark.
    const [own] = (await listNotifications(frenchHead)).notifications;
    expect(await markNotificationsRead(server.live, norwegian, [own?.id ?? ""])).toBe(0);
    expect((await listNotifications(frenchHead)).unread).toBe(1);
  });

  it("added by editing a comment notify the newly mentioned delegation once, and not those told already", async () => {
    const draft = await newDraft();
    const author = await buildUser({ delegation: "nl" });
    const dane = await buildUser({ delegation: "dk" });
    const canadian = await buildUser({ delegation: "ca" });
    const thread = await createThread(server.live, { actor: author, draftId: draft.id, range: await rangeOf(draft.id, "States"), body: "@Denmark what do you think?", visibility: "all" });
    const [first] = thread.comments;
    if (!first) throw new Error("The thread has no comment.");
    expect((await listNotifications(dane)).unread).toBe(1);

    await editComment(server.live, { actor: author, comment: first, body: "@Denmark and @Canada, what do you think?" });
    expect((await listNotifications(dane)).unread).toBe(1);
    expect((await listNotifications(canadian)).unread).toBe(1);
    // Editing again with the same mentions tells nobody anew.
    await editComment(server.live, { actor: author, comment: first, body: "@Denmark and @Canada: what do you think?" });
    expect((await listNotifications(dane)).unread).toBe(1);
    expect((await listNotifications(canadian)).unread).toBe(1);
  });

  it("of replies: the people already in the thread hear of each reply, once, and never its author", async () => {
    const draft = await newDraft();
    const dutch = await buildUser({ delegation: "nl" });
    const dane = await buildUser({ delegation: "dk" });
    const french = await buildUser({ delegation: "fr" });
    const thread = await createThread(server.live, { actor: dutch, draftId: draft.id, range: await rangeOf(draft.id, "States"), body: "Too broad?", visibility: "all" });
    const loaded = async () => (await findThreadForViewer({ viewer: dutch, draftId: draft.id, threadId: thread.id })) ?? thread;
    const kinds = async (user: typeof dutch) => (await listNotifications(user)).notifications.map((notification) => notification.kind);

    await replyToThread(server.live, { actor: dane, thread: await loaded(), body: "Agreed." });
    expect(await kinds(dutch)).toEqual(["reply"]);
    expect(await kinds(dane)).toEqual([]);
    await replyToThread(server.live, { actor: french, thread: await loaded(), body: "Not so." });
    expect(await kinds(dutch)).toEqual(["reply", "reply"]);
    expect(await kinds(dane)).toEqual(["reply"]);
    // A reply that mentions a delegation already in the thread tells its members once, as a mention.
    await replyToThread(server.live, { actor: dane, thread: await loaded(), body: "@Netherlands, your view?" });
    expect(await kinds(dutch)).toEqual(["mention", "reply", "reply"]);
    expect(await kinds(french)).toEqual(["reply"]);
    const [reply] = (await listNotifications(french)).notifications;
    expect(reply).toMatchObject({ kind: "reply", threadId: thread.id, quote: "States" });

    // A private thread's replies reach its own delegation alone.
    const colleague = await buildUser({ delegation: "nl" });
    const note = await createThread(server.live, { actor: dutch, draftId: draft.id, range: await rangeOf(draft.id, "Licences"), body: "Our line.", visibility: "delegation" });
    const before = (await listNotifications(dutch)).notifications.length;
    await replyToThread(server.live, { actor: colleague, thread: note, body: "Fine." });
    expect((await listNotifications(dutch)).notifications.length).toBe(before + 1);
  });
});
