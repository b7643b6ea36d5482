import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { rangeOf } from "../../test/text-ranges";
import { readMigrations } from "../db/migrate";
import { createThread, editComment, replyToThread, setThreadStatus } from "./annotations";
import { listAuditEvents } from "./audit";
import { createDraft } from "./drafts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe("the audit trail's private rows", () => {
  it("are marked by migration 0015 in a trail written before it, and the trail stays append-only", async () => {
    const owner = await buildUser({ role: "secretariat" });
    const draft = await createDraft({
      actor: owner,
      title: "Older trail",
      content: documentJson("Older trail", ["Preamble."], [section("Scope", clause("States shall assess the risk."), clause("Licences may be refused."))]),
    });
    const norwegian = await buildUser({ delegation: "no" });
    const secret = await createThread({ actor: norwegian, draftId: draft.id, range: await rangeOf(draft.id, "Licences"), body: "Ours.", visibility: "delegation" });
    const reply = await replyToThread({ actor: norwegian, thread: secret, body: "Still ours." });
    await editComment({ actor: norwegian, comment: reply, body: "Ours, edited." });
    await setThreadStatus({ actor: norwegian, thread: secret, status: "resolved" });
    const shared = await createThread({ actor: norwegian, draftId: draft.id, range: await rangeOf(draft.id, "States"), body: "For all.", visibility: "all" });

    // The trail as a database before 0015 holds it: no column, nothing marked. Then the migration.
    const sql = server.database.sql;
    await sql`ALTER TABLE audit_events DROP COLUMN private_to_delegation`;
    const migration = readMigrations().find((candidate) => candidate.version === 15);
    if (!migration) throw new Error("no migration 0015");
    await sql.begin((tx) => tx.unsafe(migration.sql));

    const marked = await sql<{ action: string; target_id: string; private_to_delegation: string | null }[]>`
      SELECT action, target_id, private_to_delegation FROM audit_events WHERE action LIKE 'annotation.%' ORDER BY id`;
    expect(marked.map((row) => [row.action, row.target_id, row.private_to_delegation])).toEqual([
      ["annotation.thread-created", secret.id, "no"],
      ["annotation.replied", reply.id, "no"],
      ["annotation.comment-edited", reply.id, "no"],
      ["annotation.resolved", secret.id, "no"],
      ["annotation.thread-created", shared.id, null],
    ]);
    expect((await listAuditEvents({ viewer: owner, action: "annotation." })).map((event) => event.targetId)).toEqual([shared.id]);
    await expect(sql`UPDATE audit_events SET action = 'x'`).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`).rejects.toThrow(/append-only/);
  });
});
