import type { Stage } from "../auth/phases";
import type { Actor } from "../auth/policy";
import type { AmendmentResource } from "../auth/rules/amendments";
import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import type { Live } from "../live";
import { anchorAmendment, applyAmendment, placeAmendment, type AmendmentKind } from "./amendment-anchors";
import { loadTextSnapshot, type Anchor, type TextRange, type TextSnapshot } from "./annotation-anchors";
import { recordAudit } from "./audit";
import type { MessageKey, MessageParams } from "../../i18n/translate";
import { DomainError, failureMessage, message, type Message } from "./messages";
import { claimStep, dropStep, failStep, findStep, finishStep, recordStep } from "./pending-steps";
import { findUser, isUuid } from "./users";
import { editText } from "./live-texts";

export type { AmendmentKind } from "./amendment-anchors";

/** The longest proposed text and rationale accepted. */
export const MAX_PROPOSED_LENGTH = 5000;
export const MAX_RATIONALE_LENGTH = 5000;

export const AMENDMENT_STATUSES = ["open", "withdrawn", "adopted", "rejected"] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];
/** What happened to an amendment, as events announce it. */
export type AmendmentChange = "tabled" | "cosponsored" | "cosponsorship-withdrawn" | "withdrawn" | "adopted" | "rejected" | "reopened";

