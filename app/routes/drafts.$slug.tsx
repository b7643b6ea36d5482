import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DateTime } from "~/components/date-time";
import { t } from "~/i18n/translate";
import { authorize, notFound, requireUser } from "~/utils/session.server";
import { findDraftBySlug } from "../../server/domain/drafts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.draft.title} — ${t("app.name")}` : t("app.name") },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  authorize(user, "draft.read", { type: "draft", id: draft.id });
  return {
    draft: { slug: draft.slug, title: draft.title, createdAt: draft.createdAt, updatedAt: draft.updatedAt },
  };
}

export default function DraftPage() {
  const { draft } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="draft-title">
      <p>
        <Link to="/drafts">{t("draft.backToList")}</Link>
      </p>
      <h1 id="draft-title">{draft.title}</h1>
      <dl className="facts">
        <dt>{t("draft.slug")}</dt>
        <dd>
          <code>/drafts/{draft.slug}</code>
        </dd>
        <dt>{t("draft.created")}</dt>
        <dd>
          <DateTime value={draft.createdAt} />
        </dd>
        <dt>{t("draft.updated")}</dt>
        <dd>
          <DateTime value={draft.updatedAt} />
        </dd>
      </dl>
    </article>
  );
}
