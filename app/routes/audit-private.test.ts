import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";

import { createThread, deleteComment, editComment, listThreads, replyToThread, setThreadStatus } from "../../server/domain/annotations";
import { listAuditEvents } from "../../server/domain/audit";
import { listDelegations } from "../../server/domain/delegations";
import { createDraft, type Draft } from "../../server/domain/drafts";
import type { User } from "../../server/domain/users";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";
import { paragraphText, rangeOf } from "../../test/text-ranges";

let server: TestServer;
let secretariat: TestClient;
let owner: User;
let draft: Draft;
let norwegian: User;
let norwegianHead: User;
/** Everything of the private threads that must not reach anyone outside Norway. */
const secrets: string[] = [];
let sharedThreadId = "";

const AUTHOR = "Ingrid Hemmelig";
const PRIVATE_BODIES = ["Our red line, privately.", "A private reply.", "An edited private text.", "Doomed private words."];

beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 100 });
  owner = await buildUser({ role: "secretariat" });
  secretariat = server.client();
  await secretariat.signIn(owner.email);
  draft = await createDraft({
    actor: owner,
    title: "Private trail draft",
    content: documentJson("Private trail draft", ["Preamble."], [section("Scope", clause("States shall assess the serious risk."), clause("Licences may be refused."))]),
  });
  norwegian = await buildUser({ delegation: "no", displayName: AUTHOR });
  norwegianHead = await buildUser({ role: "head", delegation: "no" });
  const [created, reply, edited, deleted] = PRIVATE_BODIES;
  const secret = await createThread(server.live, { actor: norwegian, draftId: draft.id, range: await rangeOf(draft.id, "Licences"), body: created ?? "", visibility: "delegation" });
  const answer = await replyToThread(server.live, { actor: norwegianHead, thread: secret, body: reply ?? "" });
  const mine = await replyToThread(server.live, { actor: norwegian, thread: secret, body: "first words" });
  await editComment(server.live, { actor: norwegian, comment: mine, body: edited ?? "" });
  const doomed = await replyToThread(server.live, { actor: norwegian, thread: secret, body: deleted ?? "" });
  await deleteComment(server.live, { actor: norwegian, comment: doomed });
  await setThreadStatus(server.live, { actor: norwegian, thread: secret, status: "resolved" });
  await setThreadStatus(server.live, { actor: norwegian, thread: secret, status: "open" });
  // A second private thread whose words are then deleted: its detachment is recorded too.
  const gone = await createThread(server.live, { actor: norwegian, draftId: draft.id, range: await rangeOf(draft.id, "serious"), body: "Private, soon detached.", visibility: "delegation" });
  await server.accord.collab.texts.editDocument({
    draftId: draft.id,
    author: { userId: owner.id, delegationCode: null },
    edit: (doc) => {
      const text = paragraphText(doc, "States");
      const start = text.toString().indexOf("serious");
      text.delete(start, "serious ".length);
    },
  });
  const seen = await listThreads(server.live, { viewer: norwegian, draftId: draft.id });
  expect(seen.find((thread) => thread.id === gone.id)?.detachedAt).toBeInstanceOf(Date);
  secrets.push(secret.id, gone.id, answer.id, mine.id, doomed.id, AUTHOR, norwegian.id, ...PRIVATE_BODIES, "Private, soon detached.", "serious");
  // A shared thread of the same delegation stays on the record for everyone.
  const shared = await createThread(server.live, { actor: norwegianHead, draftId: draft.id, range: await rangeOf(draft.id, "refused"), body: "Shared with all.", visibility: "all" });
  await setThreadStatus(server.live, { actor: norwegianHead, thread: shared, status: "resolved" });
  sharedThreadId = shared.id;
});
afterAll(async () => {
  await server.stop();
});


/** The page's table of events: the filter form lists every account by name, as it should. */
function eventTable(html: string): string {
  const start = html.indexOf("<tbody>");
  return start === -1 ? "" : html.slice(start, html.indexOf("</tbody>", start));
}

async function everyQuery(): Promise<string[]> {
  const actions = [
    "annotation.",
    "annotation.thread-created",
    "annotation.replied",
    "annotation.comment-edited",
    "annotation.comment-deleted",
    "annotation.resolved",
    "annotation.reopened",
    "annotation.detached",
  ];
  const delegations = (await listDelegations()).map((delegation) => delegation.code);
  return [
    "",
    ...actions.map((action) => `?action=${action}`),
    ...delegations.map((code) => `?delegation=${code}`),
    ...delegations.map((code) => `?delegation=${code}&action=annotation.`),
    ...["draft", "thread", "comment", "amendment", "round", "user", "invitation"].map((type) => `?target=${type}`),
    `?actor=${norwegian.id}`,
    `?actor=${norwegianHead.id}`,
    `?draft=${draft.id}`,
    `?draft=${draft.id}&target=thread`,
    `?from=2000-01-01&to=2100-01-01`,
    `?before=999999999999`,
  ];
}

