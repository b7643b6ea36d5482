import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ClauseStatusSummary } from "~/components/clause-status-panel";
import { DateTime } from "~/components/date-time";
import { PhaseBanner } from "~/components/phase-banner";
import { t, type MessageKey } from "../../i18n/translate";
import roundStyles from "~/styles/rounds.css?url";
import { loadDesk, loadFailingSteps, retryFailingStep } from "~/utils/desk.server";
import { formAction, parseForm } from "~/utils/forms.server";
import { notFound, requireUser } from "~/utils/session.server";
import { findDraftBySlug } from "../../server/domain/drafts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: roundStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("desk.title", { draft: data.draft.title })} — ${t("app.name")}` : t("app.name") },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  const [desk, failingSteps] = await Promise.all([loadDesk(context.live, user, draft), loadFailingSteps(user, draft)]);
  return { draft: { slug: draft.slug, title: draft.title }, ...desk, failingSteps };
}

const RetryInput = z.object({ intent: z.literal("retry"), step: z.string().uuid() });

/** Retries a failing step (the secretariat's alone), then shows the desk again. */
export const action = formAction(async ({ context, request, params }: ActionFunctionArgs) => {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  const input = await parseForm(request, RetryInput);
  if (!(await retryFailingStep(context.live, user, draft, input.step))) throw notFound();
  throw redirect(`/drafts/${draft.slug}/desk`);
});

