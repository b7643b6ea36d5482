import { readFileSync } from "node:fs";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDraftBySlug } from "../../server/domain/drafts";
import { listVersions, loadStoredText } from "../../server/domain/versions";
import { MAX_UPLOAD_BYTES } from "../../server/word/archive";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestClient, type TestServer } from "../../test/server";

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/word/${name}`, import.meta.url));
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

let server: TestServer;
let secretariat: TestClient;
let delegate: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  secretariat = server.client();
  await secretariat.signIn((await buildUser({ role: "secretariat" })).email);
  delegate = server.client();
  await delegate.signIn((await buildUser({ delegation: "fr" })).email);
});
afterAll(async () => {
  await server.stop();
});

function upload(client: TestClient, bytes: Uint8Array, name = "code.docx", type = DOCX): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
  return client.fetch("/drafts/import", { method: "POST", body: form });
}

async function findWordUploadOf(path: string): Promise<boolean> {
  const rows = await server.database.sql`SELECT 1 FROM word_imports WHERE id = ${path.split("/").pop() ?? ""}`;
  return rows.length === 1;
}

async function storedUploads(): Promise<number> {
  const [row] = await server.database.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM word_imports`;
  return row?.count ?? -1;
}

describe("starting a draft from a Word file", () => {
  it("previews the structure, then creates the draft with the file's text as its first version", async () => {
    const sent = await upload(secretariat, fixture("numbered-auto.docx"), "Code of conduct.docx");
    expect(sent.status).toBe(302);
    const previewPath = sent.headers.get("location") ?? "";
    expect(previewPath).toMatch(/^\/drafts\/import\/[0-9a-f-]{36}$/);
    const preview = await (await secretariat.get(previewPath)).text();
    expect(preview).toContain("Preview of Code of conduct.docx");
    // Nothing is created before the preview is confirmed.
    const before = await server.database.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM drafts`;

    const created = await secretariat.post(previewPath, { title: "Imported code", language: "en", changes: "accept" });
    expect(created.status, await created.clone().text()).toBe(302);
    const slug = (created.headers.get("location") ?? "").replace("/drafts/", "");
    const draft = await findDraftBySlug(slug);
    expect(draft?.title).toBe("Imported code");
    const after = await server.database.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM drafts`;
    expect(after[0]?.count).toBe((before[0]?.count ?? 0) + 1);
    const versions = await listVersions(draft?.id ?? "");
    expect(versions).toHaveLength(1);
    const text = (await loadStoredText(draft?.id ?? "")).node;
    expect(text.firstChild?.textContent).toBe("Imported code");
    expect(text.childCount).toBeGreaterThan(2);
    // The upload is used: it is gone, and its address sends back to the upload page.
    expect(await storedUploads()).toBe(0);
    const again = await secretariat.get(previewPath);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/drafts/import?gone=1");
    const audit = await server.database.sql<{ details: { file: string } }[]>`SELECT details FROM audit_events WHERE action = 'draft.imported' AND target_id = ${draft?.id ?? ""}`;
    expect(audit[0]?.details.file).toBe("Code of conduct.docx");
  });

  it("shows tracked changes accepted or rejected as chosen, and what cannot be kept", async () => {
    const sent = await upload(secretariat, fixture("tracked.docx"));
    const previewPath = sent.headers.get("location") ?? "";
    const accepted = await (await secretariat.get(previewPath)).text();
    const rejected = await (await secretariat.get(`${previewPath}?changes=reject`)).text();
    expect(accepted).toContain("What will not be kept");
    expect(accepted).toMatch(/\d+ tracked changes?/);
    expect(accepted).toMatch(/1 image/);
    expect(accepted).toMatch(/1 table/);
    expect(accepted).not.toEqual(rejected);
    expect(rejected).toContain('value="reject"');
  });

  it("refuses hostile and wrong files with a clear message and keeps nothing", async () => {
    const kept = await storedUploads();
    const cases: { bytes: Uint8Array; name: string; says: string }[] = [
      { bytes: new TextEncoder().encode("%PDF-1.7\n1 0 obj"), name: "code.pdf", says: "This is a PDF file" },
      { bytes: new TextEncoder().encode("just some words"), name: "code.docx", says: "plain text" },
      { bytes: zipSync({ "word/document.xml": new TextEncoder().encode("<w:document/>"), "[Content_Types].xml": new TextEncoder().encode('<Types><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'), "word/vbaProject.bin": new Uint8Array([1, 2, 3]) }), name: "code.docm", says: "macros" },
      { bytes: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]), name: "old.doc", says: "Word 97" },
    ];
    for (const { bytes, name, says } of cases) {
      const response = await upload(secretariat, bytes, name);
      expect(response.status, name).toBe(422);
      expect(await response.text(), name).toContain(says);
    }
    const oversized = await upload(secretariat, new Uint8Array(MAX_UPLOAD_BYTES + 1024), "huge.docx");
    expect(oversized.status).toBe(413);
    const none = await secretariat.fetch("/drafts/import", { method: "POST", body: new FormData() });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Choose a Word document");
    expect(await storedUploads()).toBe(kept);
  });

  it("is the secretariat's: a delegate can neither open the page nor upload, and nobody reads another's upload", async () => {
    expect((await delegate.get("/drafts/import")).status).toBe(403);
    expect((await upload(delegate, fixture("numbered-auto.docx"))).status).toBe(403);
    const sent = await upload(secretariat, fixture("numbered-auto.docx"));
    const previewPath = sent.headers.get("location") ?? "";
    const other = server.client();
    await other.signIn((await buildUser({ role: "secretariat" })).email);
    const theirs = await other.get(previewPath);
    expect(theirs.status).toBe(302);
    expect(theirs.headers.get("location")).toBe("/drafts/import?gone=1");
    const before = await storedUploads();
    expect((await other.post(previewPath, { title: "Taken" })).status).toBe(302);
    expect(await storedUploads()).toBe(before);
    expect(await findWordUploadOf(previewPath)).toBe(true);
  });
});
