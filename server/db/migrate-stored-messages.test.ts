import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../i18n/translate";
import { findMotion } from "../domain/motions";
import { listFailingSteps } from "../domain/pending-steps";
import { listVersions } from "../domain/versions";
import { emptyDatabase } from "../../test/empty-database";
import type { Database } from "./connection";
import { migrate, readMigrations } from "./migrate";
import { setDatabase } from "./registry";

// Migration 0019 reads back into messages the English that earlier releases stored: a database as
// the previous release left it (every migration before 0019, and its rows) is migrated, then read.

const MESSAGES = 19;
let db: Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  let pools: Database[];
  ({ pools, cleanup } = await emptyDatabase());
  db = pools[0] as Database;
  setDatabase(db);
  await migrate(db.sql, readMigrations().filter((migration) => migration.version < MESSAGES));
});
afterAll(async () => {
  setDatabase(undefined);
  await cleanup();
});

const SHA = "0".repeat(64);

// A version as the previous release wrote it: its name in the `name` column, whatever made it.
async function oldVersion(draftId: string, number: number, kind: string, name: string, authorId: string | null): Promise<void> {
  await db.sql`
    INSERT INTO versions (draft_id, number, name, kind, author_id, yjs_state, content, html, sha256)
    VALUES (${draftId}, ${number}, ${name}, ${kind}, ${authorId}, ${Buffer.from([0, 0])}, ${db.sql.json({ type: "doc" })}, '', ${SHA})`;
}

