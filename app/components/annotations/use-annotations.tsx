import { useCallback, useEffect, useMemo, useState } from "react";
import type { LiveEditor } from "~/components/draft-editor";
import type { SelectionAction } from "~/components/selection-actions";
import { annotationHighlightsPlugin, setHighlights } from "~/editor/annotation-highlights";
import { relativeFromAbsolute } from "~/editor/yjs-positions";
import { t } from "../../../i18n/translate";
import { AnnotationsSidebar } from "./annotations-sidebar";
import type { ThreadData } from "./api";
import type { Composing } from "./thread-composer";
import { useThreads } from "./use-threads";

/** What the draft page knows of the person and the threads when it loads. */
export interface AnnotationsData {
  threads: ThreadData[];
  viewerId: string;
  canComment: boolean;
  /** The person's delegation's name, when they may keep notes private to it. */
  privateDelegation: string | null;
  delegations: { code: string; shortName: string }[];
}

/**
 * Annotations on the draft page: the highlights plugin for the editor, the "Comment" action on
 * selected text, and the sidebar. Pass what it returns to `DraftEditor`.
 */
export function useAnnotations(slug: string, data: AnnotationsData) {
  const { threads, upsert, live } = useThreads(slug, data.threads);
  const [editor, setEditor] = useState<LiveEditor | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const [composing, setComposing] = useState<Composing | null>(null);
  const [listeners] = useState(() => new Set<() => void>());
  const [plugin] = useState(() =>
    annotationHighlightsPlugin({
      onActivate: (threadId) => setActive(threadId),
      onChange: () => listeners.forEach((listener) => listener()),
    }),
  );
  const plugins = useMemo(() => [plugin], [plugin]);
  const subscribe = useCallback(
    (listener: () => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    [listeners],
  );

  useEffect(() => {
    if (!editor || editor.view.isDestroyed) return;
    const highlighted = threads.map((thread) => ({
      id: thread.id,
      anchor: thread.anchor,
      private: thread.visibility === "delegation",
      highlighted: thread.status === "open" && !thread.detached,
    }));
    editor.view.dispatch(setHighlights(editor.view.state, { threads: highlighted }));
  }, [editor, threads]);
  useEffect(() => {
    if (editor && !editor.view.isDestroyed) editor.view.dispatch(setHighlights(editor.view.state, { active }));
  }, [editor, active]);
  useEffect(() => {
    if (editor && !editor.view.isDestroyed) editor.view.dispatch(setHighlights(editor.view.state, { pending: composing?.anchor ?? null }));
  }, [editor, composing]);

  const selectionActions = useMemo<SelectionAction[]>(
    () =>
      data.canComment
        ? [
            {
              id: "comment",
              label: t("annotations.comment"),
              run: (range, view) =>
                setComposing({
                  key: Date.now(),
                  quote: range.text,
                  anchor: { start: relativeFromAbsolute(view.state, range.from), end: relativeFromAbsolute(view.state, range.to) },
                }),
            },
          ]
        : [],
    [data.canComment],
  );

  const names = useMemo(() => new Map(data.delegations.map((delegation) => [delegation.code, delegation.shortName])), [data.delegations]);
  const delegationName = useCallback((code: string | null) => (code === null ? null : (names.get(code) ?? code)), [names]);

  const aside = (
    <AnnotationsSidebar
      slug={slug}
      threads={threads}
      live={live}
      editor={editor}
      subscribe={subscribe}
      viewerId={data.viewerId}
      delegations={data.delegations}
      delegationName={delegationName}
      privateDelegation={data.privateDelegation}
      composing={composing}
      onCancelComposing={() => setComposing(null)}
      onCreated={(thread) => {
        upsert(thread);
        setComposing(null);
        setActive(thread.id);
      }}
      onChanged={upsert}
      active={active}
      onActivate={setActive}
    />
  );
  return { plugins, onReady: setEditor, selectionActions, aside };
}
