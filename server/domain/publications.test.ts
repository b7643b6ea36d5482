import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentJson, section } from "../../schema/content";
import { openTestDatabase } from "../../test/database";
import { buildUser } from "../../test/factories";
import { codeOfConductOpeningText } from "../demo/code-of-conduct";
import type { Database } from "../db/connection";
import { sql } from "../db/registry";
import { listAuditEvents } from "./audit";
import { createDraft, type Draft } from "./drafts";
import {
  AlreadyPublishedError,
  UnknownVersionError,
  findPublication,
  latestPublication,
  listPublications,
  listPublishedDrafts,
  publishVersion,
} from "./publications";
import type { User } from "./users";
import { saveVersion } from "./versions";
import { createLive } from "../live";

// No server runs in this file: the domain's live services are this process's own, with no live texts.
const live = createLive();

let db: Database;
let secretariat: User;
let draft: Draft;
let unpublished: Draft;

beforeAll(async () => {
  db = await openTestDatabase();
  secretariat = await buildUser({ role: "secretariat" });
  draft = await createDraft({ actor: secretariat, title: "Published code", content: codeOfConductOpeningText("Published code") });
  unpublished = await createDraft({ actor: secretariat, title: "Quiet code" });
  for (const name of ["First reading", "Second reading", "Third reading"]) {
    await saveVersion(live, { actor: secretariat, draftId: draft.id, name, kind: "manual" });
  }
  await saveVersion(live, { actor: secretariat, draftId: unpublished.id, name: "Never shown", kind: "manual" });
});
afterAll(async () => {
  await db.close();
});

const publish = (versionNumber: number, extra: Partial<Parameters<typeof publishVersion>[1]> = {}) =>
  publishVersion(live, {
    actor: secretariat,
    draftId: draft.id,
    versionNumber,
    publicTitle: `  Code of Conduct, version ${versionNumber} `,
    summary: "For consultation.",
    statusLabel: "Consultation draft",
    attribution: "anonymous",
    ...extra,
  });

describe("publications", () => {
  it("publishes a version once, with its title, summary, status and attribution, on the audit trail", async () => {
    const publication = await publish(1);
    expect(publication).toMatchObject({
      draftSlug: draft.slug,
      versionNumber: 1,
      publicTitle: "Code of Conduct, version 1",
      summary: "For consultation.",
      statusLabel: "Consultation draft",
      attribution: "anonymous",
    });
    expect(publication.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [event] = await listAuditEvents({ viewer: secretariat, action: "version.published", limit: 1 });
    expect(event).toMatchObject({ actorId: secretariat.id, targetId: draft.id, details: { number: 1, publicationId: publication.id, attribution: "anonymous" } });

    const eventsBefore = (await listAuditEvents({ viewer: secretariat, action: "version.published" })).length;
    await expect(publish(1, { publicTitle: "Another title" })).rejects.toBeInstanceOf(AlreadyPublishedError);
    await expect(publish(9)).rejects.toBeInstanceOf(UnknownVersionError);
    expect((await listAuditEvents({ viewer: secretariat, action: "version.published" })).length).toBe(eventsBefore);
    expect((await findPublication(draft.slug, 1))?.publicTitle).toBe("Code of Conduct, version 1");
  });

  it("never changes a publication once made", async () => {
    await expect(sql()`UPDATE publications SET public_title = 'Changed' WHERE draft_id = ${draft.id}`).rejects.toThrow(/immutable/);
  });

  it("finds the highest published version as the latest, and only published versions by number", async () => {
    await publish(3, { statusLabel: "Adopted text", attribution: "named", summary: "" });
    const latest = await latestPublication(draft.slug);
    expect(latest).toMatchObject({ versionNumber: 3, statusLabel: "Adopted text", attribution: "named" });
    expect(latest?.html).toContain('id="clause-');
    expect(latest?.content.type).toBe("doc");

    expect(await findPublication(draft.slug, 2)).toBeNull();
    expect(await findPublication(draft.slug, 4)).toBeNull();
    expect(await findPublication("no-such-draft", 1)).toBeNull();
    expect((await listPublications(draft.slug)).map((publication) => publication.versionNumber)).toEqual([3, 1]);
  });

  it("lists only drafts with a publication", async () => {
    const published = await listPublishedDrafts();
    const ours = published.find((entry) => entry.slug === draft.slug);
    expect(ours).toMatchObject({ publicationCount: 2, latest: { versionNumber: 3 } });
    expect(published.some((entry) => entry.slug === unpublished.slug)).toBe(false);
    expect(await latestPublication(unpublished.slug)).toBeNull();
    expect(await listPublications(unpublished.slug)).toEqual([]);
  });
});

describe("a publication's square brackets", () => {
  it("reads a clean publication's text clean everywhere, and records the choice only where there were brackets", async () => {
    const bracket = (text: string, option: number) => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id: "b0000000000c1", option, supporters: "fr" } }] });
    const inBrackets = await createDraft({
      actor: secretariat,
      title: "Bracketed code",
      content: documentJson("Bracketed code", [], [
        section("Scope", { type: "clause", attrs: { id: "c0000000000c1" }, content: [{ type: "paragraph", content: [{ type: "text", text: "States assess " }, bracket("each", 0), bracket("every", 1), { type: "text", text: " licence." }] }] }),
      ]),
    });
    await saveVersion(live, { actor: secretariat, draftId: inBrackets.id, name: "Clean", kind: "manual" });
    const publication = await publishVersion(live, { actor: secretariat, draftId: inBrackets.id, versionNumber: 1, publicTitle: "Clean", summary: "", statusLabel: "Draft", attribution: "anonymous", brackets: "clean" });
    expect(publication.brackets).toBe("clean");
    const [event] = await listAuditEvents({ viewer: secretariat, action: "version.published", limit: 1 });
    expect(event?.details).toMatchObject({ publicationId: publication.id, brackets: "clean" });

    const text = await findPublication(inBrackets.slug, 1);
    expect(text?.openBrackets).toBe(1);
    expect(text?.html).toContain("<p>States assess each licence.</p>");
    expect(JSON.stringify(text?.content)).not.toMatch(/every|"bracket"/);

    // The published code has no brackets: "clean" would mean nothing for its version 2.
    expect((await publish(2, { brackets: "clean" })).brackets).toBe("bracketed");
  });
});
