import { publicPath } from "~/utils/public-language";
import { data, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useRouteError, useParams } from "@remix-run/react";
import { DateTime } from "~/components/date-time";
import { FormAlert, FormField, SelectField, TextAreaField } from "~/components/form-field";
import { t } from "../../i18n/translate";
import { HONEYPOT_FIELD } from "~/utils/feedback";
import { closedConsultation, consultationState, feedbackAction, feedbackClause } from "~/utils/feedback.server";
import { errorsOf, valuesOf } from "~/utils/forms";
import { formAction } from "~/utils/forms.server";
import { requirePublishedText, versionNumberParam } from "~/utils/public.server";
import { getUser, requireAddressLanguage } from "~/utils/session.server";
import styles from "~/styles/public.css?url";
import { ErrorBoundary as SiteErrorBoundary } from "~/root";
import { SECTORS, SUBMISSION_LIMITS } from "../../server/domain/submission-values";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: page && "publicTitle" in page ? `${t("feedback.title", { title: page.publicTitle })} — ${t("app.name")}` : t("app.name") },
  { name: "robots", content: "noindex" },
];

// The form depends on the phase, and a rate-limited post says when to try again.
export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders, errorHeaders }) => {
  const headers = new Headers(errorHeaders ?? loaderHeaders);
  headers.set("Cache-Control", "no-store");
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

/**
 * `GET /p/<slug>/v/<n>/feedback[?clause=<id>]`: the feedback form while the version is open to
 * public consultation; `?sent=1` is the thank-you page. 410 once its consultation has closed, 404
 * for a version never consulted on (or not published) and for a clause not in it.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireAddressLanguage(params);
  const text = await requirePublishedText(params.slug, versionNumberParam(params.n));
  const url = new URL(request.url);
  const page = { slug: text.draftSlug, versionNumber: text.versionNumber, publicTitle: text.publicTitle };
  if (url.searchParams.get("sent") === "1") return data({ ...page, sent: true as const });
  const state = await consultationState(text, getUser(context));
  if (!state.open) return closedConsultation(text);
  const clause = feedbackClause(text, url.searchParams.get("clause"));
  return data({ ...page, sent: false as const, clause, endsAt: state.open.endsAt });
}

export const action = formAction(async ({ params, request, context }) => {
  requireAddressLanguage(params);
  const text = await requirePublishedText(params.slug, versionNumberParam(params.n));
  const state = await consultationState(text, getUser(context));
  if (!state.open) return closedConsultation(text);
  return feedbackAction({ request, text, roundId: state.open.roundId, address: context.clientAddress, lang: params.lang });
});

export default function FeedbackPage() {
  const { lang } = useParams();
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const versionUrl = publicPath(`/p/${encodeURIComponent(page.slug)}/v/${page.versionNumber}`, lang);
  if (page.sent) {
    return (
      <article className="published feedback" aria-labelledby="feedback-title">
        <h1 id="feedback-title">{t("feedback.thanksTitle")}</h1>
        <p className="lead" role="status">
          {t("feedback.thanks")}
        </p>
        <p>{t("feedback.thanksNext")}</p>
        <p>
          <a href={versionUrl}>{t("feedback.backToText", { title: page.publicTitle })}</a>
        </p>
      </article>
    );
  }
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const clauseValue = values.clause ?? page.clause?.id ?? "";
  return (
    <article className="published feedback" aria-labelledby="feedback-title">
      <p>
        <a href={page.clause ? `${versionUrl}#clause-${page.clause.id}` : versionUrl}>{t("feedback.backToText", { title: page.publicTitle })}</a>
      </p>
      <h1 id="feedback-title">{page.clause ? t("feedback.headingClause", { number: page.clause.number }) : t("feedback.headingText")}</h1>
      <p className="lead">{t("feedback.about", { title: page.publicTitle, number: page.versionNumber })}</p>
      {page.clause ? (
        <blockquote className="feedback__clause">
          <p>{page.clause.text}</p>
        </blockquote>
      ) : null}
      <p>
        {page.endsAt ? (
          <>
            {t("feedback.closesAt")} <DateTime value={page.endsAt} />.
          </>
        ) : (
          t("feedback.closesWithRound")
        )}
      </p>
      <p className="muted">{t("feedback.privacy")}</p>
      <FormAlert message={errors.form ?? (Object.keys(errors).length > 0 ? t("form.errorSummary") : undefined)} />
      <Form method="post" noValidate className="stack-form panel">
        <input type="hidden" name="clause" value={clauseValue} />
        <FormField label={t("feedback.name")} name="name" required maxLength={SUBMISSION_LIMITS.name} autoComplete="name" defaultValue={values.name} error={errors.name} />
        <FormField
          label={t("feedback.organisation")}
          name="organisation"
          maxLength={SUBMISSION_LIMITS.organisation}
          autoComplete="organization"
          defaultValue={values.organisation}
          error={errors.organisation}
        />
        <SelectField
          label={t("feedback.sector")}
          name="sector"
          defaultValue={values.sector ?? "academia"}
          error={errors.sector}
          options={SECTORS.map((sector) => ({ value: sector, label: t(`feedback.sector.${sector}`) }))}
        />
        <FormField
          label={t("feedback.email")}
          name="email"
          type="email"
          required
          maxLength={SUBMISSION_LIMITS.email}
          autoComplete="email"
          hint={t("feedback.emailHint")}
          defaultValue={values.email}
          error={errors.email}
        />
        <TextAreaField label={t("feedback.comment")} name="comment" rows={8} maxLength={SUBMISSION_LIMITS.comment} defaultValue={values.comment} error={errors.comment} />
        <div className="field field--checkbox">
          <input type="checkbox" id="field-publishName" name="publishName" defaultChecked={values.publishName === "on"} />
          <label htmlFor="field-publishName">{t("feedback.publishName")}</label>
        </div>
        {/* Left empty by people: a post that fills it is thanked and thrown away. */}
        <div className="feedback__trap" aria-hidden="true">
          <label htmlFor="field-website">{t("feedback.honeypot")}</label>
          <input id="field-website" name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" />
        </div>
        <div>
          <button type="submit" className="button">
            {t("feedback.send")}
          </button>
        </div>
      </Form>
    </article>
  );
}

/** A consultation that has closed says so (410); anything else is the site's error page. */
export function ErrorBoundary() {
  const error = useRouteError();
  if (!isRouteErrorResponse(error) || error.status !== 410) return <SiteErrorBoundary />;
  return (
    <section className="error-page">
      <p className="error-page__status">410</p>
      <h1>{t("feedback.closedTitle")}</h1>
      <p>{t("feedback.closed")}</p>
      <p>
        <a href="/">{t("error.backHome")}</a>
      </p>
    </section>
  );
}
