import type { Stage } from "../../server/auth/phases";
import { data } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { can, type Actor } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";
import { isEditNotStored } from "../../server/domain/live-texts";
import {
  AMENDMENT_STATUSES,
  AmendmentChangedError,
  AmendmentClosedError,
  AmendmentGoneError,
  AmendmentInputError,
  amendmentLabel,
  amendmentResource,
  adoptAmendment,
  cosponsorAmendment,
  findAmendment,
  listAmendments,
  rejectAmendment,
  tableAmendment,
  withdrawAmendment,
  withdrawCosponsorship,
  MAX_PROPOSED_LENGTH,
  MAX_RATIONALE_LENGTH,
  type Amendment,
  type AmendmentView,
} from "../../server/domain/amendments";
import { listDelegations } from "../../server/domain/delegations";
import { draftResource, type Draft } from "../../server/domain/drafts";
import { confirmMotionsOnAmendment } from "../../server/domain/motions";
import { apiAuthorize, apiError, apiJson } from "./api.server";
import { FormRejection, parseForm, formMessage } from "./forms.server";
import type { Live } from "../../server/live";

const position = (message: string) =>
  z.coerce.number({ invalid_type_error: message, required_error: message }).int(message).min(0, message);

/**
 * A new amendment: what it does, where (a range of ProseMirror positions, or a point `from` for an
 * insertion), the proposed text (plain, one paragraph; none for a deletion) and the rationale.
 */
export const NewAmendmentInput = z
  .object({
    kind: z.enum(["replace", "insert", "delete"], { errorMap: () => ({ message: formMessage("amendments.kindInvalid") }) }),
    from: position(t("amendments.rangeInvalid")),
    to: z.union([z.literal(""), position(t("amendments.rangeInvalid"))]).optional(),
    proposed: z.string({ invalid_type_error: formMessage("amendments.proposedRequired") }).default(""),
    rationale: z
      .string({ required_error: formMessage("amendments.rationaleRequired"), invalid_type_error: formMessage("amendments.rationaleRequired") })
      .trim()
      .min(1, formMessage("amendments.rationaleRequired"))
      .max(MAX_RATIONALE_LENGTH, formMessage("amendments.rationaleTooLong", { max: MAX_RATIONALE_LENGTH })),
  })
  .superRefine((input, context) => {
    const issue = (path: string, message: string) => context.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    const to = input.to === "" || input.to === undefined ? undefined : input.to;
    if (input.kind === "insert" && to !== undefined && to !== input.from) issue("from", t("amendments.pointInvalid"));
    if (input.kind !== "insert" && (to === undefined || to <= input.from)) issue("from", t("amendments.rangeInvalid"));
    if (input.kind === "delete") {
      if (input.proposed.trim() !== "") issue("proposed", t("amendments.proposedNotForDelete"));
      return;
    }
    if (input.proposed.trim() === "") issue("proposed", t("amendments.proposedRequired"));
    else if (/[\r\n]/.test(input.proposed)) issue("proposed", t("amendments.proposedOneParagraph"));
    else if (input.proposed.length > MAX_PROPOSED_LENGTH) issue("proposed", t("amendments.proposedTooLong", { max: MAX_PROPOSED_LENGTH }));
  })
  .transform((input) => ({
    kind: input.kind,
    range: { from: input.from, to: input.kind === "insert" || input.to === "" || input.to === undefined ? input.from : input.to },
    proposed: input.kind === "delete" ? "" : input.proposed,
    rationale: input.rationale,
  }));

/** The list's filters: `?status=open|withdrawn|adopted|rejected&delegation=<cc>`. */
export const AmendmentFilters = z.object({
  status: z.enum(AMENDMENT_STATUSES, { errorMap: () => ({ message: formMessage("amendments.statusInvalid") }) }).optional(),
  delegation: z
    .string()
    .regex(/^[a-z]{2}$/, formMessage("amendments.delegationInvalid"))
    .optional(),
});

