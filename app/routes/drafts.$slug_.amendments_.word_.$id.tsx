import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormAlert } from "~/components/form-field";
import { t, type MessageKey } from "../../i18n/translate";
import { errorsOf, valuesOf } from "~/utils/forms";
import { FormRejection, formAction, parseForm } from "~/utils/forms.server";
import { requireTablingDraft } from "~/utils/markup.server";
import type { SessionUser } from "../../server/auth/session";
import type { Draft } from "../../server/domain/drafts";
import { findMarkupUpload, MarkupChoiceError, markupProposals, tableMarkup, type MarkupChoices } from "../../server/domain/markup-amendments";
import type { MarkupNote, MarkupProposal } from "../../server/domain/markup-proposals";
import type { WordUpload } from "../../server/domain/word-imports";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("markup.reviewTitle", { file: data.fileName })} — ${t("app.name")}` : t("app.name") },
];

async function requireMarkup(user: SessionUser, draft: Draft, id: string | undefined): Promise<WordUpload> {
  const upload = await findMarkupUpload({ actor: user, draftId: draft.id, id: id ?? "" });
  // Expired, used, or someone else's: the upload page says so.
  if (!upload) throw redirect(`/drafts/${draft.slug}/amendments/word?gone=1`);
  return upload;
}

/** `GET /drafts/<slug>/amendments/word/<id>`: the marked-up file's changes as proposed amendments against the text now. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { user, draft } = await requireTablingDraft(context, request, params.slug);
  const upload = await requireMarkup(user, draft, params.id);
  const found = await markupProposals(draft.id, upload);
  return { draft: { slug: draft.slug, title: draft.title, language: draft.language }, fileName: upload.fileName, ...found };
}

const NOTE_CHOICES = ["skip", "all", "delegation"] as const;

/** `POST /drafts/<slug>/amendments/word/<id>`: tables the ticked amendments as edited, and starts the chosen threads. */
export const action = formAction(async ({ context, request, params }) => {
  const { user, draft } = await requireTablingDraft(context, request, params.slug);
  const upload = await requireMarkup(user, draft, params.id);
  const values = await parseForm(request, z.record(z.string()));
  const choices: MarkupChoices = { amendments: [], notes: [] };
  for (const [name, value] of Object.entries(values)) {
    if (name.startsWith("take:") && value === "on") {
      const key = name.slice("take:".length);
      choices.amendments.push({ key, proposed: values[`proposed:${key}`] ?? "", rationale: (values[`rationale:${key}`] ?? "").trim() });
    } else if (name.startsWith("note:") && (value === "all" || value === "delegation")) {
      choices.notes.push({ key: name.slice("note:".length), visibility: value });
    }
  }
  try {
    const done = await tableMarkup(context.live, { actor: user, draftId: draft.id, upload, choices });
    throw redirect(`/drafts/${draft.slug}/amendments/word?tabled=${done.tabled}&threads=${done.threads}`);
  } catch (error) {
    if (!(error instanceof MarkupChoiceError)) throw error;
    const errors: Record<string, string> = { form: t(error.key, error.params) };
    for (const [key, reason] of error.refused) errors[key] = t(`markup.refused.${reason}` as MessageKey);
    throw new FormRejection(errors, values, 409);
  }
});

export default function MarkupReview() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const busy = useNavigation().state === "submitting";
  const sent = actionData !== undefined;
  return (
    <article aria-labelledby="review-title" className="markup-review">
      <p>
        <Link to={`/drafts/${data.draft.slug}/amendments/word`}>{t("import.another")}</Link> · <Link to={`/drafts/${data.draft.slug}`}>{t("markup.backToDraft")}</Link>
      </p>
      <h1 id="review-title">{t("markup.reviewTitle", { file: data.fileName })}</h1>
      <p className="lead">{t("markup.reviewIntro", { count: data.proposals.length })}</p>
      {data.outsideClauses ? <p className="alert alert--info">{t("markup.outside", { count: data.outsideClauses })}</p> : null}
      <FormAlert message={errors.form} />
      <Form method="post" noValidate>
        {data.proposals.map((proposal) => (
          <Proposal key={proposal.key} proposal={proposal} lang={data.draft.language} error={errors[proposal.key]} values={values} sent={sent} />
        ))}
        {data.notes.length ? (
          <section className="panel" aria-labelledby="notes-title">
            <h2 id="notes-title">{t("markup.notesTitle")}</h2>
            {data.notes.map((note) => (
              <Note key={note.key} note={note} lang={data.draft.language} error={errors[note.key]} chosen={values[`note:${note.key}`]} />
            ))}
          </section>
        ) : null}
        <p>
          <button type="submit" className="button" disabled={busy}>
            {t("markup.submit")}
          </button>
        </p>
      </Form>
    </article>
  );
}

function clauseLabel(item: { clauseNumber: string | null }): string {
  return item.clauseNumber ? t("markup.clause", { number: item.clauseNumber }) : t("markup.clauseGone");
}

function Proposal({ proposal, lang, error, values, sent }: { proposal: MarkupProposal; lang: string; error?: string; values: Record<string, string>; sent: boolean }) {
  const id = proposal.key.replace(/[^a-zA-Z0-9]/g, "-");
  const takeable = proposal.range !== null;
  // Clean changes are ticked at first; a side-by-side decision is the delegation's to make.
  const ticked = sent ? values[`take:${proposal.key}`] === "on" : takeable && !proposal.sideBySide;
  return (
    <fieldset className={error ? "panel markup-proposal field--error" : "panel markup-proposal"} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>
        {clauseLabel(proposal)} — {t(`markup.kind.${proposal.kind}` as MessageKey)}
      </legend>
      <p className="muted">{t("markup.by", { author: proposal.author })}</p>
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {proposal.sideBySide ? (
        <div className="markup-side-by-side">
          <p>{proposal.newParagraph ? t("markup.newParagraph") : !proposal.range ? t("markup.paragraphGone") : proposal.bracketSigns ? t("markup.bracketSigns") : t("markup.changedSince")}</p>
          <dl>
            <dt>{t("markup.before")}</dt>
            <dd lang={lang}>{proposal.sideBySide.before}</dd>
            <dt>{t("markup.now")}</dt>
            <dd lang={lang}>{proposal.sideBySide.now ?? "—"}</dd>
            <dt>{t("markup.after")}</dt>
            <dd lang={lang}>{proposal.sideBySide.after}</dd>
          </dl>
        </div>
      ) : proposal.quote ? (
        <p>
          {t("common.label", { label: t("markup.quote") })} <del lang={lang}>{proposal.quote}</del>
        </p>
      ) : null}
      {takeable ? (
        <>
          <label className="choice">
            <input type="checkbox" name={`take:${proposal.key}`} defaultChecked={ticked} /> {t("markup.take")}
          </label>
          {proposal.kind !== "delete" ? (
            <div className="field">
              <label htmlFor={`${id}-proposed`}>{t("markup.proposed")}</label>
              <textarea id={`${id}-proposed`} name={`proposed:${proposal.key}`} rows={3} lang={lang} defaultValue={values[`proposed:${proposal.key}`] ?? proposal.proposed} />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={`${id}-rationale`}>{t("markup.rationale")}</label>
            <textarea id={`${id}-rationale`} name={`rationale:${proposal.key}`} rows={2} defaultValue={values[`rationale:${proposal.key}`] ?? proposal.rationale} />
          </div>
        </>
      ) : null}
    </fieldset>
  );
}

function Note({ note, lang, error, chosen }: { note: MarkupNote; lang: string; error?: string; chosen?: string }) {
  return (
    <fieldset className="markup-note">
      <legend>
        {clauseLabel(note)} — {t("markup.noteFrom", { author: note.author, quote: note.quote })}
      </legend>
      <p lang={lang}>{note.text}</p>
      {error ? <p className="field__error">{error}</p> : null}
      {note.range ? (
        NOTE_CHOICES.map((choice) => (
          <label key={choice} className="choice">
            <input type="radio" name={`note:${note.key}`} value={choice} defaultChecked={(chosen ?? "skip") === choice} /> {t(`markup.note.${choice}` as MessageKey)}
          </label>
        ))
      ) : (
        <p className="muted">{t("markup.noteGone")}</p>
      )}
    </fieldset>
  );
}
