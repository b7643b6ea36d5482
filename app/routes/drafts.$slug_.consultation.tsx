import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateTime } from "~/components/date-time";
import { DispositionTable } from "~/components/disposition-table";
import { FormAlert } from "~/components/form-field";
import { t } from "../../i18n/translate";
import { requireRecentSecondFactor } from "~/utils/step-up.server";
import { StepUpForm } from "~/components/step-up";
import { consultationAction, loadConsultationView, type DispositionLine } from "~/utils/consultation.server";
import { errorsOf, valuesOf } from "~/utils/forms";
import { formAction } from "~/utils/forms.server";
import { notFound, requireUser } from "~/utils/session.server";
import styles from "~/styles/consultation.css?url";
import { findDraftBySlug } from "../../server/domain/drafts";
import { DISPOSITIONS, SECTORS, SUBMISSION_STATUSES } from "../../server/domain/submission-values";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("consultation.title", { draft: data.draft.title })} — ${t("app.name")}` : t("app.name") },
];

/** `/drafts/<slug>/consultation`: moderation and the disposition tables (the secretariat); the tables (delegations). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  const view = await loadConsultationView(user, draft, new URL(request.url));
  return { draft: { slug: draft.slug, title: draft.title }, ...view };
}

export const action = formAction(async ({ context, request, params }) => {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  return consultationAction(context.live, { request, user, draft, requireStepUp: () => requireRecentSecondFactor(context) });
});

export default function ConsultationPage() {
  const { draft, moderates, tables, submissions, filters, clauses } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const done = actionData && "done" in actionData ? actionData.done : null;
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const busy = useNavigation().state === "submitting";
  return (
    <article aria-labelledby="consultation-title" className="consultation-page">
      <p>
        <Link to={`/drafts/${draft.slug}`}>{t("rounds.backToDraft")}</Link>
      </p>
      <h1 id="consultation-title">{t("consultation.heading")}</h1>
      <p className="lead">{draft.title}</p>
      {done ? (
        <div className="alert alert--success" role="status">
          {done}
        </div>
      ) : null}
      <FormAlert message={errors.form ?? (Object.keys(errors).length > 0 ? t("form.errorSummary") : undefined)} />

      {moderates ? (
        <section aria-labelledby="moderation-title" className="panel">
          <h2 id="moderation-title">{t("consultation.moderation")}</h2>
          <Form method="get" className="consultation-filters">
            <label>
              {t("consultation.filter.status")}{" "}
              <select name="status" defaultValue={filters.status}>
                <option value="">{t("consultation.filter.any")}</option>
                {SUBMISSION_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {t(`consultation.status.${status}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("consultation.filter.sector")}{" "}
              <select name="sector" defaultValue={filters.sector}>
                <option value="">{t("consultation.filter.any")}</option>
                {SECTORS.map((sector) => (
                  <option key={sector} value={sector}>
                    {t(`feedback.sector.${sector}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("consultation.filter.clause")}{" "}
              <select name="clause" defaultValue={filters.clause}>
                <option value="">{t("consultation.filter.any")}</option>
                {clauses.map((clause) => (
                  <option key={clause.id} value={clause.id}>
                    {clause.number}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button button--quiet">
              {t("consultation.filter.apply")}
            </button>
          </Form>
          {submissions.length === 0 ? (
            <p className="muted">{t("consultation.noSubmissions")}</p>
          ) : (
            <ol className="submissions">
              {submissions.map((submission) => (
                <li key={submission.id} className="submission" data-status={submission.status} data-testid="submission">
                  <p className="submission__meta">
                    <strong>{t(`consultation.status.${submission.status}`)}</strong> ·{" "}
                    {submission.clauseNumber
                      ? t("consultation.onClause", { number: submission.clauseNumber, version: submission.versionNumber ?? "?" })
                      : t("consultation.onText", { version: submission.versionNumber ?? "?" })}{" "}
                    · <DateTime value={submission.createdAt} />
                  </p>
                  <p>
                    {submission.name}
                    {submission.organisation ? `, ${submission.organisation}` : ""} · {t(`feedback.sector.${submission.sector}`)} ·{" "}
                    <a href={`mailto:${submission.email}`}>{submission.email}</a> ·{" "}
                    {submission.publishName ? t("consultation.mayPublishName") : t("consultation.anonymous")}
                  </p>
                  <p className="pre-line">{submission.comment}</p>
                  <div className="submission__actions">
                    {(["accepted", "rejected", "spam"] as const)
                      .filter((decision) => decision !== submission.status)
                      .map((decision) => (
                        <Form method="post" key={decision}>
                          <input type="hidden" name="intent" value="moderate" />
                          <input type="hidden" name="submissionId" value={submission.id} />
                          <input type="hidden" name="decision" value={decision} />
                          <button type="submit" className={decision === "accepted" ? "button" : decision === "spam" ? "button button--danger" : "button button--quiet"} disabled={busy}>
                            {t(`consultation.decide.${decision}`)}
                          </button>
                        </Form>
                      ))}
                  </div>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}

      <section aria-labelledby="dispositions-title">
        <h2 id="dispositions-title">{t("consultation.dispositions")}</h2>
        <p className="muted">{t("consultation.dispositionsIntro")}</p>
        <p>
          <a href={`/drafts/${draft.slug}/consultation/dispositions.csv`} download>
            {t("consultation.exportCsv")}
          </a>
        </p>
        {tables.length === 0 ? <p className="muted">{t("consultation.noDispositions")}</p> : null}
        {tables.map((table) => (
          <section key={table.versionId} aria-labelledby={`table-v${table.versionNumber}`} className="panel">
            <h3 id={`table-v${table.versionNumber}`}>{t("consultation.tableOf", { number: table.versionNumber })}</h3>
            {table.publishedAt ? (
              <p>
                {t("consultation.publishedAt")} <DateTime value={table.publishedAt} /> —{" "}
                <a href={`/p/${draft.slug}/v/${table.versionNumber}/dispositions`}>{t("consultation.publicPage")}</a>
              </p>
            ) : moderates ? (
              <StepUpForm method="post">
                <input type="hidden" name="intent" value="publish" />
                <input type="hidden" name="versionId" value={table.versionId} />
                <p className="muted">{t("consultation.publishHelp")}</p>
                <button type="submit" className="button button--quiet" disabled={busy}>
                  {t("consultation.publish", { number: table.versionNumber })}
                </button>
              </StepUpForm>
            ) : null}
            <DispositionTable
              caption={t("consultation.tableCaption", { number: table.versionNumber })}
              lines={table.lines}
              answer={moderates ? (line) => <AnswerForm line={line} busy={busy} values={values.submissionId === line.id ? values : {}} errors={values.submissionId === line.id ? errors : {}} /> : undefined}
            />
          </section>
        ))}
      </section>
    </article>
  );
}

function AnswerForm({ line, busy, values, errors }: { line: DispositionLine; busy: boolean; values: Record<string, string>; errors: Record<string, string> }) {
  const id = `answer-${line.id}`;
  return (
    <Form method="post" className="answer-form">
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="submissionId" value={line.id} />
      <label htmlFor={`${id}-disposition`}>{t("consultation.column.disposition")}</label>
      <select id={`${id}-disposition`} name="disposition" defaultValue={values.disposition ?? line.disposition ?? "accepted"}>
        {DISPOSITIONS.map((disposition) => (
          <option key={disposition} value={disposition}>
            {t(`consultation.disposition.${disposition}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-reason`}>{t("consultation.reason")}</label>
      <textarea
        id={`${id}-reason`}
        name="reason"
        rows={3}
        maxLength={5000}
        defaultValue={values.reason ?? line.reason}
        aria-invalid={errors.reason ? true : undefined}
        aria-describedby={errors.reason ? `${id}-error` : undefined}
      />
      {errors.reason ? (
        <p className="field__error" id={`${id}-error`}>
          {errors.reason}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={busy}>
        {line.disposition ? t("consultation.updateAnswer") : t("consultation.saveAnswer")}
      </button>
    </Form>
  );
}