/** What to do to an amendment; `confirm` adopts over text changed since tabling. */
export const AmendmentDecision = z.object({
  intent: z.enum(["cosponsor", "withdraw-cosponsorship", "withdraw", "reject", "adopt"], {
    errorMap: () => ({ message: formMessage("api.unknownIntent") }),
  }),
  confirm: z
    .union([z.boolean(), z.enum(["true", "on", "false", ""]).transform((value) => value === "true" || value === "on")])
    .default(false),
});

const PERMISSION = {
  cosponsor: ["amendment.cosponsor", "amendments.mayNotCosponsor"],
  "withdraw-cosponsorship": ["amendment.withdraw-cosponsorship", "amendments.mayNotWithdrawCosponsorship"],
  withdraw: ["amendment.withdraw", "amendments.mayNotWithdraw"],
  reject: ["amendment.decide", "amendments.mayNotDecide"],
  adopt: ["amendment.decide", "amendments.mayNotDecide"],
} as const;

/**
 * Does what `decision` asks to an amendment, for `user`: 409 when it is no longer open, 403 when
 * the policy refuses, and the domain's refusals as `withAmendmentErrors` answers them.
 */
export async function decideAmendment(
  live: Live,
  user: SessionUser,
  draft: Draft,
  amendment: Amendment,
  decision: z.infer<typeof AmendmentDecision>,
): Promise<AmendmentView> {
  const label = amendmentLabel(amendment);
  if (amendment.status !== "open") throw apiError(409, t("amendments.closed", { label, status: amendment.status }));
  const [action, message] = PERMISSION[decision.intent];
  apiAuthorize(user, action, amendmentResource(amendment, draft.stage), t(message));
  return withAmendmentErrors(amendment, async () => {
    switch (decision.intent) {
      case "cosponsor":
        return cosponsorAmendment(live, { actor: user, amendment });
      case "withdraw-cosponsorship":
        return withdrawCosponsorship(live, { actor: user, amendment });
      case "withdraw":
        return withdrawAmendment(live, { actor: user, amendment });
      case "reject":
        return rejectAmendment(live, { actor: user, amendment });
      case "adopt": {
        const adopted = await adoptAmendment(live, { actor: user, amendment, confirmChanged: decision.confirm });
        // A motion that adopted it by vote, waiting for this confirmation, is now applied.
        await confirmMotionsOnAmendment({ actor: user, amendmentId: amendment.id });
        return adopted;
      }
    }
  });
}

/** An amendment of the draft by its number (`12` or `A-12`); otherwise 404. */
export async function requireApiAmendment(draft: Draft, number: string | undefined): Promise<Amendment> {
  const match = /^(?:A-)?([1-9][0-9]{0,8})$/i.exec(number ?? "");
  const amendment = match ? await findAmendment({ draftId: draft.id, number: Number(match[1]) }) : null;
  if (!amendment) throw apiError(404, t("amendments.noAmendment"));
  return amendment;
}

/**
 * Runs a domain write, answering its refusals: 400 for bad input, 409 for an amendment no longer
 * open, a text deleted since tabling, or a text changed since (with the side-by-side to confirm
 * against), 503 for an adoption whose change could not be stored.
 */
export async function withAmendmentErrors<T>(amendment: Pick<Amendment, "number"> | null, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const label = amendment ? amendmentLabel(amendment) : "";
    if (error instanceof AmendmentInputError) {
      const message = t(error.key, error.params);
      throw apiError(400, message, { [error.field === "range" ? "from" : error.field]: message });
    }
    if (error instanceof AmendmentClosedError) throw apiError(409, t("amendments.closed", { label, status: error.status }));
    if (error instanceof AmendmentGoneError) throw apiError(409, t(error.reason === "deleted" ? "amendments.textDeleted" : "amendments.textSplit", { label }));
    // The change could not be stored: the amendment is still open and the text unchanged.
    if (isEditNotStored(error)) throw apiError(503, t("amendments.notStored", { label }));
    if (error instanceof AmendmentChangedError) {
      throw apiJson({ error: t("amendments.changedSinceTabling", { label }), changed: error.sideBySide }, { status: 409 });
    }
    throw error;
  }
}

