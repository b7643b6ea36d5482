import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { DateTime } from "~/components/date-time";
import { FormAlert } from "~/components/form-field";
import { PublishVersion } from "~/components/publish-version";
import { VersionCompareForm } from "~/components/version-compare-form";
import { t } from "../../i18n/translate";
import { formAction, parseForm } from "~/utils/forms.server";
import { publicationPanel } from "~/utils/publications.server";
import { authorize } from "~/utils/session.server";
import { errorsOf } from "~/utils/forms";
import { comparePath, versionNameText } from "~/utils/versions";
import { requireVersion, requireVersionsOf, restoreVersionFor, versionListItem } from "~/utils/versions.server";
import { can } from "../../server/auth/policy";
import { listVersionAdoptions } from "../../server/domain/motions";
import { listVersions } from "../../server/domain/versions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("versions.label", { number: data.version.number })} ${data.version.name} — ${data.draft.title} — ${t("app.name")}` : t("app.name") },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, draft } = await requireVersionsOf(context, request, params.slug);
  const version = await requireVersion(draft, params.number);
  const canRestore = can(user, "version.restore", { type: "draft", id: draft.id });
  const versions = await listVersions(draft.id);
  return {
    draft: { slug: draft.slug, title: draft.title, language: draft.language },
    version: { ...versionListItem(version), html: version.html },
    versions: versions.map((item) => ({ number: item.number, name: versionNameText(item.name) })),
    canRestore,
    confirmRestore: canRestore && new URL(request.url).searchParams.get("restore") === "confirm",
    publication: await publicationPanel(user, draft, version),
    adoptions: (await listVersionAdoptions(version.id)).map((adoption) => ({ number: adoption.number, closedAt: adoption.closedAt.toISOString() })),
  };
}

const RestoreForm = z.object({ intent: z.literal("restore") });

export const action = formAction(async ({ context, request, params }) => {
  const { user, draft } = await requireVersionsOf(context, request, params.slug);
  const version = await requireVersion(draft, params.number);
  authorize(user, "version.restore", { type: "draft", id: draft.id });
  await parseForm(request, RestoreForm);
  await restoreVersionFor(context.live, user, draft, version);
  throw redirect(`/drafts/${draft.slug}`);
});

export default function VersionPage() {
  const { draft, version, versions, canRestore, confirmRestore, publication, adoptions } = useLoaderData<typeof loader>();
  // A restore that failed (its change could not be stored) says so here.
  const restoreError = errorsOf(useActionData<typeof action>()).form;
  const label = t("versions.label", { number: version.number });
  return (
    <article aria-labelledby="version-title" className="version-page">
      <p>
        <Link to={`/drafts/${draft.slug}/versions`}>{t("versions.backToList", { title: draft.title })}</Link>
      </p>
      <h1 id="version-title">
        {label} · {version.name}
      </h1>
      {version.note ? <p className="lead">{version.note}</p> : null}
      {adoptions.map((adoption) => (
        <p key={adoption.number} className="alert alert--success" data-testid="version-adopted">
          <Link to={`/drafts/${draft.slug}/motions/${adoption.number}`}>{t("motions.versionAdopted", { motion: `M-${adoption.number}` })}</Link>{" "}
          <DateTime value={adoption.closedAt} />
        </p>
      ))}
      <dl className="facts">
        <dt>{t("versions.savedBy")}</dt>
        <dd>{version.authorName ?? t("versions.automatic")}</dd>
        <dt>{t("versions.savedAt")}</dt>
        <dd>
          <DateTime value={version.createdAt} />
        </dd>
        {version.kind !== "manual" ? (
          <>
            <dt>{t("versions.kindLabel")}</dt>
            <dd>{t(`versions.kind.${version.kind}`)}</dd>
          </>
        ) : null}
        <dt>{t("versions.hash")}</dt>
        <dd>
          <code className="hash">{version.sha256}</code>
        </dd>
      </dl>
      <p className="version-actions">
        <Link to={comparePath(draft.slug, version.number, "live")}>{t("versions.compareWithLive")}</Link>
        {version.number > 1 ? (
          <>
            {" · "}
            <Link to={comparePath(draft.slug, version.number - 1, version.number)}>{t("versions.compareWithPrevious", { number: version.number - 1 })}</Link>
          </>
        ) : null}
        {canRestore && !confirmRestore ? (
          <>
            {" · "}
            <Link to="?restore=confirm">{t("versions.restore", { number: version.number })}</Link>
          </>
        ) : null}
      </p>
      <FormAlert message={restoreError} />
      {confirmRestore ? <ConfirmRestore number={version.number} slug={draft.slug} /> : null}
      <PublishVersion slug={draft.slug} panel={publication} />
      <VersionCompareForm slug={draft.slug} versions={versions} from={String(version.number)} />
      <section aria-label={t("versions.textOf", { label })} className="panel version-text" lang={draft.language} dangerouslySetInnerHTML={{ __html: version.html }} />
    </article>
  );
}

function ConfirmRestore({ number, slug }: { number: number; slug: string }) {
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="restore-title" className="alert alert--info" role="region">
      <h2 id="restore-title">{t("versions.restoreTitle", { number })}</h2>
      <p>{t("versions.restoreExplain", { number })}</p>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="restore" />
        <button type="submit" className="button" disabled={busy}>
          {t("versions.restoreConfirm", { number })}
        </button>
        <Link to={`/drafts/${slug}/versions/${number}`} className="button button--quiet">
          {t("versions.cancel")}
        </Link>
      </Form>
    </section>
  );
}