// A closed motion on a version, with the note the previous release wrote on applying its result.
async function oldMotion(draftId: string, versionId: string, number: number, putBy: string, note: string): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    INSERT INTO motions (draft_id, number, subject, version_id, rule, quorum, deadline, status, put_by, tally, outcome, reason,
                         closed_at, closed_by, application, application_note)
    VALUES (${draftId}, ${number}, 'version', ${versionId}, 'majority', 0, now(), 'closed', ${putBy}, '{}', 'adopted', 'majority-more-yes',
            now(), 'deadline', 'failed', ${note})
    RETURNING id`;
  if (!row) throw new Error("no motion");
  return row.id;
}

describe("migration 0019", () => {
  it("turns the English the server stored into messages, keeps typed names, and still converts what the previous release writes", async () => {
    const [user] = await db.sql<{ id: string }[]>`
      INSERT INTO users (email, display_name, role, password_hash) VALUES ('old@example.org', 'Old secretariat', 'secretariat', 'x') RETURNING id`;
    const [draft] = await db.sql<{ id: string }[]>`INSERT INTO drafts (slug, title) VALUES ('older-rows', 'Older rows') RETURNING id`;
    if (!user || !draft) throw new Error("no user or draft");
    await oldVersion(draft.id, 1, "manual", "Start of drafting: our own name", user.id);
    await oldVersion(draft.id, 2, "phase", "Start of drafting: First round", null);
    await oldVersion(draft.id, 3, "phase", "Start of delegation review: Review: part 1", null);
    await oldVersion(draft.id, 4, "phase", "Phase changed to public consultation", null);
    await oldVersion(draft.id, 5, "phase", "Rounds ended: closed", null);
    await oldVersion(draft.id, 6, "adopted", "A-3 adopted by motion M-2", null);
    await oldVersion(draft.id, 7, "restore-point", "Before restoring v4", user.id);
    await oldVersion(draft.id, 8, "phase", "Kept by hand, somehow", null);
    const [version] = await db.sql<{ id: string }[]>`SELECT id FROM versions WHERE draft_id = ${draft.id} AND number = 1`;
    if (!version) throw new Error("no version");
    const closedNote = await oldMotion(draft.id, version.id, 1, user.id, "The amendment is already withdrawn.");
    const storedNote = await oldMotion(
      draft.id, version.id, 2, user.id,
      "the amendment's change could not be stored, so the amendment is still open; the secretariat may adopt it by hand.",
    );
    const unexpected = await oldMotion(draft.id, version.id, 3, user.id, "Connection terminated unexpectedly");
    await db.sql`
      INSERT INTO pending_steps (kind, draft_id, details, attempts, last_error)
      VALUES ('phase-version', ${draft.id}, ${db.sql.json({ name: "Start of voting: Final vote" })}, 3, 'The collaboration server is not running.')`;
    await db.sql`
      INSERT INTO pending_steps (kind, motion_id, draft_id, attempts, last_error)
      VALUES ('motion-result', ${storedNote}, ${draft.id}, 4, 'The words changed since tabling; the secretariat must confirm.')`;

    expect(await migrate(db.sql)).toEqual(readMigrations().filter((migration) => migration.version >= MESSAGES).map((migration) => migration.name));

    // Stored as keys and parameters; a person's name, and a name no pattern knows, stay as typed.
    const versions = await db.sql<{ number: number; name: string | null; name_key: string | null; name_params: unknown }[]>`
      SELECT number, name, name_key, name_params FROM versions WHERE draft_id = ${draft.id} ORDER BY number`;
    expect(versions.map((row) => [row.number, row.name, row.name_key, row.name_params])).toEqual([
      [1, "Start of drafting: our own name", null, null],
      [2, null, "versionName.phaseStarted", { phase: "drafting", round: "First round" }],
      [3, null, "versionName.phaseStarted", { phase: "review", round: "Review: part 1" }],
      [4, null, "versionName.phaseChanged", { phase: "consultation" }],
      [5, null, "versionName.roundsEnded", {}],
      [6, null, "versionName.adoptedByMotion", { amendment: 3, motion: 2 }],
      [7, null, "versions.restorePointName", { number: 4 }],
      [8, "Kept by hand, somehow", null, null],
    ]);
    // Read through the domain and shown in English, as the pages show them.
    const shown = (await listVersions(draft.id)).reverse().map(({ name }) => (typeof name === "string" ? name : t(name.key, name.params)));
    expect(shown).toEqual([
      "Start of drafting: our own name",
      "Start of Drafting: First round",
      "Start of Delegation review: Review: part 1",
      "Phase changed to public consultation",
      "Rounds ended: closed",
      "A-3 adopted by motion M-2",
      "Before restoring v4",
      "Kept by hand, somehow",
    ]);

    const notes = await db.sql<{ number: number; application_note: string; application_note_key: string; application_note_params: unknown }[]>`
      SELECT number, application_note, application_note_key, application_note_params FROM motions WHERE draft_id = ${draft.id} ORDER BY number`;
    expect(notes.map((row) => [row.number, row.application_note, row.application_note_key, row.application_note_params])).toEqual([
      [1, "", "error.amendment.closed", { status: "withdrawn" }],
      [2, "", "motions.application.notStored", {}],
      [3, "", "error.unexpected", { detail: "Connection terminated unexpectedly" }],
    ]);
    const motion = await findMotion({ draftId: draft.id, number: 1 });
    expect(motion?.applicationNote && t(motion.applicationNote.key, motion.applicationNote.params)).toBe("The amendment is already withdrawn.");

    const steps = await listFailingSteps(draft.id);
    expect(steps.map((step) => [step.kind, step.details.name, step.lastError])).toEqual([
      ["phase-version", { key: "versionName.phaseStarted", params: { phase: "voting", round: "Final vote" } }, { key: "error.unexpected", params: { detail: "The collaboration server is not running." } }],
      ["motion-result", undefined, { key: "motions.application.changed", params: {} }],
    ]);

    // An instance of the previous release, during a rolling upgrade, still writes English: it is
    // stored as messages all the same.
    await oldVersion(draft.id, 9, "adopted", "A-4 adopted by motion M-5", null);
    await db.sql`UPDATE motions SET application_note = 'The clause is no longer in the text.' WHERE id = ${unexpected}`;
    await db.sql`UPDATE motions SET application = 'applied', application_note = '' WHERE id = ${closedNote}`;
    await db.sql`UPDATE pending_steps SET last_error = 'Another attempt is finishing this adoption.' WHERE motion_id = ${storedNote}`;
    await db.sql`
      INSERT INTO pending_steps (kind, draft_id, details, attempts) VALUES ('phase-version', ${draft.id}, ${db.sql.json({ name: "Phase changed" })}, 3)`;
    const [ninth] = await db.sql<{ name: string | null; name_key: string; name_params: unknown }[]>`
      SELECT name, name_key, name_params FROM versions WHERE draft_id = ${draft.id} AND number = 9`;
    expect(ninth).toEqual({ name: null, name_key: "versionName.adoptedByMotion", name_params: { amendment: 4, motion: 5 } });
    expect((await findMotion({ draftId: draft.id, number: 3 }))?.applicationNote).toEqual({ key: "motions.application.clauseMissing", params: {} });
    expect((await findMotion({ draftId: draft.id, number: 1 }))?.applicationNote).toBeNull();
    expect((await listFailingSteps(draft.id)).map((step) => [step.details.name, step.lastError])).toEqual([
      [{ key: "versionName.phaseStarted", params: { phase: "voting", round: "Final vote" } }, { key: "error.unexpected", params: { detail: "The collaboration server is not running." } }],
      [undefined, { key: "error.amendment.adoptionBusy", params: {} }],
      [{ key: "versionName.phaseChange", params: {} }, null],
    ]);

    // Versions still never change, and a person's version cannot carry a server's name.
    await expect(db.sql`UPDATE versions SET name = 'x' WHERE draft_id = ${draft.id}`).rejects.toThrow(/immutable/);
    await expect(
      db.sql`
        INSERT INTO versions (draft_id, number, name_key, name_params, kind, author_id, yjs_state, content, html, sha256)
        VALUES (${draft.id}, 10, 'versionName.roundsEnded', '{}', 'manual', ${user.id}, ${Buffer.from([0, 0])}, '{}', '', ${SHA})`,
    ).rejects.toThrow(/versions_name_made_by_server/);
  });
});
