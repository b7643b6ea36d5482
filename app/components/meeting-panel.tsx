import { Link, useFetcher } from "@remix-run/react";
import type { EditorView } from "prosemirror-view";
import { useCallback, useEffect, useRef, useState } from "react";
import { t } from "../../i18n/translate";
import { useDraftEvents } from "~/editor/draft-events";
import { scrollToClause, setMeetingPointer } from "~/editor/meeting-pointer";
import { errorsOf } from "~/utils/forms";
import type { MeetingView } from "~/utils/meetings.server";

/** The live meeting as the page shows it, kept current from the draft's event stream. */
export function useMeeting(slug: string, initial: MeetingView | null) {
  const [view, setView] = useState<MeetingView | null>(initial);
  const [announcement, setAnnouncement] = useState("");
  // How far the server's clock is ahead of this browser's, so that every timer in the room agrees.
  const [skewMs, setSkewMs] = useState(() => (initial ? Date.parse(initial.serverNow) - Date.now() : 0));
  const latest = useRef(view);
  const reload = useCallback(async () => {
    const response = await fetch(`/drafts/${encodeURIComponent(slug)}/session.json`, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const next = (await response.json()) as { meeting: MeetingView | null };
    const said = announce(latest.current, next.meeting);
    latest.current = next.meeting;
    if (next.meeting) setSkewMs(Date.parse(next.meeting.serverNow) - Date.now());
    setView(next.meeting);
    if (said) setAnnouncement(said);
  }, [slug]);
  // One reload at a time: steps that come while one is under way make one more reload after it, not one each.
  const loading = useRef<{ running: boolean; again: boolean }>({ running: false, again: false });
  const refresh = useCallback(() => {
    const state = loading.current;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    void (async () => {
      do {
        state.again = false;
        await reload().catch(() => undefined);
      } while (state.again);
      state.running = false;
    })();
  }, [reload]);
  useDraftEvents(slug, { events: { meeting: refresh, "clause-status": refresh }, onReconnect: refresh });
  return { view, announcement, skewMs, refresh };
}

// What a screen reader hears of a change: the clause taken up, the floor given, a new request, a suspension.
function announce(before: MeetingView | null, after: MeetingView | null): string {
  if (before && !after) return t("meetings.announce.closed");
  if (!after) return "";
  const said: string[] = [];
  if (before?.state !== after.state) said.push(after.state === "suspended" ? t("meetings.announce.suspended") : before ? t("meetings.announce.resumed") : "");
  if (after.pointer && after.pointer.clauseId !== before?.pointer?.clauseId && after.pointer.number) said.push(t("meetings.announce.pointer", { number: after.pointer.number }));
  if (after.speaking && after.speaking.id !== before?.speaking?.id) said.push(t("meetings.announce.floor", { delegation: after.speaking.delegation }));
  const known = new Set(before?.waiting.map((entry) => entry.id));
  for (const entry of after.waiting) if (!known.has(entry.id)) said.push(t("meetings.announce.requested", { delegation: entry.delegation }));
  return said.filter(Boolean).join(" ");
}

/**
 * Where screen readers hear the session's changes: always on the page, so that a live region exists
 * before its first announcement (and the close is heard after the panel has gone).
 */
export function MeetingAnnouncer({ announcement }: { announcement: string }) {
  return (
    <p className="visually-hidden" aria-live="polite" data-testid="meeting-announcement">
      {announcement}
    </p>
  );
}

/** A duration as m:ss. */
function clock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function useTick(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

/** How long the speaker has spoken, said against the limit if there is one; ticks each second while someone speaks. */
function useSpeakingTime(view: MeetingView, skewMs: number): { label: string; over: boolean } {
  const now = useTick(view.speaking !== null) + skewMs;
  const spokenMs = view.speaking?.givenAt ? now - Date.parse(view.speaking.givenAt) : 0;
  const limitMs = view.speakingLimitS ? view.speakingLimitS * 1000 : null;
  if (limitMs === null) return { label: t("meetings.panel.timeSpoken", { time: clock(spokenMs) }), over: false };
  if (spokenMs > limitMs) return { label: t("meetings.panel.timeOver", { time: clock(spokenMs - limitMs), limit: clock(limitMs) }), over: true };
  return { label: t("meetings.panel.timeLeft", { time: clock(limitMs - spokenMs), limit: clock(limitMs) }), over: false };
}

/**
 * The session in one line at the foot of the window, so that the clause and the speaker stay in
 * sight while the reader is in the text. A visual echo of the panel, which says all of it to
 * screen readers: hidden from them, and without controls.
 */
export function MeetingStrip({ view, skewMs }: { view: MeetingView; skewMs: number }) {
  const time = useSpeakingTime(view, skewMs);
  const parts = [
    t("meetings.name", { number: view.number }),
    view.state === "suspended" ? t("meetings.state.suspended") : null,
    view.pointer?.number ? t("meetings.panel.nowOn", { number: view.pointer.number }) : null,
    view.speaking ? t(view.speaking.kind === "reply" ? "meetings.panel.hasFloorReply" : "meetings.panel.hasFloor", { delegation: view.speaking.delegation }) : t("meetings.panel.nobodySpeaking"),
  ].filter((part): part is string => part !== null);
  return (
    <div className="meeting-strip" aria-hidden="true" data-testid="meeting-strip">
      {parts.join(" · ")}
      {view.speaking ? <span className={time.over ? "meeting__timer meeting__timer--over" : "meeting__timer"}>{time.label}</span> : null}
    </div>
  );
}

/** One step posted to the meeting's page, as a button. */
function StepButton({ action, intent, label, fields = {}, className, confirm }: { action: string; intent: string; label: string; fields?: Record<string, string>; className?: string; confirm?: string }) {
  const fetcher = useFetcher();
  const error = Object.values(errorsOf(fetcher.data))[0];
  return (
    <fetcher.Form
      method="post"
      action={action}
      className="meeting__step"
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={`${className ?? "button button--quiet"} button--small`} disabled={fetcher.state !== "idle"}>
        {label}
      </button>
      {error ? (
        <span role="alert" className="meeting__error">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

/**
 * The live meeting on the draft page: the pointer (which the reader's view follows unless they read
 * freely), who has the floor and for how long, the speakers' list, the reader's own requests, and,
 * for the chair, every step of the session. Changes are announced to screen readers.
 */
export function MeetingPanel({ slug, view, skewMs, editor }: { slug: string; view: MeetingView; skewMs: number; editor: EditorView | null }) {
  const action = `/drafts/${encodeURIComponent(slug)}/sessions/${view.number}`;
  const [following, setFollowing] = useState(true);
  const clauseId = view.pointer?.clauseId ?? null;
  // The pointer is drawn in the text for everyone; a follower's view moves to it.
  useEffect(() => {
    if (!editor) return;
    setMeetingPointer(editor, clauseId);
    if (following && clauseId) scrollToClause(editor, clauseId);
  }, [editor, clauseId, following]);
  const time = useSpeakingTime(view, skewMs);
  const chair = view.self.canChair;
  const pointerNumber = view.pointer?.number ?? null;
  return (
    <section className="meeting" aria-labelledby="meeting-heading" data-state={view.state}>
      <h2 id="meeting-heading">{t("meetings.panel.heading", { name: t("meetings.name", { number: view.number }), kind: t(`meetings.kind.${view.kind}`) })}</h2>
      <p className="muted">
        {t("meetings.panel.chair", { name: view.chair })} · <Link to={action}>{t("meetings.panel.sessionPage")}</Link>
      </p>
      {view.state === "suspended" ? (
        <p className="meeting__suspended" role="status">
          {t("meetings.panel.suspended")}
        </p>
      ) : null}

      <div className="meeting__pointer">
        <p className="meeting__now" data-testid="meeting-pointer">
          {view.pointer ? (pointerNumber ? t("meetings.panel.nowOn", { number: pointerNumber }) : t("meetings.panel.nowOnRemoved")) : t("meetings.panel.noClause")}
          {view.pointer?.excerpt ? <span className="meeting__excerpt"> — {view.pointer.excerpt}</span> : null}
        </p>
        {chair ? null : (
          <p className="meeting__follow">
            <span>{following ? t("meetings.panel.following") : t("meetings.panel.readingFreely")}</span>{" "}
            <button type="button" className="button button--quiet button--small" aria-pressed={following} onClick={() => setFollowing(!following)}>
              {following ? t("meetings.panel.readFreely") : t("meetings.panel.follow")}
            </button>
          </p>
        )}
      </div>

      <div className="meeting__floor">
        {view.speaking ? (
          <p className="meeting__speaker" data-testid="meeting-speaker">
            <span className="meeting__swatch" style={{ background: view.speaking.colour }} aria-hidden="true" />
            {t(view.speaking.kind === "reply" ? "meetings.panel.hasFloorReply" : "meetings.panel.hasFloor", { delegation: view.speaking.delegation })}{" "}
            <span role="timer" aria-label={t("meetings.panel.timer")} className={time.over ? "meeting__timer meeting__timer--over" : "meeting__timer"} data-testid="meeting-timer">
              {time.label}
            </span>
          </p>
        ) : (
          <p className="muted">{t("meetings.panel.nobodySpeaking")}</p>
        )}
        {chair && view.speaking ? <StepButton action={action} intent="end" label={t("meetings.panel.end")} /> : null}
      </div>

      <h3 id="meeting-speakers">{t("meetings.panel.speakers")}</h3>
      {view.waiting.length === 0 ? (
        <p className="muted">{t("meetings.panel.noSpeakers")}</p>
      ) : (
        <ol className="meeting__list" aria-labelledby="meeting-speakers" data-testid="speakers-list">
          {view.waiting.map((entry, index) => (
            <li key={entry.id} data-delegation={entry.delegationCode} data-kind={entry.kind}>
              <span className="meeting__swatch" style={{ background: entry.colour }} aria-hidden="true" />
              <span className="meeting__name">
                {entry.delegation}
                {entry.kind === "reply" ? ` (${t("meetings.panel.reply")})` : ""}
              </span>
              {chair ? (
                <span className="meeting__actions">
                  <StepButton action={action} intent="give" fields={{ requestId: entry.id }} label={t("meetings.panel.give", { delegation: entry.delegation })} />
                  {index > 0 ? <StepButton action={action} intent="move" fields={{ requestId: entry.id, direction: "up" }} label={t("meetings.panel.up", { delegation: entry.delegation })} /> : null}
                  {index < view.waiting.length - 1 ? <StepButton action={action} intent="move" fields={{ requestId: entry.id, direction: "down" }} label={t("meetings.panel.down", { delegation: entry.delegation })} /> : null}
                  <StepButton action={action} intent="withdraw" fields={{ requestId: entry.id }} label={t("meetings.panel.strike", { delegation: entry.delegation })} />
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      )}

      {view.self.canRequest ? (
        <div className="meeting__mine">
          {view.self.waitingFloor ? (
            <StepButton action={action} intent="withdraw" fields={{ requestId: view.self.waitingFloor }} label={t("meetings.panel.withdraw")} />
          ) : (
            <StepButton action={action} intent="request-floor" label={t("meetings.panel.requestFloor", { delegation: view.self.delegation ?? "" })} className="button" />
          )}
          {view.self.waitingReply ? (
            <StepButton action={action} intent="withdraw" fields={{ requestId: view.self.waitingReply }} label={t("meetings.panel.withdrawReply")} />
          ) : (
            <StepButton action={action} intent="request-reply" label={t("meetings.panel.requestReply")} />
          )}
        </div>
      ) : chair ? null : (
        <p className="muted">{t("meetings.panel.observerNote")}</p>
      )}

      {chair ? <ChairControls slug={slug} action={action} view={view} /> : null}

      <p className="muted meeting__present">{view.present.length ? t("meetings.panel.present", { delegations: view.present.join(", ") }) : t("meetings.panel.presentNone")}</p>
    </section>
  );
}

function ChairControls({ slug, action, view }: { slug: string; action: string; view: MeetingView }) {
  const takeUp = useFetcher();
  const limit = useFetcher();
  const takeUpError = Object.values(errorsOf(takeUp.data))[0];
  const limitError = Object.values(errorsOf(limit.data))[0];
  const pointer = view.pointer;
  return (
    <div className="meeting__chair" role="group" aria-labelledby="meeting-chair">
      <h3 id="meeting-chair">{t("meetings.panel.chairControls")}</h3>
      {view.state === "open" ? (
        <>
          <takeUp.Form method="post" action={action} className="meeting__row">
            <input type="hidden" name="intent" value="take-up" />
            <label htmlFor="meeting-clause">{t("meetings.panel.takeUpLabel")}</label>
            <select id="meeting-clause" name="clauseId" defaultValue={pointer?.clauseId ?? view.clauses[0]?.id}>
              {view.clauses.map((clause) => (
                <option key={clause.id} value={clause.id}>
                  {clause.number} — {clause.excerpt}
                </option>
              ))}
            </select>
            <button type="submit" className="button button--small" disabled={takeUp.state !== "idle"}>
              {t("meetings.panel.takeUp")}
            </button>
            {takeUpError ? <span role="alert" className="meeting__error">{takeUpError}</span> : null}
          </takeUp.Form>
          <div className="meeting__row">
            {view.waiting.length ? <StepButton action={action} intent="give" label={t("meetings.panel.next")} className="button" /> : null}
          </div>
          {pointer?.number ? (
            pointer.openBrackets > 0 ? (
              <p className="muted">{t("meetings.panel.openBrackets", { count: pointer.openBrackets, number: pointer.number })}</p>
            ) : (
              <div className="meeting__row">
                <StepButton action={`/drafts/${encodeURIComponent(slug)}`} intent="clause-status" fields={{ clauseId: pointer.clauseId, status: "agreed-ad-referendum" }} label={t("meetings.panel.agreeAdRef", { number: pointer.number })} />
                <StepButton action={`/drafts/${encodeURIComponent(slug)}`} intent="clause-status" fields={{ clauseId: pointer.clauseId, status: "agreed" }} label={t("meetings.panel.agree", { number: pointer.number })} />
              </div>
            )
          ) : null}
        </>
      ) : null}
      <limit.Form method="post" action={action} className="meeting__row">
        <input type="hidden" name="intent" value="limit" />
        <label htmlFor="meeting-limit">{t("meetings.panel.limitLabel")}</label>
        <input id="meeting-limit" name="limit" inputMode="decimal" size={5} defaultValue={view.speakingLimitS ? String(view.speakingLimitS / 60) : ""} />
        <button type="submit" className="button button--quiet button--small" disabled={limit.state !== "idle"}>
          {t("meetings.panel.setLimit")}
        </button>
        {limitError ? <span role="alert" className="meeting__error">{limitError}</span> : null}
      </limit.Form>
      <p className="muted">{view.speakingLimitS ? t("meetings.panel.limitIs", { limit: clock(view.speakingLimitS * 1000) }) : t("meetings.panel.noLimit")}</p>
      <div className="meeting__row">
        <Link to={`/drafts/${encodeURIComponent(slug)}/motions`}>{t("meetings.panel.putMotion")}</Link>
        {view.state === "open" ? <StepButton action={action} intent="suspend" label={t("meetings.panel.suspend")} /> : <StepButton action={action} intent="resume" label={t("meetings.panel.resume")} className="button" />}
        <StepButton action={action} intent="close" label={t("meetings.panel.close")} confirm={t("meetings.panel.closeConfirm")} className="button button--danger" />
      </div>
    </div>
  );
}
