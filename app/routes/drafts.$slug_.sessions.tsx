import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateTime } from "~/components/date-time";
import { FormAlert } from "~/components/form-field";
import { TableWrap } from "~/components/table-wrap";
import { t } from "../../i18n/translate";
import meetingStyles from "~/styles/meetings.css?url";
import { errorsOf } from "~/utils/forms";
import { formAction } from "~/utils/forms.server";
import { meetingPath } from "~/utils/meetings";
import { loadMeetingsList, openMeetingAction } from "~/utils/meetings.server";
import { notFound, requireUser } from "~/utils/session.server";
import { findDraftBySlug } from "../../server/domain/drafts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: meetingStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("meetings.pageTitle", { draft: data.draft.title })} — ${t("app.name")}` : t("app.name") },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  const view = await loadMeetingsList(user, draft);
  return { draft: { slug: draft.slug, title: draft.title }, ...view };
}

export const action = formAction(async ({ context, request, params }) => {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  return openMeetingAction(context.live, { request, user, draft });
});

export default function MeetingsPage() {
  const { draft, meetings, canOpen, kinds } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const busy = useNavigation().state !== "idle";
  return (
    <article aria-labelledby="meetings-title" className="meetings-page">
      <p>
        <Link to={`/drafts/${draft.slug}`}>{t("meetings.backToDraft")}</Link>
      </p>
      <h1 id="meetings-title">{t("meetings.pageTitle", { draft: draft.title })}</h1>
      <p className="muted">{t("meetings.intro")}</p>
      {meetings.length === 0 ? (
        <p>{t("meetings.none")}</p>
      ) : (
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("meetings.columns.session")}</th>
                <th scope="col">{t("meetings.columns.kind")}</th>
                <th scope="col">{t("meetings.columns.opened")}</th>
                <th scope="col">{t("meetings.columns.state")}</th>
                <th scope="col">{t("meetings.columns.record")}</th>
              </tr>
            </thead>
            <tbody>
              {meetings.map((meeting) => (
                <tr key={meeting.number} data-state={meeting.state}>
                  <th scope="row">
                    <Link to={meetingPath(draft.slug, meeting.number)}>{t("meetings.name", { number: meeting.number })}</Link>
                  </th>
                  <td>{t(`meetings.kind.${meeting.kind}`)}</td>
                  <td>
                    <DateTime value={meeting.openedAt} />
                  </td>
                  <td>{t(`meetings.state.${meeting.state}`)}</td>
                  <td>{meeting.recordState ? t(`meetings.recordState.${meeting.recordState}`) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {canOpen ? (
        <Form method="post" className="meetings-page__open" aria-labelledby="meetings-open">
          <h2 id="meetings-open">{t("meetings.open.title")}</h2>
          <FormAlert message={Object.values(errors)[0]} />
          <input type="hidden" name="intent" value="open" />
          <fieldset>
            <legend>{t("meetings.open.kind")}</legend>
            {kinds.map((kind, index) => (
              <label key={kind} className="choice">
                <input type="radio" name="kind" value={kind} defaultChecked={index === 0} /> {t(`meetings.kind.${kind}`)}
              </label>
            ))}
          </fieldset>
          <p>
            <label htmlFor="meeting-open-limit">{t("meetings.open.limit")}</label>
            <br />
            <input id="meeting-open-limit" name="limit" inputMode="decimal" size={6} aria-describedby="meeting-open-limit-hint" aria-invalid={errors.limit ? true : undefined} />
            <br />
            <span id="meeting-open-limit-hint" className="muted">
              {t("meetings.open.limitHint")}
            </span>
          </p>
          <button type="submit" className="button" disabled={busy}>
            {t("meetings.open.submit")}
          </button>
        </Form>
      ) : null}
    </article>
  );
}
