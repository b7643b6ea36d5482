import type { LoaderFunctionArgs } from "@remix-run/node";
import { t } from "../../i18n/translate";
import { authorize, getUser } from "~/utils/session.server";
import { listReadableDrafts } from "../../server/domain/drafts";

// Each person gets their own list: never stored by a shared cache.
const HEADERS = { "Cache-Control": "private, no-store" };

/** The drafts the signed-in person may read, as JSON; 401 (not a redirect) when signed out. */
export async function loader({ context }: LoaderFunctionArgs) {
  const user = getUser(context);
  if (!user) throw Response.json({ error: t("drafts.apiSignIn") }, { status: 401, headers: HEADERS });
  authorize(user, "draft.list", { type: "site" });
  const drafts = await listReadableDrafts(user);
  return Response.json(
    drafts.map((draft) => ({ id: draft.id, slug: draft.slug, title: draft.title, updatedAt: draft.updatedAt.toISOString() })),
    { headers: HEADERS },
  );
}
