import { Link, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useDraftEvents } from "~/editor/draft-events";
import { t } from "../../i18n/translate";
import type { Phase } from "../../server/auth/phases";
import { DateTime } from "./date-time";

/** What the draft page loads of where the draft stands (see loadPhaseBanner). */
export interface PhaseBannerView {
  phase: Phase | null;
  current: { name: string; phase: Phase; endsAt: string | null; instructions: string } | null;
  next: { name: string; phase: Phase; startsAt: string } | null;
  canManage: boolean;
  /** Whether the reader sees the public consultation's page (moderation, the disposition table). */
  canViewConsultation?: boolean;
  /** Submissions awaiting moderation (counted for the secretariat only). */
  pendingSubmissions?: number;
}

/**
 * The draft's phase, the current round's deadline with a countdown, and its instructions. When the
 * phase changes (the event stream says so) or the deadline passes, the page reloads its data.
 */
export function PhaseBanner({ view, slug }: { view: PhaseBannerView; slug: string }) {
  const deadline = view.current?.endsAt ?? view.next?.startsAt ?? null;
  const remaining = useCountdown(deadline);
  const revalidator = useRevalidator();
  const passed = remaining !== null && remaining <= 0;
  useEffect(() => {
    if (!passed) return;
    // The server's scheduler changes the phase at the deadline; give it a moment, then reload.
    const timer = window.setTimeout(() => revalidator.revalidate(), 1000);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [passed, deadline]);
  // A phase changed by hand (or by the scheduler while this page was open) reloads the page's data:
  // what the person may do, and the editor's read-only state, follow.
  useDraftEvents(slug, { events: { stage: () => revalidator.revalidate() }, onReconnect: () => revalidator.revalidate() });
  const phaseName = view.phase ? t(`rounds.phase.${view.phase}`) : t("rounds.phase.drafting");
  return (
    <section className="phase-banner" data-phase={view.phase ?? "open"} aria-label={t("banner.label")} data-testid="phase-banner">
      <span className="phase-banner__phase">{t("banner.phase", { phase: phaseName })}</span>
      {view.current ? <span className="phase-banner__round">{t("banner.round", { name: view.current.name })}</span> : null}
      {view.current?.endsAt ? (
        <span>
          {t("banner.ends")} <DateTime value={view.current.endsAt} />{" "}
          <Countdown remaining={remaining} />
        </span>
      ) : view.next ? (
        <span>
          {t("banner.next", { phase: t(`rounds.phase.${view.next.phase}`) })} <DateTime value={view.next.startsAt} />{" "}
          <Countdown remaining={remaining} />
        </span>
      ) : null}
      <span className="phase-banner__links">
        <Link to={`/drafts/${slug}/rounds`}>{t("rounds.linkFromDraft")}</Link>
        {view.canManage ? (
          <>
            {" · "}
            <Link to={`/drafts/${slug}/desk`}>{t("desk.link")}</Link>
          </>
        ) : null}
        {view.canViewConsultation ? (
          <>
            {" · "}
            <Link to={`/drafts/${slug}/consultation`}>
              {view.pendingSubmissions ? t("consultation.linkPending", { count: view.pendingSubmissions }) : t("consultation.linkFromDraft")}
            </Link>
          </>
        ) : null}
      </span>
      <p className="phase-banner__help muted">{view.phase ? t(`rounds.phaseHelp.${view.phase}`) : t("rounds.phaseHelp.open")}</p>
      {view.current?.instructions ? (
        <p className="phase-banner__instructions">
          <strong>{t("common.label", { label: t("banner.instructions") })}</strong> {view.current.instructions}
        </p>
      ) : null}
    </section>
  );
}

function Countdown({ remaining }: { remaining: number | null }) {
  // Rendered only in the browser: the server does not know when the page will be read.
  if (remaining === null) return null;
  return (
    <span className="phase-banner__countdown" data-testid="countdown">
      ({remaining <= 0 ? t("banner.ended") : t("banner.endsIn", { time: formatRemaining(remaining) })})
    </span>
  );
}

/** Milliseconds left until `deadline`, updated every second in the browser (null on the server). */
function useCountdown(deadline: string | null): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!deadline) return;
    const tick = () => setNow(Date.now());
    const timer = window.setInterval(tick, 1000);
    const first = window.setTimeout(tick, 0);
    return () => {
      window.clearInterval(timer);
      window.clearTimeout(first);
    };
  }, [deadline]);
  if (!deadline || now === null) return null;
  return new Date(deadline).getTime() - now;
}

/** "2 d 4 h", "3 h 12 min", "4 min 10 s". */
export function formatRemaining(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) return `${t("banner.days", { count: days })} ${t("banner.hours", { count: hours })}`;
  if (hours > 0) return `${t("banner.hours", { count: hours })} ${t("banner.minutes", { count: minutes })}`;
  if (minutes > 0) return `${t("banner.minutes", { count: minutes })} ${t("banner.seconds", { count: rest })}`;
  return t("banner.seconds", { count: rest });
}
