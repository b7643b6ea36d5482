import type { Plugin } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { amendmentsPlugin, setRedline, type RedlineAmendment } from "~/editor/amendments";
import { useDraftEvents } from "~/editor/draft-events";
import { t } from "../../../i18n/translate";
import type { AmendmentJson } from "~/utils/amendments.server";

/** A delegation as the amendments show it. */
export interface AmendmentDelegation {
  code: string;
  name: string;
  colour: string;
}

/** What the draft page loads of amendments. */
export interface AmendmentsView {
  amendments: AmendmentJson[];
  delegations: AmendmentDelegation[];
  canTable: boolean;
}

/**
 * The draft's amendments as the page shows them: what the page loaded, kept current by the event
 * stream (each `amendment` event replaces or adds one), drawn in the editor as a redline while
 * `visible`. Returns the list, the plugin to give the editor, and the redline toggle.
 */
export function useAmendments(slug: string, view: AmendmentsView, editor: EditorView | null) {
  const [amendments, setAmendments] = useState(view.amendments);
  const [visible, setVisible] = useState(true);
  // One plugin for the life of the page: a new one would rebuild the editor.
  const [plugin] = useState<Plugin>(() => amendmentsPlugin());
  const revalidator = useRevalidator();

  // The page's data is the truth after each load (an action, a reconnect): adjust during render.
  const [loaded, setLoaded] = useState(view.amendments);
  if (loaded !== view.amendments) {
    setLoaded(view.amendments);
    setAmendments(view.amendments);
  }

  useDraftEvents(slug, {
    events: {
      amendment: (data) => {
        const { change, amendment } = data as { change?: string; amendment?: AmendmentJson };
        if (!amendment) return;
        setAmendments((current) => upsert(current, amendment));
        // An adoption changes the text: the others' "text now" is loaded again.
        if (change === "adopted") void revalidator.revalidate();
      },
    },
    onReconnect: () => void revalidator.revalidate(),
  });

  const redline = useMemo(() => toRedline(amendments, view.delegations), [amendments, view.delegations]);
  useEffect(() => {
    if (editor && !editor.isDestroyed) setRedline(editor, { amendments: redline, visible });
  }, [editor, redline, visible]);

  return { amendments, plugin, visible, setVisible };
}

function upsert(list: AmendmentJson[], amendment: AmendmentJson): AmendmentJson[] {
  const index = list.findIndex((candidate) => candidate.number === amendment.number);
  if (index === -1) return [...list, amendment].sort((a, b) => a.number - b.number);
  // An event may arrive after a newer load: the later change wins.
  const existing = list[index];
  if (existing && existing.updatedAt > amendment.updatedAt) return list;
  return list.map((candidate, at) => (at === index ? amendment : candidate));
}

function toRedline(amendments: AmendmentJson[], delegations: AmendmentDelegation[]): RedlineAmendment[] {
  return amendments
    .filter((amendment) => amendment.status === "open")
    .map((amendment) => {
      const delegation = delegations.find((candidate) => candidate.code === amendment.delegation);
      return {
        label: amendment.label,
        kind: amendment.kind,
        anchor: amendment.anchor as RedlineAmendment["anchor"],
        proposed: amendment.proposed,
        colour: delegation?.colour ?? "#4a5368",
        description: `${amendment.label} · ${t("amendments.tabledBy", { delegation: delegation?.name ?? amendment.delegation.toUpperCase() })}`,
      };
    });
}
