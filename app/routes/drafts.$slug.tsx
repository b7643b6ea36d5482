import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { EditorView } from "prosemirror-view";
import { useCallback, useEffect, useMemo, useState } from "react";
import prosemirrorStyles from "prosemirror-view/style/prosemirror.css?url";
import { AmendmentsPanel } from "~/components/amendments/amendments-panel";
import { TableAmendmentForm, type TablingRange } from "~/components/amendments/table-amendment-form";
import { useAmendments } from "~/components/amendments/use-amendments";
import { ClauseStatusPanel, ClauseStatusSummary } from "~/components/clause-status-panel";
import { useClauseMarks, useClauseStatusUpdates } from "~/components/clause-status-margin";
import { DateTime } from "~/components/date-time";
import { useAnnotations } from "~/components/annotations/use-annotations";
import { DraftEditor, type LiveEditor } from "~/components/draft-editor";
import type { SelectionAction } from "~/components/selection-actions";
import { t } from "../../i18n/translate";
import amendmentStyles from "~/styles/amendments.css?url";
import annotationStyles from "~/styles/annotations.css?url";
import editorStyles from "~/styles/editor.css?url";
import { amendmentPageAction, loadAmendmentsView } from "~/utils/amendments.server";
import { loadAnnotationsView } from "~/utils/annotations.server";
import roundStyles from "~/styles/rounds.css?url";
import meetingStyles from "~/styles/meetings.css?url";
import { MeetingAnnouncer, MeetingPanel, MeetingStrip, useMeeting } from "~/components/meeting-panel";
import { meetingPointerPlugin } from "~/editor/meeting-pointer";
import { loadMeetingView, loadRecordOf } from "~/utils/meetings.server";
import { meetingPath } from "~/utils/meetings";
import { PhaseBanner } from "~/components/phase-banner";
import { loadPhaseBanner } from "~/utils/rounds.server";
import { clauseStatusAction, loadClauseStatusView } from "~/utils/clause-status.server";
import { bracketAction, loadBracketsView } from "~/utils/brackets.server";
import { BracketForm, type BracketingRange } from "~/components/bracket-form";
import { BracketsPanel } from "~/components/brackets-panel";
import { bracketsPlugin, listBrackets, setBracketView, supportAlternative, type BracketView, type ListedBracket } from "~/editor/brackets";
import { formAction, formIntent } from "~/utils/forms.server";
import { authorize, notFound, requireUser } from "~/utils/session.server";
import { can } from "../../server/auth/policy";
import { editingClosedReason } from "../../server/auth/phases";
import { findDelegation } from "../../server/domain/delegations";
import { draftResource, findDraftBySlug } from "../../server/domain/drafts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: prosemirrorStyles },
  { rel: "stylesheet", href: editorStyles },
  { rel: "stylesheet", href: annotationStyles },
  { rel: "stylesheet", href: amendmentStyles },
  { rel: "stylesheet", href: roundStyles },
  { rel: "stylesheet", href: meetingStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.draft.title} — ${t("app.name")}` : t("app.name") },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  authorize(user, "draft.read", { type: "draft", id: draft.id });
  const delegation = user.delegationCode ? await findDelegation(user.delegationCode) : null;
  const canEdit = can(user, "draft.edit", draftResource(draft));
  const [clauseStatus, annotations, amendments, phaseBanner, brackets, meeting, recordOf] = await Promise.all([
    loadClauseStatusView(user, draft),
    loadAnnotationsView(context.live, user, draft),
    loadAmendmentsView(user, draft),
    loadPhaseBanner(user, draft),
    loadBracketsView(user, draft),
    loadMeetingView(user, draft),
    loadRecordOf(draft),
  ]);
  return {
    amendments,
    annotations,
    clauseStatus,
    brackets,
    canBracket: canEdit,
    meeting,
    recordOf,
    draft: {
      id: draft.id,
      slug: draft.slug,
      title: draft.title,
      summary: draft.summary,
      createdAt: draft.createdAt,
      updatedAt: draft.updatedAt,
      language: draft.language,
    },
    phaseBanner,
    readOnlyReason: canEdit ? null : user.role === "observer" ? t("draft.observerReadOnly") : closedText(editingClosedReason(draft.stage)),
    self: {
      name: user.displayName,
      delegationName: delegation?.shortName ?? (user.role === "secretariat" ? t("role.secretariat") : null),
      color: delegation?.colour ?? "#4a5368",
      delegationCode: user.delegationCode,
    },
  };
}

// Why the text is read-only for someone the policy lets read only.
function closedText(reason: ReturnType<typeof editingClosedReason>): string {
  return reason ? t(reason.key, reason.params) : t("editor.readOnly");
}

export const action = formAction(async ({ context, request, params }) => {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(params.slug ?? "");
  if (!draft) throw notFound();
  authorize(user, "draft.read", { type: "draft", id: draft.id });
  const intent = await formIntent(request);
  if (intent.startsWith("amendment-")) return amendmentPageAction(context.live, { request, user, draft, intent });
  if (intent === "bracket-resolve") return bracketAction(context.live, { request, user, draft });
  return clauseStatusAction(context.live, { request, user, draft });
});

export default function DraftPage() {
  const { draft, readOnlyReason, self, clauseStatus, annotations, phaseBanner, amendments: amendmentsView, brackets, canBracket, meeting: meetingView, recordOf } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const clauseMarks = useClauseMarks(clauseStatus);
  useClauseStatusUpdates(draft.slug, clauseStatus !== null);
  const comments = useAnnotations(draft.slug, annotations);
  const [editor, setEditor] = useState<EditorView | null>(null);
  const amendments = useAmendments(draft.slug, amendmentsView, editor);
  const [tabling, setTabling] = useState<TablingRange | null>(null);
  const [bracketing, setBracketing] = useState<BracketingRange | null>(null);
  const [bracketView, setBracketViewState] = useState<BracketView>("bracketed");
  // One plugin for the page's life: the editor keeps the plugins it started with, and the
  // delegations' colours do not change while the page is open (revalidation brings equal copies).
  // The list of open brackets follows the live text once the editor has it (the loader's is the first).
  const [liveBrackets, setLiveBrackets] = useState<ListedBracket[] | null>(null);
  const [bracketPlugin] = useState(() => {
    const names = new Map((brackets?.names ?? []).map((entry) => [entry.code, entry.name]));
    const colours = new Map(amendmentsView.delegations.map((delegation) => [delegation.code, { name: delegation.name, colour: delegation.colour }]));
    return bracketsPlugin(colours, (doc) => {
      const next = listBrackets(doc, names);
      setLiveBrackets((previous) => (previous && JSON.stringify(previous) === JSON.stringify(next) ? previous : next));
    });
  });
  const [pointerPlugin] = useState(meetingPointerPlugin);
  const meeting = useMeeting(draft.slug, meetingView);
  const plugins = useMemo(() => [...comments.plugins, amendments.plugin, bracketPlugin, pointerPlugin], [comments.plugins, amendments.plugin, bracketPlugin, pointerPlugin]);
  // A bracket resolved or added changes what the chair may declare agreed: the session's view follows.
  const refreshMeeting = meeting.refresh;
  const liveMeeting = meeting.view !== null;
  useEffect(() => {
    if (liveBrackets && liveMeeting) refreshMeeting();
  }, [liveBrackets, liveMeeting, refreshMeeting]);
  const changeBracketView = useCallback(
    (mode: BracketView) => {
      setBracketViewState(mode);
      if (editor) setBracketView(editor, mode);
    },
    [editor],
  );
  const onCommentsReady = comments.onReady;
  const onReady = useCallback(
    (live: LiveEditor | null) => {
      onCommentsReady(live);
      setEditor(live?.view ?? null);
    },
    [onCommentsReady],
  );
  const selectionActions = useMemo<SelectionAction[]>(
    () => [
      ...comments.selectionActions,
      ...(amendmentsView.canTable ? [{ id: "amendment", label: t("amendments.tableAction"), run: (range: TablingRange) => setTabling(range) }] : []),
      ...(canBracket && !readOnlyReason ? [{ id: "bracket", label: t("brackets.action"), run: (range: BracketingRange) => setBracketing(range) }] : []),
    ],
    [comments.selectionActions, amendmentsView.canTable, canBracket, readOnlyReason],
  );
  // A writer's delegation supports an alternative, or stops: an edit of the text like typing.
  const supporting = useMemo(() => {
    if (!canBracket || readOnlyReason || !self.delegationCode || !editor) return null;
    const code = self.delegationCode;
    return {
      code,
      name: self.delegationName ?? code,
      onSupport: (input: { bracketId: string; option: number; support: boolean }) => {
        const tr = supportAlternative(editor.state, { ...input, delegationCode: code });
        if (tr) editor.dispatch(tr);
      },
    };
  }, [canBracket, readOnlyReason, self.delegationCode, self.delegationName, editor]);
  const closeBracketing = useCallback(() => {
    setBracketing(null);
    editor?.focus();
  }, [editor]);
  const closeTabling = useCallback(() => {
    setTabling(null);
    editor?.focus();
  }, [editor]);
  return (
    <article aria-labelledby="draft-title" className="draft-page">
      <p>
        <Link to="/drafts">{t("draft.backToList")}</Link>
      </p>
      <h1 id="draft-title" lang={draft.language}>
        {draft.title}
      </h1>
      {draft.summary ? (
        <p className="lead" lang={draft.language}>
          {draft.summary}
        </p>
      ) : null}
      <p className="muted draft-page__facts">
        {t("drafts.textIn", { language: t(`language.name.${draft.language}`) })} · {t("draft.created")} <DateTime value={draft.createdAt} /> · {t("draft.updated")} <DateTime value={draft.updatedAt} /> ·{" "}
        <Link to={`/drafts/${draft.slug}/versions`}>{t("versions.link")}</Link> ·{" "}
        <Link to={`/drafts/${draft.slug}/motions`}>{t("motions.linkFromDraft")}</Link> ·{" "}
        <Link to={`/drafts/${draft.slug}/sessions`}>{t("meetings.link")}</Link>
      </p>
      {recordOf ? (
        <p className="alert alert--info" data-testid="record-of">
          {t("meetings.recordNotice", { number: recordOf.number, title: recordOf.title })}{" "}
          {recordOf.state ? t(`meetings.recordState.${recordOf.state}`) : null}.{" "}
          <Link to={meetingPath(recordOf.slug, recordOf.number)}>{t("meetings.panel.sessionPage")}</Link>
        </p>
      ) : null}
      {phaseBanner ? <PhaseBanner view={phaseBanner} slug={draft.slug} /> : null}
      {clauseStatus ? <ClauseStatusSummary summary={clauseStatus.summary} /> : null}
      <MeetingAnnouncer announcement={meeting.announcement} />
      {meeting.view ? <MeetingPanel slug={draft.slug} view={meeting.view} skewMs={meeting.skewMs} editor={editor} /> : null}
      <DraftEditor
        draftId={draft.id}
        language={draft.language}
        readOnlyReason={readOnlyReason}
        self={self}
        clauseMarks={clauseMarks}
        plugins={plugins}
        onReady={onReady}
        selectionActions={selectionActions}
        aside={comments.aside}
      />
      {bracketing && editor ? <BracketForm key={`${bracketing.from}-${bracketing.to}`} range={bracketing} editor={editor} delegationCode={self.delegationCode} onClose={closeBracketing} /> : null}
      {tabling ? <TableAmendmentForm key={`${tabling.from}-${tabling.to}`} range={tabling} delegationName={self.delegationName} onClose={closeTabling} /> : null}
      <AmendmentsPanel
        amendments={amendments.amendments}
        delegations={amendmentsView.delegations}
        visible={amendments.visible}
        onVisibleChange={amendments.setVisible}
        actionData={actionData}
        editor={editor}
        canTable={amendmentsView.canTable}
      />
      {brackets ? <BracketsPanel brackets={liveBrackets ?? brackets.brackets} canResolve={brackets.canResolve} view={bracketView} onViewChange={changeBracketView} actionData={actionData} supporting={supporting} /> : null}
      {clauseStatus?.canSet ? <ClauseStatusPanel view={clauseStatus} actionData={actionData} /> : null}
      {meeting.view ? <MeetingStrip view={meeting.view} skewMs={meeting.skewMs} /> : null}
    </article>
  );
}
