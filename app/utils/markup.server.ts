import type { AppLoadContext } from "@remix-run/node";
import { authorize, notFound, requireUser } from "~/utils/session.server";
import type { SessionUser } from "../../server/auth/session";
import { can } from "../../server/auth/policy";
import { draftResource, findDraftBySlug, type Draft } from "../../server/domain/drafts";

/**
 * A delegation member who may table amendments on the draft, for the marked-up Word file pages:
 * 404 for a draft that does not exist or that they may not read, 403 when they may not table.
 */
export async function requireTablingDraft(context: AppLoadContext, request: Request, slug: string | undefined): Promise<{ user: SessionUser; draft: Draft }> {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(slug ?? "");
  if (!draft || !can(user, "draft.read", { type: "draft", id: draft.id })) throw notFound();
  authorize(user, "amendment.table", draftResource(draft));
  return { user, draft };
}
