import type { Plugin } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { ClauseMark } from "~/editor/clause-status";
import { CollabSession, type CollabStatus } from "~/editor/collab";
import { t } from "../../i18n/translate";
import { useClauseStatusMargin } from "./clause-status-margin";
import { EditorToolbar } from "./editor-toolbar";
import { SelectionActions, type SelectionAction } from "./selection-actions";

/** The live editor, for page-level features: the view (selection, positions) and the collaboration session (Yjs). */
export interface LiveEditor {
  view: EditorView;
  session: CollabSession;
}

const NO_PLUGINS: readonly Plugin[] = [];

/** What the editor shows of the person using it. */
export interface EditorSelf {
  name: string;
  delegationName: string | null;
  color: string;
}

/**
 * The live co-editor of one draft. The text arrives over the collaboration socket; until it has
 * synced, and whenever the person may only read, the editor does not accept typing.
 */
export function DraftEditor(props: {
  draftId: string;
  /** The language of the draft's text: the editor's `lang`, which sets the browser's spell-checking. */
  language: string;
  self: EditorSelf;
  readOnlyReason: string | null;
  /** Each clause's status, by clause id, for the margin. */
  clauseMarks?: ReadonlyMap<string, ClauseMark>;
  /** Further ProseMirror plugins from the page. Keep the array stable: a new one rebuilds the editor. */
  plugins?: readonly Plugin[];
  /** Called with the live editor once it exists, and with null when it goes away. */
  onReady?: (editor: LiveEditor | null) => void;
  /** What the page offers to do with selected text, in a toolbar beside the selection. */
  selectionActions?: readonly SelectionAction[];
  /** Shown beside the text, below the people in the draft (such as the comments). */
  aside?: ReactNode;
}) {
  const mount = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<EditorView | null>(null);
  const [status, setStatus] = useState<CollabStatus | null>(null);
  const [revision, setRevision] = useState(0);
  const statusRef = useRef<CollabStatus | null>(null);
  const { draftId, language, readOnlyReason } = props;
  const { name, delegationName, color } = props.self;
  const clauseStatus = useClauseStatusMargin(view, props.clauseMarks);
  const clauseStatusPlugin = clauseStatus.plugin;
  const pagePlugins = props.plugins ?? NO_PLUGINS;
  const onReady = useRef(props.onReady);
  useEffect(() => {
    onReady.current = props.onReady;
  });
  // The reason to read only can change while the page is open (a new phase): the live session
  // takes it, without rebuilding the editor.
  const initialReadOnlyReason = useRef(readOnlyReason);
  const sessionRef = useRef<CollabSession | null>(null);
  useEffect(() => {
    sessionRef.current?.setReadOnlyReason(readOnlyReason);
  }, [readOnlyReason]);

  useEffect(() => {
    if (!mount.current) return;
    const session = new CollabSession(draftId, { readOnlyReason: initialReadOnlyReason.current });
    sessionRef.current = session;
    // The server replaces this with what it knows of the connection before anyone else sees it.
    session.provider.awareness.setLocalStateField("user", { name, delegationName, color });
    let editorView: EditorView | null = null;
    // Imported here: ProseMirror's view needs the browser.
    void import("~/editor/create-view").then(({ createEditorView }) => {
      if (!mount.current) return;
      editorView = createEditorView({
        mount: mount.current,
        session,
        label: t("editor.label"),
        language,
        editable: () => isEditable(statusRef.current),
        onChange: () => setRevision((revision) => revision + 1),
        plugins: [clauseStatusPlugin, ...pagePlugins],
      });
      setView(editorView);
      onReady.current?.({ view: editorView, session });
    });
    const unsubscribe = session.subscribe((next) => {
      statusRef.current = next;
      setStatus(next);
      editorView?.setProps({});
    });
    return () => {
      unsubscribe();
      if (editorView) onReady.current?.(null);
      // Nothing may reach a destroyed view: those who hold it learn it is gone first.
      setView(null);
      editorView?.destroy();
      session.destroy();
      sessionRef.current = null;
    };
  }, [draftId, language, name, delegationName, color, clauseStatusPlugin, pagePlugins]);

  const editable = isEditable(status);
  return (
    <div className="editor">
      <div className="editor__bar">
        {view && editable ? <EditorToolbar view={view} /> : null}
        <ConnectionIndicator status={status} />
      </div>
      {status?.readOnlyReason ? (
        <p className="alert alert--info" role="status">
          {t("editor.readOnly")} {status.readOnlyReason === t("editor.readOnly") ? null : status.readOnlyReason}
        </p>
      ) : null}
      {status?.notice ? (
        <p className="alert alert--info" role="status" data-testid="collab-notice">
          {status.notice}
        </p>
      ) : null}
      {status?.closedReason ? (
        <p className="alert alert--error" role="alert">
          {t("editor.closed", { reason: status.closedReason })}
        </p>
      ) : null}
      {clauseStatus.banner}
      <div className="editor__layout">
        <div className="editor__page">
          {status?.synced ? null : <p className="muted editor__loading">{t("editor.loading")}</p>}
          <div ref={mount} className="editor__mount" data-synced={status?.synced ? "true" : "false"} />
          {view && props.selectionActions ? <SelectionActions view={view} actions={props.selectionActions} revision={revision} /> : null}
        </div>
        <div className="editor__side">
          <PeopleList status={status} />
          {props.aside}
        </div>
      </div>
    </div>
  );
}

function isEditable(status: CollabStatus | null): boolean {
  return Boolean(status?.synced && !status.readOnlyReason && !status.closedReason);
}

function ConnectionIndicator({ status }: { status: CollabStatus | null }) {
  const connection = status?.connection ?? "connecting";
  const unconfirmed = status?.unconfirmed ?? 0;
  const saved = unconfirmed === 0 ? t("editor.allSaved") : t("editor.unconfirmed", { count: unconfirmed });
  return (
    <div className={`connection connection--${connection}`} role="status" aria-live="polite" data-connection={connection}>
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__state">{t(`editor.status.${connection}`)}</span>
      <span className="connection__saved" data-unconfirmed={unconfirmed}>
        {saved}
      </span>
      {/* A connection the server closed for good (signed out, a refused change) does not return. */}
      {(connection === "offline" || connection === "reconnecting") && !status?.closedReason ? (
        <span className="connection__help">{t("editor.offlineHelp")}</span>
      ) : null}
    </div>
  );
}

function PeopleList({ status }: { status: CollabStatus | null }) {
  const people = status?.people ?? [];
  return (
    <aside className="people" aria-labelledby="people-title">
      <h2 id="people-title" className="people__title">
        {t("editor.people")}
      </h2>
      <ul className="people__list">
        {people.map((person) => (
          <li key={person.clientId}>
            <span className="swatch" aria-hidden="true" style={{ background: person.color }} />
            <span className="people__name">{person.name}</span>
            {person.delegationName ? <span className="people__delegation">{person.delegationName}</span> : null}
            {person.self ? <span className="people__you">({t("editor.you")})</span> : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