describe("a delegation's private threads in the audit trail", () => {
  it("leave no trace in any audit page or CSV export, under any filter, while shared threads stay", async () => {
    const queries = await everyQuery();
    let sharedSeen = 0;
    for (const query of queries) {
      const page = await secretariat.get(`/admin/audit${query}`);
      expect(page.status, query).toBe(200);
      const table = eventTable(await page.text());
      const csv = await (await secretariat.get(`/admin/audit.csv${query}`)).text();
      for (const secret of secrets) {
        expect(table, `page ${query}`).not.toContain(secret);
        expect(table, `page ${query}`).not.toContain(secret.slice(0, 8));
        expect(csv, `csv ${query}`).not.toContain(secret);
      }
      expect(csv).not.toContain('"visibility":"delegation"');
      if (csv.includes(sharedThreadId)) sharedSeen += 1;
    }
    // The shared thread is listed where its filters match (no filter, its action, Norway, thread, its author, its draft …).
    expect(sharedSeen).toBeGreaterThanOrEqual(8);
    const all = await (await secretariat.get("/admin/audit.csv?action=annotation.")).text();
    expect(all).toContain(sharedThreadId);
    expect(all).toContain("annotation.resolved");
    expect(all).not.toContain("annotation.replied");
    expect(all).not.toContain("annotation.detached");
  });

  it("leave no hole in the shared trail's ids, and the older-than cursor cannot probe for them", async () => {
    const shared = await listAuditEvents({ viewer: owner, limit: 500 });
    const ids = shared.map((event) => event.id).sort((a, b) => a - b);
    // Every action of this test's database is either shared or private: the shared ids run on without a gap.
    expect(ids).toEqual(ids.map((_, index) => (ids[0] ?? 0) + index));
    const privateIds = await server.database.sql<{ id: string }[]>`SELECT id FROM audit_events WHERE private_to_delegation IS NOT NULL`;
    expect(privateIds.length).toBe(10);
    const nothing = eventTable(await (await secretariat.get("/admin/audit?before=999999999")).text());
    for (const { id } of privateIds) {
      expect(Number(id)).toBeLessThan(0);
      expect(eventTable(await (await secretariat.get(`/admin/audit?before=${Math.abs(Number(id))}`)).text())).not.toContain("annotation.replied");
      // A cursor naming a private row lists what one naming no row lists: nothing.
      expect(await listAuditEvents({ viewer: owner, before: Number(id) })).toEqual([]);
    }
    // A cursor naming no row lists no events at all, as one naming a private row does.
    expect(nothing).toBe("");
  });

  it("leave no trace in the desk's counts", async () => {
    const html = (await (await secretariat.get(`/drafts/${draft.slug}/desk`)).text()).replace(/<!-- -->/g, "");
    // Only the shared thread, which is resolved: nothing open.
    expect(html).toContain("Open threads: 0");
    for (const secret of secrets) expect(html).not.toContain(secret);
  });

  it("are on the record for their own delegation only", async () => {
    const actions = (events: { action: string; targetId: string | null }[]) => events.map((event) => event.action).sort();
    const trail = { action: "annotation." };
    const norway = await listAuditEvents({ ...trail, viewer: norwegianHead });
    expect(actions(norway)).toEqual(
      [
        "annotation.thread-created",
        "annotation.thread-created",
        "annotation.thread-created",
        "annotation.replied",
        "annotation.replied",
        "annotation.replied",
        "annotation.comment-edited",
        "annotation.comment-deleted",
        "annotation.resolved",
        "annotation.resolved",
        "annotation.reopened",
        "annotation.detached",
      ].sort(),
    );
    const sharedOnly = ["annotation.resolved", "annotation.thread-created"];
    for (const viewer of [
      owner,
      await buildUser({ delegation: "fr" }),
      await buildUser({ role: "head", delegation: "dk" }),
      // An observer attached to Norway acts for no delegation: private notes are not theirs to read.
      await buildUser({ role: "observer", delegation: "no" }),
    ]) {
      expect(actions(await listAuditEvents({ ...trail, viewer })), viewer.role).toEqual(sharedOnly);
    }
  });
});
