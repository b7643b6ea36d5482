import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { buildUser } from "../../test/factories";
import { openTestDatabase } from "../../test/database";
import { can } from "../auth/policy";
import type { Database } from "../db/connection";
import {
  InvalidReservationError,
  listClauseStatuses,
  OpenBracketsError,
  listDraftClauses,
  setClauseStatus,
  summariseClauseStatuses,
  UnknownClauseError,
} from "./clause-status";
import { createDraft, type Draft } from "./drafts";
import type { User } from "./users";
import { createLive } from "../live";

// No server runs in this file: the domain's live services are this process's own, with no live texts.
const live = createLive();

let db: Database;
let secretariat: User;
let draft: Draft;
let clauseIds: string[];

beforeAll(async () => {
  db = await openTestDatabase();
  secretariat = await buildUser({ role: "secretariat" });
  draft = await createDraft({
    actor: secretariat,
    title: "Statuses",
    content: documentJson("Statuses", ["Preamble."], [
      section("Scope", clause("First clause of scope."), clause("Second clause of scope.")),
      section("Criteria", clause("The only criterion.")),
    ]),
  });
  clauseIds = (await listDraftClauses(draft.id)).map((outline) => outline.id);
});
afterAll(async () => {
  await db.close();
});

async function counts() {
  const [row] = await db.sql<{ statuses: number; audits: number }[]>`
    SELECT (SELECT count(*)::int FROM clause_statuses) AS statuses,
           (SELECT count(*)::int FROM audit_events WHERE action = 'clause.status-changed') AS audits`;
  return row;
}

function id(index: number): string {
  const value = clauseIds[index];
  if (!value) throw new Error(`no clause ${index}`);
  return value;
}

describe("clause status", () => {
  it("lists the clauses of the current text with their numbers and first words", async () => {
    const clauses = await listDraftClauses(draft.id);
    expect(clauses.map((outline) => [outline.number, outline.excerpt])).toEqual([
      ["1.1", "First clause of scope."],
      ["1.2", "Second clause of scope."],
      ["2.1", "The only criterion."],
    ]);
  });

  it("counts every clause as pending until the secretariat says otherwise", async () => {
    const clauses = await listDraftClauses(draft.id);
    expect(summariseClauseStatuses(clauses, await listClauseStatuses(draft.id))).toEqual({
      total: 3,
      agreed: 0,
      agreedAdReferendum: 0,
      pending: 3,
      reserved: 0,
    });
  });

  it("records a status with who set it, and audits the change from what it was", async () => {
    const stored = await setClauseStatus(live, { actor: secretariat, draftId: draft.id, clauseId: id(0), status: "agreed" });
    expect(stored).toMatchObject({ clauseId: id(0), status: "agreed", reservingDelegations: [], setBy: secretariat.id });

    await setClauseStatus(live, {
      actor: secretariat,
      draftId: draft.id,
      clauseId: id(0),
      status: "reserved",
      reservingDelegations: ["no", "fr", "no"],
    });
    const [latest] = await db.sql<{ actor_id: string; target_id: string; details: Record<string, unknown> }[]>`
      SELECT actor_id, target_id, details FROM audit_events WHERE action = 'clause.status-changed' ORDER BY id DESC LIMIT 1`;
    expect(latest).toMatchObject({
      actor_id: secretariat.id,
      target_id: draft.id,
      details: { clauseId: id(0), clause: "1.1", from: "agreed", to: "reserved", reservingDelegations: ["fr", "no"] },
    });

    await setClauseStatus(live, { actor: secretariat, draftId: draft.id, clauseId: id(2), status: "agreed-ad-referendum" });
    const statuses = await listClauseStatuses(draft.id);
    expect(statuses.find((status) => status.clauseId === id(0))?.reservingDelegations).toEqual(["fr", "no"]);
    expect(summariseClauseStatuses(await listDraftClauses(draft.id), statuses)).toEqual({
      total: 3,
      agreed: 0,
      agreedAdReferendum: 1,
      pending: 1,
      reserved: 1,
    });
  });

  it("drops the reserving delegations when a clause is no longer reserved", async () => {
    const stored = await setClauseStatus(live, {
      actor: secretariat,
      draftId: draft.id,
      clauseId: id(1),
      status: "pending",
      reservingDelegations: ["fr"],
    });
    expect(stored.reservingDelegations).toEqual([]);
  });

  it("refuses a clause that is not in the text, a reservation of nobody and an unknown delegation, writing nothing", async () => {
    const before = await counts();
    await expect(
      setClauseStatus(live, { actor: secretariat, draftId: draft.id, clauseId: "c000000000000", status: "agreed" }),
    ).rejects.toBeInstanceOf(UnknownClauseError);
    await expect(
      setClauseStatus(live, { actor: secretariat, draftId: draft.id, clauseId: id(1), status: "reserved", reservingDelegations: [] }),
    ).rejects.toBeInstanceOf(InvalidReservationError);
    await expect(
      setClauseStatus(live, { actor: secretariat, draftId: draft.id, clauseId: id(1), status: "reserved", reservingDelegations: ["fr", "xx"] }),
    ).rejects.toBeInstanceOf(InvalidReservationError);
    expect(await counts()).toEqual(before);
  });
});

describe("the clause status policy", () => {
  const resource = { type: "draft" as const, id: "d" };
  const actor = (role: "secretariat" | "head" | "delegate" | "observer") => ({
    id: "u",
    role,
    delegationCode: role === "head" || role === "delegate" ? "fr" : null,
  });

  it("lets only the secretariat set a status", () => {
    expect(can(actor("secretariat"), "clause.set-status", resource)).toBe(true);
    for (const role of ["head", "delegate", "observer"] as const) expect(can(actor(role), "clause.set-status", resource)).toBe(false);
    expect(can(null, "clause.set-status", resource)).toBe(false);
  });

  it("shows statuses to everyone who may read the draft", () => {
    for (const role of ["secretariat", "head", "delegate", "observer"] as const) {
      expect(can(actor(role), "clause.view-status", resource)).toBe(can(actor(role), "draft.read", resource));
      expect(can(actor(role), "clause.view-status", resource)).toBe(true);
    }
    expect(can(null, "clause.view-status", resource)).toBe(false);
  });
});

describe("a clause with open brackets", () => {
  it("cannot be marked agreed (nor ad referendum) until they are resolved, and says how many are open", async () => {
    const bracketed = (text: string, option: number) => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id: "b00000000000c", option, supporters: "fr" } }] });
    const open = await createDraft({
      actor: secretariat,
      title: "Brackets",
      content: documentJson("Brackets", ["Preamble."], [
        section("Scope", { type: "clause", attrs: { id: "c0000000000b1" }, content: [{ type: "paragraph", content: [{ type: "text", text: "States assess " }, bracketed("each", 0), bracketed("every", 1)] }] }),
      ]),
    });
    const [outline] = await listDraftClauses(open.id);
    expect(outline?.openBrackets).toBe(1);
    for (const status of ["agreed", "agreed-ad-referendum"] as const) {
      const refused = await setClauseStatus(live, { actor: secretariat, draftId: open.id, clauseId: "c0000000000b1", status }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenBracketsError);
      expect((refused as OpenBracketsError).message).toContain("open bracket");
    }
    expect(await listClauseStatuses(open.id)).toEqual([]);
    // Other statuses are open to it.
    expect((await setClauseStatus(live, { actor: secretariat, draftId: open.id, clauseId: "c0000000000b1", status: "reserved", reservingDelegations: ["fr"] })).status).toBe("reserved");
  });
});