/** A proposed change to a range of a draft's text, tabled by a delegation. */
export interface Amendment {
  id: string;
  draftId: string;
  number: number;
  kind: AmendmentKind;
  anchor: Anchor;
  /** The text of the range when it was tabled (empty for an insertion). */
  quote: string;
  /** The text proposed instead (empty for a deletion). */
  proposed: string;
  rationale: string;
  authorId: string;
  authorName: string;
  delegationCode: string;
  /** Co-sponsoring delegations' codes, in the order they joined. */
  cosponsors: string[];
  status: AmendmentStatus;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An amendment with where its anchor stands in the current text. */
export interface AmendmentView extends Amendment {
  /** The range now (a point for an insertion); null when its text was deleted. */
  range: TextRange | null;
  /** The text the range holds now; null when its text was deleted. */
  current: string | null;
  /** Whether the anchored text differs from the quote taken when it was tabled. */
  changed: boolean;
}

/** "A-12": how an amendment is named. */
export function amendmentLabel(amendment: Pick<Amendment, "number">): string {
  return `A-${amendment.number}`;
}

/** Input the domain refuses; `field` says which, for the answer's field errors. */
export class AmendmentInputError extends DomainError {
  constructor(
    readonly field: "range" | "proposed" | "rationale",
    key: MessageKey,
    params?: MessageParams,
  ) {
    super(key, params);
  }
}

/** The amendment is no longer open (someone withdrew or decided it meanwhile). */
export class AmendmentClosedError extends DomainError {
  constructor(readonly status: AmendmentStatus) {
    super("error.amendment.closed", { status });
  }
}

/** Adoption refused: the anchored text changed since tabling and the secretariat has not confirmed. */
export class AmendmentChangedError extends DomainError {
  constructor(readonly sideBySide: { quote: string; current: string; proposed: string }) {
    super("error.amendment.changed");
  }
}

/** Adoption refused: the anchored text was deleted, or no longer lies within one paragraph. */
export class AmendmentGoneError extends DomainError {
  constructor(readonly reason: "deleted" | "split") {
    super(reason === "deleted" ? "error.amendment.textDeleted" : "error.amendment.textSplit");
  }
}

/** The policy's view of an amendment. */
export function amendmentResource(amendment: Pick<Amendment, "draftId" | "delegationCode" | "cosponsors" | "status">, stage: Stage): AmendmentResource {
  return { type: "amendment", draftId: amendment.draftId, delegationCode: amendment.delegationCode, cosponsors: amendment.cosponsors, status: amendment.status, stage };
}

/**
 * Tables an amendment for the actor's delegation, numbered next in its draft. The range is taken
 * from the draft's current text here, with its quote: a range within one paragraph to replace or
 * delete, or a point to insert at. The caller has authorised it.
 */
export async function tableAmendment(live: Live, input: {
  actor: Actor;
  draftId: string;
  kind: AmendmentKind;
  range: TextRange;
  proposed: string;
  rationale: string;
}): Promise<AmendmentView> {
  const delegationCode = input.actor.delegationCode;
  if (!delegationCode) throw new Error("Only a delegation tables amendments.");
  const proposed = checkProposed(input.kind, input.proposed);
  const rationale = checkRationale(input.rationale);
  const text = await loadTextSnapshot(input.draftId);
  let anchored: ReturnType<typeof anchorAmendment>;
  try {
    anchored = anchorAmendment(text, input.kind, input.range);
  } finally {
    text.destroy();
  }
  if (!anchored) {
    throw new AmendmentInputError("range", input.kind === "insert" ? "error.amendment.insertPoint" : "amendments.rangeInvalid");
  }
  const { anchor, quote } = anchored;
  const id = await sql().begin(async (tx) => {
    // Taking the number locks the draft's counter row until this transaction ends.
    const [counter] = await tx<{ last_number: number }[]>`
      INSERT INTO amendment_numbers (draft_id, last_number) VALUES (${input.draftId}, 1)
      ON CONFLICT (draft_id) DO UPDATE SET last_number = amendment_numbers.last_number + 1
      RETURNING last_number`;
    if (!counter) throw new Error("No amendment number was given.");
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO amendments (draft_id, number, kind, anchor_start, anchor_end, quote, proposed, rationale, author_id, delegation_code)
      VALUES (${input.draftId}, ${counter.last_number}, ${input.kind}, ${tx.json(anchor.start as never)}, ${tx.json(anchor.end as never)},
              ${quote}, ${proposed}, ${rationale}, ${input.actor.id}, ${delegationCode})
      RETURNING id`;
    if (!row) throw new Error("The amendment was not stored.");
    await recordAudit(
      { actor: input.actor, action: "amendment.tabled", target: { type: "amendment", id: row.id }, details: { draftId: input.draftId, number: counter.last_number, kind: input.kind } },
      tx,
    );
    return row.id;
  });
  return announce(live, id, "tabled");
}

/** The amendments of a draft, by number; `delegation` keeps those it tabled or co-sponsors. */
export async function listAmendments(input: { draftId: string; status?: AmendmentStatus; delegation?: string }): Promise<AmendmentView[]> {
  const { status, delegation } = input;
  const rows = await sql()<AmendmentRow[]>`
    SELECT ${amendmentColumns()} FROM amendments a JOIN users u ON u.id = a.author_id LEFT JOIN users d ON d.id = a.decided_by
    WHERE a.draft_id = ${input.draftId}
      AND ${status ? sql()`a.status = ${status}` : sql()`true`}
      AND ${
        delegation
          ? sql()`(a.delegation_code = ${delegation} OR EXISTS (
              SELECT 1 FROM amendment_cosponsors c WHERE c.amendment_id = a.id AND c.delegation_code = ${delegation}))`
          : sql()`true`
      }
    ORDER BY a.number`;
  return viewAmendments(input.draftId, await withCosponsors(rows));
}

/** One amendment by its id, or null. */
export async function findAmendmentById(id: string): Promise<Amendment | null> {
  if (!isUuid(id)) return null;
  const rows = await sql()<AmendmentRow[]>`
    SELECT ${amendmentColumns()} FROM amendments a JOIN users u ON u.id = a.author_id LEFT JOIN users d ON d.id = a.decided_by
    WHERE a.id = ${id}`;
  const [amendment] = await withCosponsors(rows);
  return amendment ?? null;
}

/** One amendment of a draft by its number, or null. */
export async function findAmendment(input: { draftId: string; number: number }): Promise<Amendment | null> {
  if (!Number.isSafeInteger(input.number) || input.number < 1) return null;
  const rows = await sql()<AmendmentRow[]>`
    SELECT ${amendmentColumns()} FROM amendments a JOIN users u ON u.id = a.author_id LEFT JOIN users d ON d.id = a.decided_by
    WHERE a.draft_id = ${input.draftId} AND a.number = ${input.number}`;
  const [amendment] = await withCosponsors(rows);
  return amendment ?? null;
}

/** Where each amendment stands in the draft's current text. */
export async function viewAmendments(draftId: string, amendments: Amendment[]): Promise<AmendmentView[]> {
  if (amendments.length === 0) return [];
  const text = await loadTextSnapshot(draftId);
  try {
    return amendments.map((amendment) => viewAmendment(text, amendment));
  } finally {
    text.destroy();
  }
}

/** Adds the actor's delegation to an open amendment's co-sponsors (the caller has authorised it). */
export async function cosponsorAmendment(live: Live, input: { actor: Actor; amendment: Amendment }): Promise<AmendmentView> {
  const code = input.actor.delegationCode;
  if (!code) throw new Error("Only a delegation co-sponsors amendments.");
  await sql().begin(async (tx) => {
    await lockOpen(tx, input.amendment.id);
    await tx`
      INSERT INTO amendment_cosponsors (amendment_id, delegation_code, added_by) VALUES (${input.amendment.id}, ${code}, ${input.actor.id})
      ON CONFLICT DO NOTHING`;
    await tx`UPDATE amendments SET updated_at = now() WHERE id = ${input.amendment.id}`;
    await recordAudit({ actor: input.actor, action: "amendment.cosponsored", target: { type: "amendment", id: input.amendment.id }, details: { draftId: input.amendment.draftId } }, tx);
  });
  return announce(live, input.amendment.id, "cosponsored");
}

/** Takes the actor's delegation off an open amendment's co-sponsors. */
export async function withdrawCosponsorship(live: Live, input: { actor: Actor; amendment: Amendment }): Promise<AmendmentView> {
  await sql().begin(async (tx) => {
    await lockOpen(tx, input.amendment.id);
    await tx`DELETE FROM amendment_cosponsors WHERE amendment_id = ${input.amendment.id} AND delegation_code = ${input.actor.delegationCode}`;
    await tx`UPDATE amendments SET updated_at = now() WHERE id = ${input.amendment.id}`;
    await recordAudit(
      { actor: input.actor, action: "amendment.cosponsorship-withdrawn", target: { type: "amendment", id: input.amendment.id }, details: { draftId: input.amendment.draftId } },
      tx,
    );
  });
  return announce(live, input.amendment.id, "cosponsorship-withdrawn");
}

/** Withdraws an open amendment (its delegation's decision). */
export async function withdrawAmendment(live: Live, input: { actor: Actor; amendment: Amendment }): Promise<AmendmentView> {
  return close(live, input.actor, input.amendment, "withdrawn");
}

/** Rejects an open amendment (the secretariat's decision); the text is left as it is. */
export async function rejectAmendment(live: Live, input: { actor: Actor; amendment: Amendment }): Promise<AmendmentView> {
  return close(live, input.actor, input.amendment, "rejected");
}

/**
 * Adopts an open amendment: its change is applied to the live text as one edit, attributed to the
 * amendment's author and delegation, stored before any editor sees it; only then is the adoption
 * audited and announced. Refused, writing nothing, when the anchored text was deleted, or changed
 * since tabling unless `confirmChanged` (the secretariat has seen the side-by-side); when the edit
 * cannot be stored the amendment stays open and EditNotStoredError is thrown.
 *
 * The amendment is claimed first (so that no one withdraws it while its change is applied), and the
 * claim records the adoption as a pending step in the same transaction: a process that stops
 * between the claim and the record leaves the step, which `resumeAdoption` finishes. The edit
 * carries a key, so that it is made once however often the adoption runs.
 */
export async function adoptAmendment(live: Live, input: { actor: Actor; amendment: Amendment; confirmChanged?: boolean }): Promise<AmendmentView> {
  const { actor, amendment } = input;
  const confirmChanged = input.confirmChanged === true;
  // Checked first on the stored text, so that the usual refusals write nothing at all.
  const text = await loadTextSnapshot(amendment.draftId);
  try {
    checkAdoptable(text, amendment, confirmChanged);
  } finally {
    text.destroy();
  }
  // The claim is a lock, not the outcome: it is neither audited nor announced, and it is undone
  // below unless the change is stored.
  const stepId = await sql().begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      UPDATE amendments SET status = 'adopted', decided_by = ${actor.id}, decided_at = now(), updated_at = now()
      WHERE id = ${amendment.id} AND status = 'open' RETURNING id`;
    if (!row) throw new AmendmentClosedError(await currentStatus(tx, amendment.id));
    return recordStep(tx, { kind: "amendment-adoption", draftId: amendment.draftId, amendmentId: amendment.id, details: { actorId: actor.id, confirmChanged } });
  });
  const claim = await claimStep(stepId);
  if (!claim) throw new Error("The adoption was taken over before it began.");
  try {
    return await completeAdoption(live, { stepId, actor, amendment, confirmChanged });
  } catch (error) {
    // Whatever stopped the edit, it was not stored: the amendment is open again, as it was.
    await undoAdoption(amendment, stepId);
    throw error;
  }
}

/** What finishing an adoption left behind after a stop did. */
export type ResumedAdoption =
  | { outcome: "adopted" }
  /** The change can no longer be made as tabled: the amendment is open again. */
  | { outcome: "reopened"; error: AmendmentChangedError | AmendmentGoneError }
  /** Not finished this time (the text could not be stored, or another attempt holds it): tried again later. */
  | { outcome: "pending"; reason: Message };

/**
 * Finishes an adoption that a stop or crash interrupted between its claim and its record: the edit
 * is made unless the text already holds it (its key says so), then the adoption is audited and
 * announced, once. An adoption that can no longer be made as tabled (the text changed or went)
 * opens the amendment again; one that fails for a reason that may pass stays pending.
 */
export async function resumeAdoption(live: Live, stepId: string): Promise<ResumedAdoption> {
  const step = await findStep(stepId);
  if (!step || step.done) return { outcome: "adopted" };
  const claim = await claimStep(stepId);
  if (!claim) return { outcome: "pending", reason: message("error.amendment.adoptionBusy") };
  const amendment = step.amendmentId ? await findAmendmentById(step.amendmentId) : null;
  const decider = typeof step.details.actorId === "string" ? await findUser(step.details.actorId) : null;
  if (!amendment || amendment.status !== "adopted" || !decider) {
    // Nothing is left to finish: the amendment went, or its claim was undone.
    await sql().begin((tx) => finishStep(tx, stepId));
    return amendment?.status === "adopted" || !amendment ? { outcome: "adopted" } : { outcome: "reopened", error: new AmendmentGoneError("deleted") };
  }
  const actor: Actor = { id: decider.id, role: decider.role, delegationCode: decider.delegationCode };
  try {
    await completeAdoption(live, { stepId, actor, amendment, confirmChanged: step.details.confirmChanged === true });
    return { outcome: "adopted" };
  } catch (error) {
    if (error instanceof AmendmentChangedError || error instanceof AmendmentGoneError) {
      await undoAdoption(amendment, stepId);
      await announce(live, amendment.id, "reopened");
      return { outcome: "reopened", error };
    }
    const reason = failureMessage(error);
    await failStep(sql(), { id: stepId, attempts: claim.attempts, reason });
    return { outcome: "pending", reason };
  }
}

// The edit (once: keyed by the amendment), then the record, the step's end and the announcement.
async function completeAdoption(live: Live, input: { stepId: string; actor: Actor; amendment: Amendment; confirmChanged: boolean }): Promise<AmendmentView> {
  const { actor, amendment } = input;
  let replaced: string | null = null;
  await editText(live.texts, {
    draftId: amendment.draftId,
    author: { userId: amendment.authorId, delegationCode: amendment.delegationCode },
    key: `amendment-adopted:${amendment.id}`,
    // Checked again against the live text: someone may have typed since.
    change: (current, live) => {
      const place = checkAdoptable(live, amendment, input.confirmChanged);
      replaced = place.current;
      return applyAmendment(current, place, amendment.proposed);
    },
  });
  const recorded = await sql().begin(async (tx) => {
    if (!(await finishStep(tx, input.stepId))) return false;
    await recordAudit(
      {
        actor,
        action: "amendment.adopted",
        target: { type: "amendment", id: amendment.id },
        // `replaced` is unknown when an earlier attempt made the edit and stopped before this.
        details: { draftId: amendment.draftId, number: amendment.number, kind: amendment.kind, quote: amendment.quote, replaced, proposed: amendment.proposed },
      },
      tx,
    );
    return true;
  });
  return recorded ? announce(live, amendment.id, "adopted") : viewOne(amendment.id);
}

// The claim undone: the amendment open again and its step gone, together.
async function undoAdoption(amendment: Amendment, stepId: string): Promise<void> {
  await sql().begin(async (tx) => {
    await tx`
      UPDATE amendments SET status = 'open', decided_by = NULL, decided_at = NULL, updated_at = ${amendment.updatedAt}
      WHERE id = ${amendment.id} AND status = 'adopted'`;
    await dropStep(tx, stepId);
  });
}

function checkAdoptable(text: TextSnapshot, amendment: Amendment, confirmChanged: boolean) {
  const place = placeAmendment(text, amendment.kind, amendment.anchor);
  if (!place) throw new AmendmentGoneError("deleted");
  if (place.current !== amendment.quote && !confirmChanged) {
    throw new AmendmentChangedError({ quote: amendment.quote, current: place.current, proposed: amendment.proposed });
  }
  if (!place.applicable) throw new AmendmentGoneError("split");
  return place;
}

async function close(live: Live, actor: Actor, amendment: Amendment, status: "withdrawn" | "rejected"): Promise<AmendmentView> {
  await sql().begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      UPDATE amendments SET status = ${status}, decided_by = ${actor.id}, decided_at = now(), updated_at = now()
      WHERE id = ${amendment.id} AND status = 'open' RETURNING id`;
    if (!row) throw new AmendmentClosedError(await currentStatus(tx, amendment.id));
    await recordAudit({ actor, action: `amendment.${status}`, target: { type: "amendment", id: amendment.id }, details: { draftId: amendment.draftId, number: amendment.number } }, tx);
  });
  return announce(live, amendment.id, status);
}

async function lockOpen(tx: Queryable, id: string): Promise<void> {
  const [row] = await tx<{ status: AmendmentStatus }[]>`SELECT status FROM amendments WHERE id = ${id} FOR UPDATE`;
  if (!row) throw new Error("The amendment was not found.");
  if (row.status !== "open") throw new AmendmentClosedError(row.status);
}

async function currentStatus(tx: Queryable, id: string): Promise<AmendmentStatus> {
  const [row] = await tx<{ status: AmendmentStatus }[]>`SELECT status FROM amendments WHERE id = ${id}`;
  if (!row) throw new Error("The amendment was not found.");
  return row.status;
}

function viewAmendment(text: TextSnapshot, amendment: Amendment): AmendmentView {
  const place = placeAmendment(text, amendment.kind, amendment.anchor);
  if (!place) return { ...amendment, range: null, current: null, changed: amendment.kind !== "insert" };
  return { ...amendment, range: { from: place.from, to: place.to }, current: place.current, changed: place.current !== amendment.quote };
}

async function viewOne(id: string): Promise<AmendmentView> {
  const rows = await sql()<AmendmentRow[]>`
    SELECT ${amendmentColumns()} FROM amendments a JOIN users u ON u.id = a.author_id LEFT JOIN users d ON d.id = a.decided_by
    WHERE a.id = ${id}`;
  const [amendment] = await withCosponsors(rows);
  if (!amendment) throw new Error("The amendment was not found.");
  const [view] = await viewAmendments(amendment.draftId, [amendment]);
  if (!view) throw new Error("The amendment was not found.");
  return view;
}

async function announce(live: Live, id: string, change: AmendmentChange): Promise<AmendmentView> {
  const view = await viewOne(id);
  live.drafts.publish({ type: "amendment", draftId: view.draftId, change, amendment: view });
  return view;
}

function checkProposed(kind: AmendmentKind, proposed: string): string {
  if (kind === "delete") {
    if (proposed.trim() !== "") throw new AmendmentInputError("proposed", "error.amendment.deletionProposesNothing");
    return "";
  }
  if (proposed.trim() === "") throw new AmendmentInputError("proposed", "error.amendment.proposedRequired");
  if (/[\r\n]/.test(proposed)) throw new AmendmentInputError("proposed", "error.amendment.proposedOneParagraph");
  if (proposed.length > MAX_PROPOSED_LENGTH) throw new AmendmentInputError("proposed", "error.amendment.proposedTooLong", { max: MAX_PROPOSED_LENGTH });
  return proposed;
}

function checkRationale(rationale: string): string {
  const trimmed = rationale.trim();
  if (trimmed === "") throw new AmendmentInputError("rationale", "error.amendment.rationaleRequired");
  if (trimmed.length > MAX_RATIONALE_LENGTH) throw new AmendmentInputError("rationale", "error.amendment.rationaleTooLong", { max: MAX_RATIONALE_LENGTH });
  return trimmed;
}

function amendmentColumns() {
  return sql()`a.id, a.draft_id, a.number, a.kind, a.anchor_start, a.anchor_end, a.quote, a.proposed, a.rationale,
    a.author_id, u.display_name AS author_name, a.delegation_code, a.status, a.decided_by, d.display_name AS decided_by_name,
    a.decided_at, a.created_at, a.updated_at`;
}

async function withCosponsors(rows: AmendmentRow[]): Promise<Amendment[]> {
  if (rows.length === 0) return [];
  const cosponsors = await sql()<{ amendment_id: string; delegation_code: string }[]>`
    SELECT amendment_id, delegation_code FROM amendment_cosponsors
    WHERE amendment_id IN ${sql()(rows.map((row) => row.id))} ORDER BY created_at, delegation_code`;
  return rows.map((row) => ({
    id: row.id,
    draftId: row.draft_id,
    number: row.number,
    kind: row.kind,
    anchor: { start: row.anchor_start, end: row.anchor_end },
    quote: row.quote,
    proposed: row.proposed,
    rationale: row.rationale,
    authorId: row.author_id,
    authorName: row.author_name,
    delegationCode: row.delegation_code,
    cosponsors: cosponsors.filter((cosponsor) => cosponsor.amendment_id === row.id).map((cosponsor) => cosponsor.delegation_code),
    status: row.status,
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

interface AmendmentRow {
  id: string;
  draft_id: string;
  number: number;
  kind: AmendmentKind;
  anchor_start: unknown;
  anchor_end: unknown;
  quote: string;
  proposed: string;
  rationale: string;
  author_id: string;
  author_name: string;
  delegation_code: string;
  status: AmendmentStatus;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  created_at: Date;
  updated_at: Date;
}
