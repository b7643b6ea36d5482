import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../../server/domain/audit";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";

let server: TestServer;
let secretariat: TestClient;
let draft: Draft;
let other: Draft;
let delegate: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  server = await startTestServer();
  const owner = await buildUser({ role: "secretariat" });
  secretariat = server.client();
  await secretariat.signIn(owner.email);
  draft = await createDraft({ actor: owner, title: "Audited draft" });
  other = await createDraft({ actor: owner, title: "Another draft" });
  delegate = await buildUser({ delegation: "no" });
  await recordAudit({ actor: delegate, action: "annotation.thread-created", target: { type: "thread", id: "t-1" }, details: { draftId: draft.id } });
  await recordAudit({ actor: delegate, action: "annotation.replied", target: { type: "comment", id: "c-1" }, details: { draftId: other.id, note: '=cmd|"/c calc"!A1' } });
  await recordAudit({ actor: null, action: "round.opened", target: { type: "round", id: "r-1" }, details: { draftId: draft.id } });
});
afterAll(async () => {
  await server.stop();
});

async function csv(query: string): Promise<{ status: number; lines: string[]; type: string | null }> {
  const response = await secretariat.get(`/admin/audit.csv${query}`);
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), lines: text.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean) };
}

describe("the audit trail", () => {
  it("filters by action family, person, delegation, target and draft", async () => {
    const page = async (query: string) => (await secretariat.get(`/admin/audit${query}`)).text();
    const annotations = await page("?action=annotation.");
    expect(annotations).toContain("annotation.thread-created");
    expect(annotations).toContain("annotation.replied");
    expect(annotations).not.toContain("<code>round.opened</code>");
    const ofDraft = await page(`?draft=${draft.id}`);
    expect(ofDraft).toContain("annotation.thread-created");
    expect(ofDraft).toContain("<code>round.opened</code>");
    expect(ofDraft).not.toContain("annotation.replied");
    // The draft's own creation is about the draft itself.
    expect(ofDraft).toContain("draft.created");
    const byPerson = await page(`?actor=${delegate.id}&target=comment`);
    expect(byPerson).toContain("annotation.replied");
    expect(byPerson).not.toContain("annotation.thread-created");
    expect(await page("?delegation=no&action=round.opened")).toContain("No recorded action matches these filters.");
    expect(await page("?action=round.opened&from=2000-01-01&to=2000-01-02")).toContain("No recorded action matches these filters.");
  });

  it("refuses filters that cannot be right with 400 and says why", async () => {
    for (const [query, message] of [
      ["?from=2026-02-30", "Give a day as YYYY-MM-DD."],
      ["?from=2026-12-02&to=2026-12-01", "The last day comes before the first."],
      ["?action=DROP TABLE", "Write an action in lower case"],
      ["?actor=someone", "Choose one of the options"],
    ] as const) {
      const response = await secretariat.get(`/admin/audit${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.text()).toContain(message);
      expect((await csv(query)).status).toBe(400);
    }
  });

  it("exports the filtered trail as CSV, every matching event, formulas kept as text", async () => {
    const all = await csv("");
    expect(all.status).toBe(200);
    expect(all.type).toBe("text/csv; charset=utf-8");
    expect(all.lines[0]).toBe("time (UTC),actor,actor id,delegation,action,target type,target id,details (JSON)");
    const [row] = await server.database.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM audit_events`;
    expect(all.lines).toHaveLength((row?.count ?? 0) + 1);
    const replies = await csv("?action=annotation.replied");
    expect(replies.lines).toHaveLength(2);
    expect(replies.lines[1]).toContain(",no,annotation.replied,comment,c-1,");
    // The details hold a would-be formula; inside the quoted JSON, which starts with "{", it stays text.
    expect(replies.lines[1]).toMatch(/,"\{""/);
    expect(replies.lines[1]).toContain("=cmd|");
    expect(replies.lines[1]).not.toMatch(/(^|,)=/);
  });

  it("pages through older events with the filters kept", async () => {
    const owner = await buildUser({ role: "secretariat" });
    for (let index = 0; index < 205; index += 1) {
      await recordAudit({ actor: owner, action: "test.paging", target: { type: "draft", id: String(index) } });
    }
    const first = await (await secretariat.get("/admin/audit?action=test.paging")).text();
    const older = /href="(\/admin\/audit\?[^"]*before=\d+[^"]*)"/.exec(first)?.[1]?.replace(/&amp;/g, "&");
    expect(older).toContain("action=test.paging");
    const second = await (await secretariat.get(older ?? "")).text();
    expect(second.match(/test\.paging/g)?.length).toBeGreaterThanOrEqual(5);
    expect(second).toContain("Back to the newest");
  });

  it("is the secretariat's alone", async () => {
    const client = server.client();
    await client.signIn(delegate.email);
    expect((await client.get("/admin/audit")).status).toBe(403);
    expect((await client.get("/admin/audit.csv")).status).toBe(403);
  });
});
