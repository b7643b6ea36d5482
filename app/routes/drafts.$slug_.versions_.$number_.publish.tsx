import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PublishVersion } from "~/components/publish-version";
import { t } from "../../i18n/translate";
import { errorsOf, valuesOf } from "~/utils/forms";
import { FormRejection, formAction, parseForm } from "~/utils/forms.server";
import { publicationPanel, PublishForm } from "~/utils/publications.server";
import { authorize } from "~/utils/session.server";
import { requireRecentSecondFactor } from "~/utils/step-up.server";
import { requireVersion, requireVersionsOf } from "~/utils/versions.server";
import { AlreadyPublishedError, InvalidVersionTextError, publishVersion } from "../../server/domain/publications";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("publish.pageTitle", { number: data.panel.number, title: data.draft.title })} — ${t("app.name")}` : t("app.name") },
];

/** `GET /drafts/<slug>/versions/<n>/publish`: the secretariat's form to publish a version (where a rejected form comes back to). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, draft } = await requireVersionsOf(context, request, params.slug);
  authorize(user, "publication.create", { type: "draft", id: draft.id });
  const version = await requireVersion(draft, params.number);
  return { draft: { slug: draft.slug, title: draft.title }, panel: await publicationPanel(user, draft, version) };
}

/** `POST /drafts/<slug>/versions/<n>/publish`: publishes the version, then shows it on the public site. */
export const action = formAction(async ({ context, request, params }) => {
  const { user, draft } = await requireVersionsOf(context, request, params.slug);
  authorize(user, "publication.create", { type: "draft", id: draft.id });
  const version = await requireVersion(draft, params.number);
  const input = await parseForm(request, PublishForm);
  requireRecentSecondFactor(context);
  try {
    await publishVersion(context.live, { actor: user, draftId: draft.id, versionNumber: version.number, ...input });
  } catch (error) {
    if (error instanceof AlreadyPublishedError) throw new FormRejection({ form: t("publish.already") }, {}, 409);
    if (error instanceof InvalidVersionTextError) throw new FormRejection({ form: t("publish.invalidText") }, {}, 422);
    throw error;
  }
  throw redirect(`/p/${encodeURIComponent(draft.slug)}/v/${version.number}`);
});

export default function PublishVersionPage() {
  const { draft, panel } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <article aria-labelledby="publish-page-title">
      <p>
        <Link to={`/drafts/${draft.slug}/versions/${panel.number}`}>{t("publish.backToVersion", { number: panel.number })}</Link>
      </p>
      <h1 id="publish-page-title">{t("publish.pageTitle", { number: panel.number, title: draft.title })}</h1>
      <PublishVersion slug={draft.slug} panel={panel} errors={errorsOf(actionData)} values={valuesOf(actionData)} />
    </article>
  );
}
