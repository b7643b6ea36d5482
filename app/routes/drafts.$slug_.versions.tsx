import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateTime } from "~/components/date-time";
import { FormAlert, FormField, TextAreaField } from "~/components/form-field";
import { VersionCompareForm } from "~/components/version-compare-form";
import { t } from "../../i18n/translate";
import { errorsOf, valuesOf } from "~/utils/forms";
import { formAction, parseForm } from "~/utils/forms.server";
import { authorize } from "~/utils/session.server";
import { redirectToComparison, requireVersionsOf, SaveVersionForm, versionListItem } from "~/utils/versions.server";
import { can } from "../../server/auth/policy";
import { draftResource } from "../../server/domain/drafts";
import { listVersions, MAX_VERSION_NAME_LENGTH, MAX_VERSION_NOTE_LENGTH, saveVersion } from "../../server/domain/versions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("versions.title", { title: data.draft.title })} — ${t("app.name")}` : t("app.name") },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, draft } = await requireVersionsOf(context, request, params.slug);
  redirectToComparison(new URL(request.url), draft.slug);
  const versions = await listVersions(draft.id);
  return {
    draft: { slug: draft.slug, title: draft.title },
    versions: versions.map(versionListItem),
    save: can(user, "version.save", draftResource(draft)) ? { maxName: MAX_VERSION_NAME_LENGTH, maxNote: MAX_VERSION_NOTE_LENGTH } : null,
  };
}

export const action = formAction(async ({ context, request, params }) => {
  const { user, draft } = await requireVersionsOf(context, request, params.slug);
  authorize(user, "version.save", draftResource(draft));
  const input = await parseForm(request, SaveVersionForm);
  const version = await saveVersion(context.live, { actor: user, draftId: draft.id, name: input.name, note: input.note, kind: "manual" });
  throw redirect(`/drafts/${draft.slug}/versions/${version.number}`);
});

export default function VersionsPage() {
  const { draft, versions, save } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="versions-title">
      <p>
        <Link to={`/drafts/${draft.slug}`}>{t("versions.backToDraft", { title: draft.title })}</Link>
      </p>
      <h1 id="versions-title">{t("versions.title", { title: draft.title })}</h1>
      <p className="lead">{t("versions.intro")}</p>
      {save ? <SaveVersion maxName={save.maxName} maxNote={save.maxNote} /> : null}
      <section aria-labelledby="versions-list-title" className="panel">
        <h2 id="versions-list-title">{t("versions.listTitle")}</h2>
        {versions.length === 0 ? (
          <p className="muted">{t("versions.empty")}</p>
        ) : (
          <>
            <VersionCompareForm slug={draft.slug} versions={versions} />
            <TableWrap>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("versions.column.version")}</th>
                    <th scope="col">{t("versions.column.name")}</th>
                    <th scope="col">{t("versions.column.saved")}</th>
                    <th scope="col">{t("versions.column.hash")}</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((version) => (
                    <tr key={version.number}>
                      <td className="nowrap">
                        <Link to={`/drafts/${draft.slug}/versions/${version.number}`}>{t("versions.label", { number: version.number })}</Link>
                      </td>
                      <td>
                        <strong>{version.name}</strong>
                        {version.kind !== "manual" ? <span className="badge">{t(`versions.kind.${version.kind}`)}</span> : null}
                        {version.note ? <p className="muted version-note">{version.note}</p> : null}
                      </td>
                      <td>
                        {version.authorName ?? t("versions.automatic")}
                        <br />
                        <DateTime value={version.createdAt} />
                      </td>
                      <td>
                        <code className="hash" title={version.sha256}>
                          {version.sha256.slice(0, 12)}
                        </code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </section>
    </article>
  );
}

function SaveVersion({ maxName, maxNote }: { maxName: number; maxNote: number }) {
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="save-version-title" className="panel">
      <h2 id="save-version-title">{t("versions.saveTitle")}</h2>
      <p className="muted">{t("versions.saveIntro")}</p>
      <FormAlert message={errors.form} />
      <Form method="post" noValidate className="stack-form">
        <input type="hidden" name="intent" value="save" />
        <FormField
          label={t("versions.nameLabel")}
          name="name"
          type="text"
          required
          maxLength={maxName}
          defaultValue={values.name}
          error={errors.name}
        />
        <TextAreaField
          label={t("versions.noteLabel")}
          name="note"
          maxLength={maxNote}
          hint={t("versions.noteHint")}
          defaultValue={values.note}
          error={errors.note}
        />
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("versions.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
