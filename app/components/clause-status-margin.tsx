import type { Plugin } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { clauseStatusPlugin, setClauseMarks, type ClauseMark } from "~/editor/clause-status";
import { t } from "~/i18n/translate";
import { statusLabel, type ClauseStatusView } from "./clause-status-panel";

/** How often an open draft page asks whether a clause status changed. */
const POLL_MS = 3000;

/** The margin marks of the clauses, by clause id, from what the page loaded. */
export function useClauseMarks(view: ClauseStatusView | null): ReadonlyMap<string, ClauseMark> | undefined {
  return useMemo(() => {
    if (!view) return undefined;
    return new Map(
      view.clauses.map((clause) => [
        clause.id,
        {
          status: clause.status,
          short: t(`clauseStatus.short.${clause.status}`),
          label: statusLabel(clause.status, clause.reservingDelegations, view.delegations),
          agreed: clause.status === "agreed" || clause.status === "agreed-ad-referendum",
        },
      ]),
    );
  }, [view]);
}

/**
 * Reloads the page's data when a clause status of the draft changes: while the page is visible it
 * asks the server for the statuses' version every few seconds (one small query), and revalidates
 * when the version differs from the one it shows.
 */
export function useClauseStatusUpdates(slug: string, version: string | undefined): void {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  useEffect(() => {
    revalidate.current = revalidator.revalidate;
  });
  const busy = revalidator.state !== "idle";
  useEffect(() => {
    if (version === undefined || busy) return;
    let stopped = false;
    const check = async () => {
      // Offline, a request would only fail (and the browser would log it); the next check will do.
      if (document.visibilityState !== "visible" || !navigator.onLine) return;
      try {
        const response = await fetch(`/drafts/${encodeURIComponent(slug)}/clause-status`, { headers: { accept: "application/json" } });
        if (!response.ok) return;
        const body = (await response.json()) as { version?: unknown };
        if (!stopped && typeof body.version === "string" && body.version !== version) void revalidate.current();
      } catch {
        // Offline: the next check, or the next navigation, brings the statuses.
      }
    };
    const timer = window.setInterval(() => void check(), POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [slug, version, busy]);
}

/**
 * Connects the editor to clause status: the plugin to install, the statuses pushed into the view
 * whenever the page loads new ones, and the warning shown when someone types into an agreed clause.
 */
export function useClauseStatusMargin(view: EditorView | null, marks: ReadonlyMap<string, ClauseMark> | undefined) {
  const [warning, setWarning] = useState<string | null>(null);
  // One plugin for the life of the page: it holds which clauses have been warned about.
  const [plugin] = useState<Plugin>(() =>
    clauseStatusPlugin({
      onEditAgreed: ({ number, status }) =>
        setWarning(
          status === "agreed-ad-referendum"
            ? t("clauseStatus.agreedWarning.agreed-ad-referendum", { number })
            : t("clauseStatus.agreedWarning.agreed", { number }),
        ),
    }),
  );

  useEffect(() => {
    if (view && marks) setClauseMarks(view, marks);
  }, [view, marks]);

  // The live region is always there, so that the warning is announced when it appears.
  const banner = (
    <div role="status" className="clause-edit-warning">
      {warning ? (
        <p className="alert alert--info">
          {warning}{" "}
          <button type="button" className="button button--quiet" onClick={() => setWarning(null)}>
            {t("clauseStatus.dismiss")}
          </button>
        </p>
      ) : null}
    </div>
  );
  return { plugin, banner };
}
