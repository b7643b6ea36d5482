import { data } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { authorize } from "~/utils/session.server";
import { can } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";
import {
  CLAUSE_STATUSES,
  clauseStatusVersion,
  InvalidReservationError,
  OpenBracketsError,
  listClauseStatuses,
  listDraftClauses,
  setClauseStatus,
  summariseClauseStatuses,
  UnknownClauseError,
} from "../../server/domain/clause-status";
import { listDelegations } from "../../server/domain/delegations";
import type { Draft } from "../../server/domain/drafts";
import { FormRejection, fields, parseForm } from "./forms.server";
import type { Live } from "../../server/live";

/** The checkbox of a reserving delegation is named `reserve-<code>`. */
export const RESERVE_FIELD_PREFIX = "reserve-";

const ClauseStatusForm = z
  .object({
    intent: z.literal("clause-status"),
    clauseId: fields.text(64),
    status: fields.choice(CLAUSE_STATUSES),
  })
  .passthrough();

/** What the draft page shows of clause status: the clauses in order, each with its status, and the counts. */
export async function loadClauseStatusView(user: SessionUser, draft: Draft) {
  if (!can(user, "clause.view-status", { type: "draft", id: draft.id })) return null;
  // The version is read first: a status set meanwhile makes the page reload again, never miss it.
  const version = await clauseStatusVersion(draft.id);
  const [clauses, statuses, delegations] = await Promise.all([
    listDraftClauses(draft.id),
    listClauseStatuses(draft.id),
    listDelegations(),
  ]);
  const byClause = new Map(statuses.map((status) => [status.clauseId, status]));
  return {
    version,
    summary: summariseClauseStatuses(clauses, statuses),
    clauses: clauses.map((clause) => ({
      ...clause,
      status: byClause.get(clause.id)?.status ?? "pending",
      reservingDelegations: byClause.get(clause.id)?.reservingDelegations ?? [],
    })),
    delegations: delegations.map((delegation) => ({ code: delegation.code, name: delegation.shortName })),
    canSet: can(user, "clause.set-status", { type: "draft", id: draft.id }),
  };
}

/**
 * The secretariat records a clause's status from the draft page: 403 for anyone else, 404 for a
 * clause that is not in the text, 400 with field errors for a bad status or reservation.
 */
export async function clauseStatusAction(live: Live, { request, user, draft }: { request: Request; user: SessionUser; draft: Draft }) {
  authorize(user, "clause.set-status", { type: "draft", id: draft.id });
  const form = await parseForm(request, ClauseStatusForm);
  const values = { clauseId: form.clauseId, status: form.status };
  const requested = Object.keys(form)
    .filter((name) => name.startsWith(RESERVE_FIELD_PREFIX))
    .map((name) => name.slice(RESERVE_FIELD_PREFIX.length));
  const known = new Set((await listDelegations()).map((delegation) => delegation.code));
  if (requested.some((code) => !known.has(code))) {
    throw new FormRejection({ reservingDelegations: t("clauseStatus.unknownDelegation") }, values);
  }
  if (form.status === "reserved" && requested.length === 0) {
    throw new FormRejection({ reservingDelegations: t("clauseStatus.reserveSomeone") }, values);
  }
  try {
    const stored = await setClauseStatus(live, {
      actor: user,
      draftId: draft.id,
      clauseId: form.clauseId,
      status: form.status,
      reservingDelegations: requested,
    });
    return data({ saved: { clauseId: stored.clauseId, status: stored.status } });
  } catch (error) {
    if (error instanceof UnknownClauseError) throw new FormRejection({ form: t(error.key, error.params) }, values, 404);
    if (error instanceof InvalidReservationError) throw new FormRejection({ reservingDelegations: t(error.key, error.params) }, values);
    if (error instanceof OpenBracketsError) throw new FormRejection({ status: t(error.key, error.params) }, values, 409);
    throw error;
  }
}
