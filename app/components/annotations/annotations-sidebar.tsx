import { TextSelection } from "prosemirror-state";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { LiveEditor } from "~/components/draft-editor";
import { highlightRanges, type LiveRange } from "~/editor/annotation-highlights";
import { t } from "../../../i18n/translate";
import type { ThreadData } from "./api";
import { ThreadComposer, type Composing } from "./thread-composer";
import { ThreadCard } from "./thread-card";

/** Whether the screen is wide enough for the cards to stand beside their words (as editor.css lays out). */
const WIDE = "(min-width: 60.01rem)";
const GAP = 8;

type StatusFilter = "open" | "resolved" | "all";

/** The filters and the threads they leave. */
function useFilters(threads: readonly ThreadData[], viewerId: string) {
  const [status, setStatus] = useState<StatusFilter>("open");
  const [delegation, setDelegation] = useState("");
  const [mine, setMine] = useState(false);
  const shown = threads.filter(
    (thread) =>
      (status === "all" || thread.status === status) &&
      (delegation === "" || (thread.author.delegation ?? "secretariat") === delegation) &&
      (!mine || thread.author.id === viewerId || thread.comments.some((comment) => comment.author.id === viewerId)),
  );
  return { status, setStatus, delegation, setDelegation, mine, setMine, shown };
}

function useWide(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(WIDE);
      query.addEventListener("change", onChange);
      return () => query.removeEventListener("change", onChange);
    },
    () => window.matchMedia(WIDE).matches,
    () => false,
  );
}

/**
 * The comments beside the text: filters, the composer for the selected words, and each thread's
 * card. On a wide screen each card stands level with its words (pushed down so that none
 * overlap); on a narrow one they are a plain list. Threads whose words were deleted are listed
 * apart, with their quote.
 */
