import type { Plugin } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { clauseStatusPlugin, setClauseMarks, type ClauseMark } from "~/editor/clause-status";
import { useDraftEvents } from "~/editor/draft-events";
import { t } from "../../i18n/translate";
import { statusLabel, type ClauseStatusView } from "./clause-status-panel";

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
 * Reloads the page's data when a clause status of the draft is set (a `clause-status` event on the
 * draft's stream), and after the stream reconnects, since one may have been set meanwhile.
 */
export function useClauseStatusUpdates(slug: string, visible: boolean): void {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  useEffect(() => {
    revalidate.current = revalidator.revalidate;
  });
  const reload = () => {
    if (visible) void revalidate.current();
  };
  useDraftEvents(slug, { events: { "clause-status": reload }, onReconnect: reload });
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
