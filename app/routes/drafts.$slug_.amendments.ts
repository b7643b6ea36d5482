import { issueMessage } from "~/utils/forms.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { t } from "../../i18n/translate";
import { amendmentJson, AmendmentFilters, NewAmendmentInput, withAmendmentErrors } from "~/utils/amendments.server";
import { apiAuthorize, apiError, apiJson, readApiInput, requireApiDraft, requireApiUser } from "~/utils/api.server";
import { listAmendments, tableAmendment } from "../../server/domain/amendments";
import { draftResource } from "../../server/domain/drafts";

/** The amendments of a draft, by number: `?status=open|withdrawn|adopted|rejected&delegation=<cc>` narrows them. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  const query = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ""));
  const filters = AmendmentFilters.safeParse(query);
  if (!filters.success) {
    const [issue] = filters.error.issues;
    const message = issue ? issueMessage(issue) : t("api.invalid");
    throw apiError(400, message, { [String(issue?.path[0] ?? "form")]: message });
  }
  const amendments = await listAmendments({ draftId: draft.id, ...filters.data });
  return apiJson({ amendments: amendments.map((amendment) => amendmentJson(amendment, user, draft.stage)) });
}

/** Tables an amendment for the signed-in person's delegation: `{ kind, from, to, proposed, rationale }`. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  if (request.method !== "POST") throw apiError(405, t("api.unknownIntent"));
  apiAuthorize(user, "amendment.table", draftResource(draft), t("amendments.mayNotTable"));
  const input = await readApiInput(request, NewAmendmentInput);
  const amendment = await withAmendmentErrors(null, () => tableAmendment(context.live, { actor: user, draftId: draft.id, ...input }));
  return apiJson({ amendment: amendmentJson(amendment, user, draft.stage) }, { status: 201 });
}
