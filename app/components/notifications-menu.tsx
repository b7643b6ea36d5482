import { Link, useMatches } from "@remix-run/react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { DateTime } from "~/components/date-time";
import { useDraftEvents } from "~/editor/draft-events";
import { t } from "../../i18n/translate";

/** A notification as `GET /notifications` sends it. */
interface NotificationItem {
  id: string;
  kind: "mention" | "reply" | "motion-opened" | "motion-closing" | "motion-result" | "phase" | "storage-near" | "storage-full";
  draftSlug: string;
  draftTitle: string;
  threadId: string | null;
  quote: string | null;
  motionNumber: number | null;
  outcome: "adopted" | "rejected" | "no-quorum" | null;
  phase: "drafting" | "review" | "consultation" | "voting" | "closed" | null;
  actorName: string | null;
  createdAt: string;
  readAt: string | null;
}

/** Where a notification leads, and what it says. */
function describe(item: NotificationItem): { to: string; text: string } {
  const draft = `/drafts/${encodeURIComponent(item.draftSlug)}`;
  const onDraft = t("notifications.onDraft", { draft: item.draftTitle });
  if (item.kind === "mention" || item.kind === "reply") {
    return { to: `${draft}#thread-${item.threadId ?? ""}`, text: t(`notifications.${item.kind}`, { name: item.actorName ?? t("notifications.someone"), quote: item.quote ?? "" }) };
  }
  if (item.kind === "phase") {
    return { to: draft, text: `${t("notifications.phase", { phase: t(`rounds.phase.${item.phase ?? "closed"}`).toLowerCase() })} ${onDraft}` };
  }
  if (item.kind === "storage-near" || item.kind === "storage-full") return { to: draft, text: `${t(`notifications.${item.kind}`)} ${onDraft}` };
  const motion = `M-${item.motionNumber ?? ""}`;
  const to = `${draft}/motions/${item.motionNumber ?? ""}`;
  if (item.kind === "motion-result") {
    return { to, text: `${t("notifications.motion-result", { motion, outcome: item.outcome ? t(`motions.outcome.${item.outcome}`) : "" })} ${onDraft}` };
  }
  return { to, text: `${t(`notifications.${item.kind}`, { motion })} ${onDraft}` };
}

/**
 * The header's notifications: a button with the unread count (live on draft pages, from the draft's
 * event stream; loaded with the page elsewhere) that opens the list and marks what it shows read.
 */
export function NotificationsMenu({ unread: loaded }: { unread: number }) {
  // A count heard from the stream holds until the page loads a newer one.
  const [heard, setHeard] = useState<{ loaded: number; unread: number } | null>(null);
  const unread = heard && heard.loaded === loaded ? heard.unread : loaded;
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<NotificationItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const container = useRef<HTMLDivElement>(null);
  const slug = useDraftSlug();

  const hear = (count: number) => setHeard({ loaded, unread: count });

  useEffect(() => {
    if (!open) return;
    let stopped = false;
    const load = async () => {
      try {
        const response = await fetch("/notifications", { headers: { accept: "application/json" } });
        if (!response.ok) throw new Error(String(response.status));
        const body = (await response.json()) as { notifications: NotificationItem[] };
        if (stopped) return;
        setItems(body.notifications);
        setError(null);
        const ids = body.notifications.filter((item) => item.readAt === null).map((item) => item.id);
        if (ids.length === 0) return;
        const marked = await fetch("/notifications", {
          method: "POST",
          headers: { accept: "application/json", "content-type": "application/json" },
          body: JSON.stringify({ ids }),
        });
        const answer = (await marked.json()) as { unread?: number };
        if (!stopped && typeof answer.unread === "number") setHeard({ loaded, unread: answer.unread });
      } catch {
        if (!stopped) setError(t("notifications.failed"));
      }
    };
    void load();
    return () => {
      stopped = true;
    };
  }, [open, loaded]);

  // A click anywhere else closes the list.
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (event.target instanceof Node && !container.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "Escape" || !open) return;
    setOpen(false);
    button.current?.focus();
  };

  return (
    <div ref={container} className="notifications" onKeyDown={onKeyDown}>
      {slug ? <NotificationEvents slug={slug} onUnread={hear} /> : null}
      <button
        ref={button}
        type="button"
        className="button button--quiet notifications__button"
        aria-expanded={open}
        aria-controls="notifications-panel"
        onClick={() => setOpen((value) => !value)}
      >
        {t("notifications.title")}
        {unread > 0 ? (
          <span className="notifications__badge" data-testid="unread-count">
            <span aria-hidden="true">{unread}</span>
            <span className="visually-hidden">{t("notifications.unread", { count: unread })}</span>
          </span>
        ) : null}
      </button>
      {open ? (
        <div id="notifications-panel" className="notifications__panel" role="region" aria-label={t("notifications.title")}>
          {error ? <p className="field__error" role="alert">{error}</p> : null}
          {items === null && !error ? <p className="muted">{t("notifications.loading")}</p> : null}
          {items && items.length === 0 ? <p className="muted">{t("notifications.none")}</p> : null}
          {items && items.length > 0 ? (
            <ul className="notifications__list">
              {items.map((item) => (
                <li key={item.id} className={item.readAt ? "notification" : "notification notification--unread"}>
                  <Link to={describe(item).to} onClick={() => setOpen(false)}>
                    {describe(item).text}
                  </Link>
                  <span className="notification__time">
                    {item.readAt ? null : <span className="badge">{t("notifications.new")}</span>} <DateTime value={new Date(item.createdAt)} />
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** On a draft page, the unread count arrives through the draft's event stream. */
function NotificationEvents({ slug, onUnread }: { slug: string; onUnread: (unread: number) => void }) {
  useDraftEvents(slug, {
    events: {
      notification: (data) => {
        const unread = (data as { unread?: unknown } | null)?.unread;
        if (typeof unread === "number") onUnread(unread);
      },
    },
    // After a lost connection, ask for the count again: a notification may have come meanwhile.
    onReconnect: () => {
      fetch("/notifications", { headers: { accept: "application/json" } })
        .then((response) => (response.ok ? (response.json() as Promise<{ unread: number }>) : null))
        .then((body) => {
          if (body) onUnread(body.unread);
        })
        .catch(() => undefined);
    },
  });
  return null;
}

function useDraftSlug(): string | null {
  const match = useMatches().find((candidate) => candidate.id === "routes/drafts.$slug");
  return match?.params.slug ?? null;
}