export function AnnotationsSidebar(props: {
  slug: string;
  threads: readonly ThreadData[];
  live: boolean;
  editor: LiveEditor | null;
  /** Calls back whenever the editor's view updates (text, selection, layout). */
  subscribe: (listener: () => void) => () => void;
  viewerId: string;
  /** The delegations, for the filter. */
  delegations: readonly { code: string; shortName: string }[];
  delegationName: (code: string | null) => string | null;
  privateDelegation: string | null;
  composing: Composing | null;
  onCancelComposing: () => void;
  onCreated: (thread: ThreadData) => void;
  onChanged: (thread: ThreadData) => void;
  active: string | null;
  onActivate: (threadId: string) => void;
}) {
  const { editor, threads, subscribe } = props;
  const filters = useFilters(threads, props.viewerId);
  const wide = useWide();
  const list = useRef<HTMLOListElement>(null);
  const cards = useRef(new Map<string, HTMLElement>());
  const [ranges, setRanges] = useState<ReadonlyMap<string, LiveRange>>(new Map());
  const synced = editor ? editor.session.current.synced : false;

  // The words' positions change with every edit (ours and others'): read them once per frame.
  useEffect(() => {
    if (!editor) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      if (!editor.view.isDestroyed) setRanges(highlightRanges(editor.view.state));
    };
    const unsubscribe = subscribe(() => {
      if (frame === 0) frame = window.requestAnimationFrame(read);
    });
    frame = window.requestAnimationFrame(read);
    return () => {
      unsubscribe();
      window.cancelAnimationFrame(frame);
    };
  }, [editor, subscribe]);

  const inText = (thread: ThreadData) => ranges.has(thread.id) && !thread.detached;
  const attached = filters.shown
    .filter((thread) => inText(thread) || (!synced && !thread.detached))
    .sort((a, b) => (ranges.get(a.id)?.from ?? 0) - (ranges.get(b.id)?.from ?? 0));
  const detached = filters.shown.filter((thread) => !attached.includes(thread));
  const aligned = wide && synced && editor !== null;

  // Imperative: each card's top depends on the heights of the cards above it, known only once drawn.
  const layout = () => {
    const element = list.current;
    if (!element) return;
    if (!aligned || !editor || editor.view.isDestroyed) {
      element.style.minHeight = "";
      for (const card of cards.current.values()) itemOf(card).style.top = "";
      return;
    }
    const origin = element.getBoundingClientRect().top;
    let bottom = 0;
    for (const thread of attached) {
      const card = cards.current.get(thread.id);
      const range = ranges.get(thread.id);
      if (!card) continue;
      let wanted = bottom;
      if (range) {
        try {
          wanted = editor.view.coordsAtPos(range.from).top - origin;
        } catch {
          // A position the view cannot place yet: stack it after the previous card.
        }
      }
      const top = Math.max(wanted, bottom);
      itemOf(card).style.top = `${top}px`;
      bottom = top + card.offsetHeight + GAP;
    }
    element.style.minHeight = `${bottom}px`;
  };

  useEffect(() => {
    layout();
    window.addEventListener("resize", layout);
    return () => window.removeEventListener("resize", layout);
  });

  // A highlight clicked in the text brings its card into view.
  useEffect(() => {
    if (props.active) cards.current.get(props.active)?.scrollIntoView({ block: "nearest" });
  }, [props.active]);

  const showInText = (threadId: string) => {
    const range = ranges.get(threadId);
    props.onActivate(threadId);
    if (!editor || !range) return;
    const { view } = editor;
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, range.from, range.to)).scrollIntoView());
    view.focus();
  };

  const openCount = threads.filter((thread) => thread.status === "open").length;
  const card = (thread: ThreadData) => (
    <li key={thread.id} className="annotations__item">
      <ThreadCard
        ref={(element) => {
          if (element) cards.current.set(thread.id, element);
          else cards.current.delete(thread.id);
        }}
        slug={props.slug}
        thread={thread}
        active={props.active === thread.id}
        inText={inText(thread)}
        delegationName={props.delegationName}
        onShowInText={showInText}
        onActivate={props.onActivate}
        onChanged={props.onChanged}
      />
    </li>
  );

  return (
    <section className={aligned ? "annotations annotations--aligned" : "annotations"} aria-labelledby="annotations-title" data-live={props.live ? "true" : "false"}>
      <h2 id="annotations-title" className="annotations__title">
        {t("annotations.title")} <span className="annotations__count">{t("annotations.openCount", { count: openCount })}</span>
      </h2>
      <div className="annotations__filters" role="group" aria-label={t("annotations.filters")}>
        <label>
          <span>{t("annotations.filterStatus")}</span>
          <select value={filters.status} onChange={(event) => filters.setStatus(event.target.value as StatusFilter)}>
            <option value="open">{t("annotations.filterOpen")}</option>
            <option value="resolved">{t("annotations.filterResolved")}</option>
            <option value="all">{t("annotations.filterAll")}</option>
          </select>
        </label>
        <label>
          <span>{t("annotations.filterDelegation")}</span>
          <select value={filters.delegation} onChange={(event) => filters.setDelegation(event.target.value)}>
            <option value="">{t("annotations.filterEveryone")}</option>
            {props.delegations.map((delegation) => (
              <option key={delegation.code} value={delegation.code}>
                {delegation.shortName}
              </option>
            ))}
            <option value="secretariat">{t("role.secretariat")}</option>
          </select>
        </label>
        <label className="annotations__mine">
          <input type="checkbox" checked={filters.mine} onChange={(event) => filters.setMine(event.target.checked)} />
          <span>{t("annotations.filterMine")}</span>
        </label>
      </div>
      {props.composing ? (
        <ThreadComposer
          key={props.composing.key}
          slug={props.slug}
          composing={props.composing}
          editor={editor}
          privateDelegation={props.privateDelegation}
          onCancel={props.onCancelComposing}
          onCreated={props.onCreated}
        />
      ) : null}
      {attached.length === 0 && detached.length === 0 ? <p className="muted annotations__empty">{t("annotations.none")}</p> : null}
      <ol ref={list} className="annotations__list" aria-label={t("annotations.inText")}>
        {attached.map(card)}
      </ol>
      {detached.length > 0 ? (
        <>
          <h3 className="annotations__group">{t("annotations.detachedGroup")}</h3>
          <p className="muted annotations__hint">{t("annotations.detachedHint")}</p>
          <ol className="annotations__list annotations__list--detached">{detached.map(card)}</ol>
        </>
      ) : null}
    </section>
  );
}

// The list item around a card is what stands at the card's height.
function itemOf(card: HTMLElement): HTMLElement {
  return card.parentElement ?? card;
}
