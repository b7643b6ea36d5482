import { TableWrap } from "~/components/table-wrap";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateTime, useInBrowser } from "~/components/date-time";
import { FormAlert, FormField, SelectField } from "~/components/form-field";
import { t } from "../../i18n/translate";
import motionStyles from "~/styles/motions.css?url";
import roundStyles from "~/styles/rounds.css?url";
import { errorsOf, valuesOf } from "~/utils/forms";
import { formAction } from "~/utils/forms.server";
import { loadMotionsView, putMotionAction } from "~/utils/motions.server";
import { notFound, requireUser } from "~/utils/session.server";
import { findDraftBySlug } from "../../server/domain/drafts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: roundStyles },
  { rel: "stylesheet", href: motionStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("motions.title", { draft: data.draft.title })} — ${t("app.name")}` : t("app.name") },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  const view = await loadMotionsView(user, draft);
  return { draft: { slug: draft.slug, title: draft.title }, ...view };
}

export const action = formAction(async ({ context, request, params }) => {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  return putMotionAction(context.live, { request, user, draft });
});

export default function MotionsPage() {
  const { draft, motions, canPut, isSecretariat, options } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <article aria-labelledby="motions-title" className="motions-page">
      <p>
        <Link to={`/drafts/${draft.slug}`}>{t("motions.backToDraft")}</Link>
      </p>
      <h1 id="motions-title">{t("motions.heading")}</h1>
      <p className="lead">{draft.title}</p>
      <p className="muted">{t("motions.intro")}</p>
      {motions.length === 0 ? (
        <p>{t("motions.none")}</p>
      ) : (
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("motions.columns.motion")}</th>
                <th scope="col">{t("motions.columns.subject")}</th>
                <th scope="col">{t("motions.columns.rule")}</th>
                <th scope="col">{t("motions.columns.deadline")}</th>
                <th scope="col">{t("motions.columns.state")}</th>
              </tr>
            </thead>
            <tbody>
              {motions.map((motion) => (
                <tr key={motion.number} data-state={motion.status}>
                  <th scope="row">
                    <Link to={`/drafts/${draft.slug}/motions/${motion.number}`}>{motion.label}</Link>
                  </th>
                  <td>{motion.subject}</td>
                  <td>{t(`motions.rule.${motion.rule}`)}</td>
                  <td>
                    <DateTime value={motion.deadline} />
                  </td>
                  <td>{motion.outcome ? t(`motions.outcome.${motion.outcome}`) : t(`motions.state.${motion.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {canPut ? (
        <PutMotionForm options={options} values={valuesOf(actionData)} errors={errorsOf(actionData)} />
      ) : isSecretariat ? (
        <p className="panel muted">{t("motions.put.notVoting")}</p>
      ) : null}
    </article>
  );
}

type Option = { value: string; label: string };

function PutMotionForm({ options, values, errors }: { options: { amendments: Option[]; clauses: Option[]; versions: Option[]; brackets: Option[] }; values: Record<string, string>; errors: Record<string, string> }) {
  // Without JavaScript the deadline is read in UTC; with it, in the browser's own time zone.
  const zone = useInBrowser() ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  const busy = useNavigation().state === "submitting";
  const choose = { value: "", label: t("motions.choose") };
  return (
    <section aria-labelledby="put-motion-title" className="panel">
      <h2 id="put-motion-title">{t("motions.put")}</h2>
      <p className="muted">{t("motions.putHelp")}</p>
      <FormAlert message={errors.form ?? (Object.keys(errors).length > 0 ? t("form.errorSummary") : undefined)} />
      <Form method="post" noValidate className="stack-form">
        <input type="hidden" name="intent" value="put" />
        <input type="hidden" name="timeZone" value={zone} />
        <SelectField
          label={t("motions.subjectLabel")}
          name="subject"
          defaultValue={values.subject ?? "amendment"}
          error={errors.subject}
          options={(["amendment", "clause", "version", "bracket"] as const).map((kind) => ({ value: kind, label: t(`motions.subjectKind.${kind}`) }))}
        />
        <SelectField label={t("motions.amendmentLabel")} name="amendment" defaultValue={values.amendment ?? ""} error={errors.amendment} options={[choose, ...options.amendments]} />
        <SelectField label={t("motions.clauseLabel")} name="clause" defaultValue={values.clause ?? ""} error={errors.clause} options={[choose, ...options.clauses]} />
        <SelectField label={t("motions.versionLabel")} name="version" defaultValue={values.version ?? ""} error={errors.version} options={[choose, ...options.versions]} />
        <SelectField label={t("motions.bracketLabel")} name="bracket" defaultValue={values.bracket ?? ""} error={errors.bracket} options={[choose, ...options.brackets]} />
        <SelectField
          label={t("motions.ruleLabel")}
          name="rule"
          defaultValue={values.rule ?? "majority"}
          error={errors.rule}
          options={(["consensus", "majority", "two-thirds"] as const).map((rule) => ({ value: rule, label: `${t(`motions.rule.${rule}`)} — ${t(`motions.ruleHelp.${rule}`)}` }))}
        />
        <FormField label={t("motions.quorumLabel")} name="quorum" type="number" defaultValue={values.quorum ?? "5"} error={errors.quorum} />
        <FormField label={t("motions.deadlineLabel")} name="deadline" type="datetime-local" hint={t("motions.deadlineHelp", { zone })} defaultValue={values.deadline} error={errors.deadline} />
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("motions.put")}
          </button>
        </div>
      </Form>
    </section>
  );
}
