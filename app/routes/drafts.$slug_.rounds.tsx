import { TableWrap } from "~/components/table-wrap";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateTime, useInBrowser } from "~/components/date-time";
import { FormAlert, FormField, SelectField, TextAreaField } from "~/components/form-field";
import { t } from "../../i18n/translate";
import roundStyles from "~/styles/rounds.css?url";
import { errorsOf, valuesOf } from "~/utils/forms";
import { formAction } from "~/utils/forms.server";
import { loadRoundsView, roundsAction } from "~/utils/rounds.server";
import { notFound, requireUser } from "~/utils/session.server";
import { PHASES } from "../../server/auth/phases";
import { findDraftBySlug } from "../../server/domain/drafts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: roundStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("rounds.title", { draft: data.draft.title })} — ${t("app.name")}` : t("app.name") },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  const view = await loadRoundsView(user, draft);
  return { draft: { slug: draft.slug, title: draft.title }, ...view };
}

export const action = formAction(async ({ context, request, params }) => {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  return roundsAction(context.live, { request, user, draft });
});

export default function RoundsPage() {
  const { draft, rounds, phase, canManage, publishedVersions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const done = actionData && "done" in actionData ? actionData.done : null;
  const values = valuesOf(actionData);
  const errors = errorsOf(actionData);
  const createErrors = values.intent === "create" ? errors : {};
  const general = values.intent === "create" ? undefined : errors.form;
  const busy = useNavigation().state === "submitting";
  const hasCurrentOrNext = rounds.some((round) => round.state !== "ended");
  return (
    <article aria-labelledby="rounds-title" className="rounds-page">
      <p>
        <Link to={`/drafts/${draft.slug}`}>{t("rounds.backToDraft")}</Link>
      </p>
      <h1 id="rounds-title">{t("rounds.heading")}</h1>
      <p className="lead">{draft.title}</p>
      <p>
        <strong>{t("banner.phase", { phase: phase ? t(`rounds.phase.${phase}`) : t("rounds.phase.drafting") })}</strong> —{" "}
        {phase ? t(`rounds.phaseHelp.${phase}`) : t("rounds.phaseHelp.open")}
      </p>
      <p className="muted">{t("rounds.intro")}</p>
      {done ? (
        <div className="alert alert--success" role="status">
          {done}
        </div>
      ) : null}
      <FormAlert message={general} />
      {rounds.length === 0 ? (
        <p>{t("rounds.none")}</p>
      ) : (
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("rounds.columns.name")}</th>
                <th scope="col">{t("rounds.columns.phase")}</th>
                <th scope="col">{t("rounds.columns.starts")}</th>
                <th scope="col">{t("rounds.columns.ends")}</th>
                <th scope="col">{t("rounds.columns.state")}</th>
                {canManage ? <th scope="col">{t("rounds.columns.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {rounds.map((round) => (
                <tr key={round.id} data-state={round.state}>
                  <th scope="row">{round.name}</th>
                  <td>
                    {t(`rounds.phase.${round.phase}`)}
                    {round.versionNumber ? (
                      <>
                        {" "}
                        (<a href={`/p/${draft.slug}/v/${round.versionNumber}`}>{t("rounds.consultationVersion", { number: round.versionNumber })}</a>)
                      </>
                    ) : null}
                  </td>
                  <td>
                    <DateTime value={round.startsAt} />
                  </td>
                  <td>{round.endsAt ? <DateTime value={round.endsAt} /> : t("rounds.noEnd")}</td>
                  <td>{t(`rounds.state.${round.state}`)}</td>
                  {canManage ? (
                    <td>
                      {round.state === "scheduled" ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="cancel" />
                          <input type="hidden" name="roundId" value={round.id} />
                          <button type="submit" className="button button--quiet" disabled={busy}>
                            {t("rounds.cancel")}
                            <span className="visually-hidden"> {round.name}</span>
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {canManage && hasCurrentOrNext ? (
        <Form method="post" className="panel">
          <input type="hidden" name="intent" value="advance" />
          <p className="muted">{t("rounds.advanceHelp")}</p>
          <button type="submit" className="button" disabled={busy}>
            {t("rounds.advance")}
          </button>
        </Form>
      ) : null}
      {canManage ? (
        <NewRoundForm
          values={values.intent === "create" ? values : {}}
          errors={createErrors}
          busy={busy}
          publishedVersions={publishedVersions}
          key={done ?? "new"}
        />
      ) : null}
    </article>
  );
}

function NewRoundForm({
  values,
  errors,
  busy,
  publishedVersions,
}: {
  values: Record<string, string>;
  errors: Record<string, string>;
  busy: boolean;
  publishedVersions: { versionId: string; versionNumber: number; publicTitle: string }[];
}) {
  // Without JavaScript the times are read in UTC; with it, in the browser's own time zone.
  const zone = useInBrowser() ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  return (
    <section aria-labelledby="new-round-title" className="panel">
      <h2 id="new-round-title">{t("rounds.new")}</h2>
      <FormAlert message={errors.form ?? (Object.keys(errors).length > 0 ? t("form.errorSummary") : undefined)} />
      <Form method="post" noValidate className="stack-form">
        <input type="hidden" name="intent" value="create" />
        <input type="hidden" name="timeZone" value={zone} />
        <FormField label={t("rounds.name")} name="name" type="text" required maxLength={200} defaultValue={values.name} error={errors.name} />
        <SelectField
          label={t("rounds.phaseLabel")}
          name="phase"
          defaultValue={values.phase ?? "drafting"}
          error={errors.phase}
          options={PHASES.map((phase) => ({ value: phase, label: t(`rounds.phase.${phase}`) }))}
        />
        <SelectField
          label={t("rounds.versionLabel")}
          name="versionId"
          hint={publishedVersions.length > 0 ? t("rounds.versionHelp") : t("rounds.versionNone")}
          defaultValue={values.versionId ?? ""}
          error={errors.versionId}
          options={[
            { value: "", label: t("rounds.versionNotConsultation") },
            ...publishedVersions.map((version) => ({
              value: version.versionId,
              label: t("rounds.versionOption", { number: version.versionNumber, title: version.publicTitle }),
            })),
          ]}
        />
        <p className="muted" data-testid="round-time-zone">
          {t("rounds.timeZone", { zone })}
        </p>
        <FormField
          label={t("rounds.startsAt")}
          name="startsAt"
          type="datetime-local"
          hint={t("rounds.startsAtHelp")}
          defaultValue={values.startsAt}
          error={errors.startsAt}
        />
        <FormField
          label={t("rounds.endsAt")}
          name="endsAt"
          type="datetime-local"
          hint={t("rounds.endsAtHelp")}
          defaultValue={values.endsAt}
          error={errors.endsAt}
        />
        <TextAreaField
          label={t("rounds.instructions")}
          name="instructions"
          hint={t("rounds.instructionsHelp")}
          rows={4}
          maxLength={5000}
          defaultValue={values.instructions}
          error={errors.instructions}
        />
        <div className="field field--checkbox">
          <input type="checkbox" id="field-observersComment" name="observersComment" defaultChecked={values.observersComment === "on"} />
          <label htmlFor="field-observersComment">{t("rounds.observersComment")}</label>
        </div>
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("rounds.create")}
          </button>
        </div>
      </Form>
    </section>
  );
}
