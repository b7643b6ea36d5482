import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateTime, useInBrowser } from "~/components/date-time";
import { FormAlert } from "~/components/form-field";
import { MeetingAnnouncer, MeetingPanel, useMeeting } from "~/components/meeting-panel";
import { t } from "../../i18n/translate";
import meetingStyles from "~/styles/meetings.css?url";
import { errorsOf } from "~/utils/forms";
import { formAction } from "~/utils/forms.server";
import { loadMeetingDetail, meetingAction } from "~/utils/meetings.server";
import { notFound, requireUser } from "~/utils/session.server";
import { findDraftBySlug } from "../../server/domain/drafts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: meetingStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("meetings.name", { number: data.meeting.number })} — ${data.draft.title} — ${t("app.name")}` : t("app.name") },
];

function sessionNumber(value: string | undefined): number {
  if (!/^\d{1,9}$/.test(value ?? "")) throw notFound();
  return Number(value);
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  const detail = await loadMeetingDetail(user, draft, sessionNumber(params.number));
  return { draft: { slug: draft.slug, title: draft.title }, ...detail };
}

export const action = formAction(async ({ context, request, params }) => {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  return meetingAction(context.live, { request, user, draft, number: sessionNumber(params.number) });
});

export default function MeetingPage() {
  const { draft, meeting, attendance, speeches, record, canManageRecord, live } = useLoaderData<typeof loader>();
  const liveMeeting = useMeeting(draft.slug, live);
  const name = t("meetings.name", { number: meeting.number });
  return (
    <article aria-labelledby="meeting-title" className="meeting-page">
      <p>
        <Link to={`/drafts/${draft.slug}/sessions`}>{t("meetings.backToList")}</Link>
      </p>
      <h1 id="meeting-title">
        {name}: {t(`meetings.kind.${meeting.kind}`)}
      </h1>
      <p className="lead">{draft.title}</p>
      <dl className="meeting-page__facts">
        <dt>{t("meetings.columns.state")}</dt>
        <dd data-testid="meeting-state">{t(`meetings.state.${meeting.state}`)}</dd>
        <dt>{t("meetings.detail.chair")}</dt>
        <dd>{meeting.chair}</dd>
        <dt>{t("meetings.detail.opened")}</dt>
        <dd>
          <DateTime value={meeting.openedAt} />
        </dd>
        {meeting.closedAt ? (
          <>
            <dt>{t("meetings.detail.closed")}</dt>
            <dd>
              <DateTime value={meeting.closedAt} />
            </dd>
          </>
        ) : null}
        <dt>{t("meetings.detail.attendance")}</dt>
        <dd>{attendance.length ? attendance.join(", ") : t("meetings.panel.presentNone")}</dd>
      </dl>
      <MeetingAnnouncer announcement={liveMeeting.announcement} />
      {liveMeeting.view ? (
        <>
          <p>
            <Link to={`/drafts/${draft.slug}`}>{t("meetings.followInText")}</Link>
          </p>
          <MeetingPanel slug={draft.slug} view={liveMeeting.view} skewMs={liveMeeting.skewMs} editor={null} />
        </>
      ) : null}
      <h2>{t("meetings.detail.speakers")}</h2>
      {speeches.length === 0 ? (
        <p className="muted">{t("meetings.detail.noSpeakers")}</p>
      ) : (
        <ol data-testid="meeting-speeches">
          {speeches.map((speech) => (
            <li key={speech.id}>
              {speech.clause ? t("meetings.detail.spokeOn", { delegation: speech.delegation, number: speech.clause }) : t("meetings.detail.spokeGeneral", { delegation: speech.delegation })}
              {speech.kind === "reply" ? ` (${t("meetings.panel.reply")})` : ""}
            </li>
          ))}
        </ol>
      )}
      <RecordSection slug={draft.slug} meeting={meeting} record={record} canManage={canManageRecord} />
    </article>
  );
}

type Detail = ReturnType<typeof useLoaderData<typeof loader>>;

function RecordSection({ slug, meeting, record, canManage }: { slug: string; meeting: Detail["meeting"]; record: Detail["record"]; canManage: boolean }) {
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const busy = useNavigation().state !== "idle";
  const zone = useInBrowser() ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  const base = `/drafts/${slug}/sessions/${meeting.number}`;
  return (
    <section aria-labelledby="record-title" className="meeting-page__record">
      <h2 id="record-title">{t("meetings.record.title")}</h2>
      <FormAlert message={Object.values(errors)[0]} />
      {meeting.state !== "closed" ? (
        <p className="muted">{t("meetings.record.notYet")}</p>
      ) : !record ? (
        <>
          <p>{t("meetings.record.missing")}</p>
          {canManage ? (
            <Form method="post">
              <input type="hidden" name="intent" value="draft-record" />
              <button type="submit" className="button" disabled={busy}>
                {t("meetings.record.draftNow")}
              </button>
            </Form>
          ) : null}
        </>
      ) : (
        <>
          <p data-testid="record-state">
            {meeting.recordState === "circulated" && meeting.correctionsDue ? (
              <>
                {t("meetings.record.state.circulated")} {t("common.label", { label: t("meetings.record.correctionsDueBy") })}
                <DateTime value={meeting.correctionsDue} />
              </>
            ) : meeting.recordState === "final" ? (
              t("meetings.record.state.final", { version: meeting.recordVersion ?? 0 })
            ) : (
              t("meetings.record.state.drafted")
            )}
          </p>
          <p>
            <Link to={`/drafts/${record.slug}`}>{t("meetings.record.open")}</Link>
          </p>
          {meeting.recordState === "final" ? (
            <ul className="meeting-page__downloads">
              <li>
                <a href={`${base}/record.pdf`} download>
                  {t("meetings.record.downloadPdf")}
                </a>
              </li>
              <li>
                <a href={`${base}/record.docx`} download>
                  {t("meetings.record.downloadDocx")}
                </a>
              </li>
            </ul>
          ) : null}
          {canManage && meeting.recordState === "drafted" ? (
            <Form method="post" className="meeting-page__circulate">
              <input type="hidden" name="intent" value="circulate" />
              <input type="hidden" name="timeZone" value={zone} />
              <label htmlFor="record-due">{t("meetings.record.dueLabel")}</label>
              <input id="record-due" name="due" type="datetime-local" required aria-describedby="record-due-hint" aria-invalid={errors.due ? true : undefined} />
              <p id="record-due-hint" className="muted">
                {t("meetings.record.dueHint")}
              </p>
              <button type="submit" className="button" disabled={busy}>
                {t("meetings.record.circulate")}
              </button>
            </Form>
          ) : null}
          {canManage && meeting.recordState === "circulated" ? (
            <Form method="post">
              <p className="muted">{t("meetings.record.finaliseIntro")}</p>
              <input type="hidden" name="intent" value="finalise" />
              <button type="submit" className="button" disabled={busy}>
                {t("meetings.record.finalise")}
              </button>
            </Form>
          ) : null}
        </>
      )}
    </section>
  );
}
