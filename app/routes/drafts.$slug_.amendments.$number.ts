import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { amendmentJson, AmendmentDecision, decideAmendment, requireApiAmendment } from "~/utils/amendments.server";
import { apiError, apiJson, readApiInput, requireApiDraft, requireApiUser } from "~/utils/api.server";
import { viewAmendments } from "../../server/domain/amendments";

/** One amendment of the draft, by number (`12` or `A-12`). */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  const amendment = await requireApiAmendment(draft, params.number);
  const [view] = await viewAmendments(draft.id, [amendment]);
  if (!view) throw apiError(404, t("amendments.noAmendment"));
  return apiJson({ amendment: amendmentJson(view, user, draft.stage) });
}

/**
 * Acts on an amendment: POST or PATCH `{ intent }`, one of cosponsor, withdraw-cosponsorship,
 * withdraw, reject, adopt (with `confirm: true` to adopt over text changed since tabling).
 */
export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  if (request.method !== "POST" && request.method !== "PATCH") throw apiError(405, t("api.unknownIntent"));
  const amendment = await requireApiAmendment(draft, params.number);
  const decision: z.infer<typeof AmendmentDecision> = await readApiInput(request, AmendmentDecision);
  const view = await decideAmendment(context.live, user, draft, amendment, decision);
  return apiJson({ amendment: amendmentJson(view, user, draft.stage) });
}