export default function DeskPage() {
  const { draft, phase, clauseSummary, brackets, reservations, amendments, threads, versions, motions, awaitingConfirmation, pendingSubmissions, failingSteps } =
    useLoaderData<typeof loader>();
  const base = `/drafts/${draft.slug}`;
  return (
    <article aria-labelledby="desk-title" className="desk">
      <p>
        <Link to={base}>{t("desk.backToDraft")}</Link>
      </p>
      <h1 id="desk-title">{t("desk.heading")}</h1>
      <p className="lead">{draft.title}</p>

      {failingSteps.length ? (
        <section aria-labelledby="desk-failing" className="panel" data-testid="desk-failing">
          <h2 id="desk-failing">{t("desk.failing")}</h2>
          <ul>
            {failingSteps.map((step) => (
              <li key={step.id}>
                <p>
                  <strong>
                    <Link to={step.href}>{step.label}</Link>
                  </strong>{" "}
                  {step.text} · {t("desk.nextAttempt")} <DateTime value={step.nextAttemptAt} />
                </p>
                <Form method="post">
                  <input type="hidden" name="intent" value="retry" />
                  <input type="hidden" name="step" value={step.id} />
                  <button type="submit" className="button button--quiet">
                    {t("desk.retry")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="desk-phase" className="panel">
        <h2 id="desk-phase">{t("desk.phase")}</h2>
        {phase ? <PhaseBanner view={phase} slug={draft.slug} /> : null}
      </section>

      <section aria-labelledby="desk-motions" className="panel">
        <h2 id="desk-motions">{t("desk.motions", { count: motions.length })}</h2>
        {motions.length === 0 ? (
          <p className="muted">{t("desk.noMotions")}</p>
        ) : (
          <ul data-testid="desk-motions">
            {motions.map((motion) => (
              <li key={motion.number}>
                <Link to={`${base}/motions/${motion.number}`}>
                  <strong>{motion.label}</strong>{" "}
                  {motion.subject === "clause" && motion.subjectNumber === null
                    ? t("motions.subject.clauseGone")
                    : t(`motions.subject.${motion.subject}` as MessageKey, { number: motion.subjectNumber ?? "" })}
                </Link>{" "}
                · {t("desk.motionFacts", { rule: t(`motions.rule.${motion.rule}` as MessageKey) })} <DateTime value={motion.deadline} /> ·{" "}
                {t("desk.ballots", { count: motion.cast })}
                <br />
                <span className="muted">
                  {motion.notVoted.length ? t("desk.notVoted", { delegations: motion.notVoted.join(", ") }) : t("desk.allVoted")}
                </span>
              </li>
            ))}
          </ul>
        )}
        {awaitingConfirmation.length ? (
          <>
            <h3>{t("desk.awaiting")}</h3>
            <ul>
              {awaitingConfirmation.map((motion) => (
                <li key={motion.number}>
                  <Link to={`${base}/motions/${motion.number}`}>{motion.label}</Link> {motion.note}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p>
          <Link to={`${base}/motions`}>{t("desk.allMotions")}</Link>
        </p>
      </section>

      <div className="desk__grid">
        <section aria-labelledby="desk-clauses" className="panel">
          <h2 id="desk-clauses">{t("desk.clauses")}</h2>
          <ClauseStatusSummary summary={clauseSummary} />
          <h3>{t("brackets.title")}</h3>
          <p data-testid="desk-brackets">{brackets.total ? t("brackets.count", { count: brackets.total }) : t("brackets.none")}</p>
          {brackets.byClause.length || brackets.inPreamble ? (
            <ul>
              {brackets.inPreamble ? <li>{t("common.labelled", { label: t("brackets.inPreamble"), value: t("brackets.count", { count: brackets.inPreamble }) })}</li> : null}
              {brackets.byClause.map((entry) => (
                <li key={entry.number}>{t("common.labelled", { label: t("brackets.inClause", { number: entry.number }), value: t("brackets.count", { count: entry.count }) })}</li>
              ))}
            </ul>
          ) : null}
          <h3>{t("desk.reservations")}</h3>
          {reservations.length === 0 ? (
            <p className="muted">{t("desk.noReservations")}</p>
          ) : (
            <ul>
              {reservations.map((reservation) => (
                <li key={reservation.number}>{t("desk.reservation", { number: reservation.number, delegations: reservation.delegations.join(", ") })}</li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="desk-submissions" className="panel">
          <h2 id="desk-submissions">{t("desk.submissions")}</h2>
          <p data-testid="desk-pending">{t("desk.pendingSubmissions", { count: pendingSubmissions })}</p>
          <p>
            <Link to={`${base}/consultation`}>{t("desk.moderate")}</Link>
          </p>
        </section>

        <section aria-labelledby="desk-comments" className="panel">
          <h2 id="desk-comments">{t("desk.comments")}</h2>
          <ul data-testid="desk-threads">
            <li>{t("desk.openThreads", { count: threads.open })}</li>
            <li>{t("desk.unanswered", { count: threads.unanswered })}</li>
            <li>{t("desk.detached", { count: threads.detached })}</li>
          </ul>
        </section>
      </div>

      <section aria-labelledby="desk-amendments" className="panel">
        <h2 id="desk-amendments">{t("desk.amendments", { count: amendments.length })}</h2>
        {amendments.length === 0 ? (
          <p className="muted">{t("desk.noAmendments")}</p>
        ) : (
          <ul data-testid="desk-amendments">
            {amendments.map((amendment) => (
              <li key={amendment.number}>
                <strong>{amendment.label}</strong>{" "}
                {[
                  t("desk.amendmentBy", { kind: t(`desk.kind.${amendment.kind}` as MessageKey), delegation: amendment.delegation }),
                  amendment.cosponsors ? t("desk.cosponsors", { count: amendment.cosponsors }) : null,
                  amendment.gone ? t("desk.gone") : amendment.changed ? t("desk.changed") : null,
                ]
                  .filter(Boolean)
                  .join(" · ")}{" "}
                <DateTime value={amendment.createdAt} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="desk-versions" className="panel">
        <h2 id="desk-versions">{t("desk.versions")}</h2>
        {versions.length === 0 ? (
          <p className="muted">{t("desk.noVersions")}</p>
        ) : (
          <ul>
            {versions.map((version) => (
              <li key={version.number}>
                <Link to={`${base}/versions/${version.number}`}>{`v${version.number} ${version.name}`}</Link> · <DateTime value={version.createdAt} />
                {version.published ? ` · ${t("desk.published")}` : null}
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to={`${base}/versions`}>{t("desk.allVersions")}</Link> · <Link to={`${base}/rounds`}>{t("desk.manageRounds")}</Link>
        </p>
      </section>
    </article>
  );
}
