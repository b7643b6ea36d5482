import { TableWrap } from "~/components/table-wrap";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { DateTime } from "~/components/date-time";
import { FormAlert } from "~/components/form-field";
import { formatRemaining } from "~/components/phase-banner";
import { useDraftEvents } from "~/editor/draft-events";
import { t } from "../../i18n/translate";
import motionStyles from "~/styles/motions.css?url";
import roundStyles from "~/styles/rounds.css?url";
import { errorsOf } from "~/utils/forms";
import { formAction } from "~/utils/forms.server";
import { requireRecentSecondFactor } from "~/utils/step-up.server";
import { StepUpForm } from "~/components/step-up";
import { loadMotionView, motionAction } from "~/utils/motions.server";
import { notFound, requireUser } from "~/utils/session.server";
import { findDraftBySlug } from "../../server/domain/drafts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: roundStyles },
  { rel: "stylesheet", href: motionStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("motions.label", { label: data.motion.label })} — ${data.draft.title} — ${t("app.name")}` : t("app.name") },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  const view = await loadMotionView(user, draft, params.number);
  return { draft: { slug: draft.slug, title: draft.title }, ...view };
}

export const action = formAction(async ({ context, request, params }) => {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  return motionAction(context.live, { request, user, draft, numberParam: params.number, requireStepUp: () => requireRecentSecondFactor(context) });
});

export default function MotionPage() {
  const view = useLoaderData<typeof loader>();
  const { draft, motion } = view;
  const actionData = useActionData<typeof action>();
  const done = actionData && "done" in actionData ? actionData.done : null;
  const errors = errorsOf(actionData);
  const busy = useNavigation().state === "submitting";
  const revalidator = useRevalidator();
  // Ballots and the result arrive without a reload.
  useDraftEvents(draft.slug, {
    events: {
      motion: (data) => {
        if ((data as { number?: unknown } | null)?.number === motion.number) revalidator.revalidate();
      },
    },
    onReconnect: () => revalidator.revalidate(),
  });
  const choiceName = (choice: "yes" | "no" | "abstain") => t(motion.rule === "consensus" && choice === "no" ? "motions.choice.objection" : `motions.choice.${choice}`);
  const delegationName = (code: string) => view.delegations.find((delegation) => delegation.code === code)?.name ?? code.toUpperCase();
  return (
    <article aria-labelledby="motion-title" className="motion-page">
      <p>
        <Link to={`/drafts/${draft.slug}`}>{t("motions.backToDraft")}</Link> · <Link to={`/drafts/${draft.slug}/motions`}>{t("motions.backToList")}</Link>
      </p>
      <h1 id="motion-title">{t("motions.label", { label: motion.label })}</h1>
      <p className="lead">{motion.subject}</p>
      {done ? (
        <div className="alert alert--success" role="status">
          {done}
        </div>
      ) : null}
      <FormAlert message={errors.form} />
      <dl className="motion-facts">
        <dt>{t("motions.facts.state")}</dt>
        <dd data-testid="motion-state">{t(`motions.state.${motion.status}`)}</dd>
        <dt>{t("motions.facts.subject")}</dt>
        <dd>
          {view.amendment ? (
            <>
              {motion.subject} ({t(`motions.amendmentStatus.${view.amendment.status}`)}): “{view.amendment.quote}” → “{view.amendment.proposed}”
            </>
          ) : motion.subjectKind === "version" && motion.versionNumber !== null ? (
            <Link to={`/drafts/${draft.slug}/versions/${motion.versionNumber}`}>{motion.subject}</Link>
          ) : (
            motion.subject
          )}
        </dd>
        <dt>{t("motions.facts.rule")}</dt>
        <dd>
          {t(`motions.rule.${motion.rule}`)} — {t(`motions.ruleHelp.${motion.rule}`)}
        </dd>
        <dt>{t("motions.facts.quorum")}</dt>
        <dd>{t("motions.facts.quorumValue", { count: motion.quorum })}</dd>
        <dt>{t("motions.facts.deadline")}</dt>
        <dd>
          <DateTime value={motion.deadline} /> {motion.status === "open" ? <Countdown deadline={motion.deadline} /> : null}
        </dd>
        <dt>{t("motions.facts.putBy")}</dt>
        <dd>{motion.putByName}</dd>
      </dl>
      {motion.status === "closed" && motion.outcome && motion.reason && motion.tally ? (
        <section className="motion-result" data-outcome={motion.outcome} aria-labelledby="motion-result-title" data-testid="motion-result">
          <h2 id="motion-result-title">{t("motions.result")}</h2>
          <p className="motion-result__outcome">{t(`motions.outcome.${motion.outcome}`)}</p>
          <p>{t(`motions.reason.${motion.reason}`)}</p>
          <p>{t("motions.tally", { yes: motion.tally.yes, no: motion.tally.no, abstain: motion.tally.abstain, notVoted: motion.tally.notVoted.length })}</p>
          <p className="muted">
            {motion.closedBy ? t(`motions.closedBy.${motion.closedBy}`) : null} {motion.closedAt ? <DateTime value={motion.closedAt} /> : null}
          </p>
          <ApplicationNote motion={motion} />
        </section>
      ) : null}
      <section aria-labelledby="ballots-title">
        <h2 id="ballots-title">{t("motions.ballots")}</h2>
        {view.showBallots ? (
          <>
            <TableWrap>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("motions.columns.delegation")}</th>
                    <th scope="col">{t("motions.columns.choice")}</th>
                    <th scope="col">{t("motions.columns.explanation")}</th>
                    <th scope="col">{t("motions.columns.castBy")}</th>
                  </tr>
                </thead>
                <tbody>
                  {view.ballots.map((ballot) => (
                    <tr key={ballot.delegationCode} data-delegation={ballot.delegationCode}>
                      <th scope="row">{delegationName(ballot.delegationCode)}</th>
                      <td>{choiceName(ballot.choice)}</td>
                      <td>{ballot.explanation}</td>
                      <td>{ballot.castByName}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            <p data-testid="not-voted">{view.notVoted && view.notVoted.length > 0 ? t("motions.notVotedList", { delegations: view.notVoted.join(", ") }) : t("motions.everyoneVoted")}</p>
          </>
        ) : (
          <p className="muted">{t("motions.ballotsHidden")}</p>
        )}
      </section>
      {view.canVote ? (
        <section aria-labelledby="own-ballot-title" className="panel">
          <h2 id="own-ballot-title">{t("motions.yourBallot")}</h2>
          <p>{view.ownBallot ? t("motions.yourBallotIs", { choice: choiceName(view.ownBallot.choice) }) : t("motions.noBallotYet")}</p>
          <StepUpForm method="post" className="stack-form" key={`${view.ownBallot?.choice ?? "none"}-${done ?? ""}`}>
            <input type="hidden" name="intent" value="vote" />
            <fieldset className="ballot-choices">
              <legend>{t("motions.choiceLabel")}</legend>
              {(["yes", "no", "abstain"] as const).map((choice) => (
                <label key={choice}>
                  <input type="radio" name="choice" value={choice} required defaultChecked={view.ownBallot?.choice === choice} />
                  {choiceName(choice)}
                </label>
              ))}
            </fieldset>
            {errors.choice ? <p className="field__error">{errors.choice}</p> : null}
            <div className={errors.explanation ? "field field--error" : "field"}>
              <label htmlFor="field-explanation">{t("motions.explanation")}</label>
              <textarea id="field-explanation" name="explanation" rows={3} maxLength={2000} defaultValue={view.ownBallot?.explanation ?? ""} />
              {errors.explanation ? <p className="field__error">{errors.explanation}</p> : null}
            </div>
            <div>
              <button type="submit" className="button" disabled={busy}>
                {view.ownBallot ? t("motions.replace") : t("motions.cast")}
              </button>
            </div>
          </StepUpForm>
          {view.ownBallot ? (
            <StepUpForm method="post">
              <input type="hidden" name="intent" value="withdraw" />
              <button type="submit" className="button button--quiet" disabled={busy}>
                {t("motions.withdraw")}
              </button>
            </StepUpForm>
          ) : null}
        </section>
      ) : null}
      {view.canClose ? (
        <StepUpForm method="post" className="panel">
          <input type="hidden" name="intent" value="close" />
          <p className="muted">{t("motions.closeHelp")}</p>
          <button type="submit" className="button" disabled={busy}>
            {t("motions.close")}
          </button>
        </StepUpForm>
      ) : null}
    </article>
  );
}

function ApplicationNote({ motion }: { motion: { application: string | null; applicationNote: string; outcome: string | null; subjectKind: "amendment" | "clause" | "version" | "bracket" } }) {
  if (motion.application === "needs-confirmation") return <p role="note">{t("motions.application.needs-confirmation")}</p>;
  if (motion.application === "failed") return <p role="note">{t("motions.application.failed", { note: motion.applicationNote })}</p>;
  if (motion.application !== "applied") return null;
  if (motion.outcome === "rejected") return <p>{t("motions.application.rejected.amendment")}</p>;
  return <p>{t(`motions.application.applied.${motion.subjectKind}`)}</p>;
}

function Countdown({ deadline }: { deadline: string }) {
  const [now, setNow] = useState<number | null>(null);
  const revalidator = useRevalidator();
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, []);
  const remaining = now === null ? null : new Date(deadline).getTime() - now;
  const passed = remaining !== null && remaining <= 0;
  useEffect(() => {
    if (!passed) return;
    // The scheduler closes the motion at its deadline; give it a moment, then reload.
    const timer = window.setTimeout(() => revalidator.revalidate(), 1500);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [passed]);
  // Rendered only in the browser: the server does not know when the page will be read.
  if (remaining === null) return null;
  return <span className="motion-countdown">({passed ? t("motions.deadlinePassed") : t("motions.countdown", { time: formatRemaining(remaining) })})</span>;
}