/** An amendment as the JSON API and the event stream send it to one viewer. */
export function amendmentJson(amendment: AmendmentView, viewer: Actor, stage: Stage) {
  const resource = amendmentResource(amendment, stage);
  return {
    number: amendment.number,
    label: amendmentLabel(amendment),
    kind: amendment.kind,
    status: amendment.status,
    quote: amendment.quote,
    proposed: amendment.proposed,
    rationale: amendment.rationale,
    range: amendment.range,
    current: amendment.current,
    changed: amendment.changed,
    anchor: amendment.anchor,
    delegation: amendment.delegationCode,
    cosponsors: amendment.cosponsors,
    author: { id: amendment.authorId, name: amendment.authorName },
    decidedBy: amendment.decidedBy ? { id: amendment.decidedBy, name: amendment.decidedByName } : null,
    decidedAt: amendment.decidedAt?.toISOString() ?? null,
    createdAt: amendment.createdAt.toISOString(),
    updatedAt: amendment.updatedAt.toISOString(),
    can: {
      cosponsor: can(viewer, "amendment.cosponsor", resource),
      withdrawCosponsorship: can(viewer, "amendment.withdraw-cosponsorship", resource),
      withdraw: can(viewer, "amendment.withdraw", resource),
      decide: can(viewer, "amendment.decide", resource),
    },
  };
}

/** An amendment as the JSON API sends it. */
export type AmendmentJson = ReturnType<typeof amendmentJson>;

/** What the draft page loads of amendments: all of them, the delegations' names and colours, what the viewer may do. */
export async function loadAmendmentsView(user: SessionUser, draft: Draft) {
  const [amendments, delegations] = await Promise.all([listAmendments({ draftId: draft.id }), listDelegations()]);
  return {
    amendments: amendments.map((amendment) => amendmentJson(amendment, user, draft.stage)),
    delegations: delegations.map((delegation) => ({ code: delegation.code, name: delegation.shortName, colour: delegation.colour })),
    canTable: can(user, "amendment.table", draftResource(draft)),
  };
}

const AmendmentForm = AmendmentDecision.extend({ number: z.string().max(12) });

/**
 * The draft page's amendment forms (they work without JavaScript): `intent=amendment-<decision>`
 * with `number` acts on an amendment, `intent=amendment-table` tables one. The same rules and
 * answers as the JSON API, as field errors the page shows; a text changed since tabling answers
 * with the side-by-side, for the secretariat to confirm.
 */
export async function amendmentPageAction(live: Live, { request, user, draft, intent }: { request: Request; user: SessionUser; draft: Draft; intent: string }) {
  let number = "";
  try {
    if (intent === "amendment-table") {
      apiAuthorize(user, "amendment.table", draftResource(draft), t("amendments.mayNotTable"));
      const input = await parseForm(request, NewAmendmentInput);
      const amendment = await withAmendmentErrors(null, () => tableAmendment(live, { actor: user, draftId: draft.id, ...input }));
      return data({ tabled: amendmentJson(amendment, user, draft.stage) });
    }
    const form = await parseForm(request, AmendmentForm.omit({ intent: true }));
    number = form.number;
    const parsed = AmendmentDecision.safeParse({ intent: intent.slice("amendment-".length), confirm: form.confirm });
    if (!parsed.success) throw new FormRejection({ form: t("api.unknownIntent") }, { number });
    const amendment = await requireApiAmendment(draft, form.number);
    return data({ number, amendment: amendmentJson(await decideAmendment(live, user, draft, amendment, parsed.data), user, draft.stage) });
  } catch (error) {
    if (!(error instanceof Response)) throw error;
    // The JSON API's refusals, as the page shows them.
    const body = (await error.json()) as { error: string; fields?: Record<string, string>; changed?: unknown };
    // Not a failure of the page but a question to the secretariat: the page asks it with a 200.
    if (body.changed) return data({ number, changed: body.changed as SideBySide, error: body.error });
    throw new FormRejection({ ...body.fields, form: body.error }, { number, intent }, error.status);
  }
}

/** The tabled quote, the text now and the proposed text, for the secretariat to compare. */
export interface SideBySide {
  quote: string;
  current: string;
  proposed: string;
}
