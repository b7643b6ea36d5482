import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormAlert, FormField, SelectField } from "~/components/form-field";
import { LANGUAGES } from "../../i18n/languages";
import { t, type MessageKey } from "../../i18n/translate";
import { fields, formAction, parseForm } from "~/utils/forms.server";
import { errorsOf, valuesOf } from "~/utils/forms";
import { authorize, requireUser } from "~/utils/session.server";
import type { SessionUser } from "../../server/auth/session";
import { MAX_TITLE_LENGTH } from "../../server/domain/drafts";
import { createDraftFromUpload, findWordUpload, previewWordUpload, type WordUpload } from "../../server/domain/word-imports";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("import.previewTitle", { file: data.fileName })} — ${t("app.name")}` : t("app.name") },
];

const SITE = { type: "site" } as const;
const CHANGES = ["accept", "reject"] as const;

async function requireUpload(user: SessionUser, id: string | undefined): Promise<WordUpload> {
  const upload = await findWordUpload({ actor: user, id: id ?? "" });
  // Expired, used, or someone else's: the upload page says so.
  if (!upload) throw redirect("/drafts/import?gone=1");
  return upload;
}

/** `GET /drafts/import/<id>?changes=accept|reject`: what the uploaded file becomes, before anything is created. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "draft.create", SITE);
  const upload = await requireUpload(user, params.id);
  const changes = new URL(request.url).searchParams.get("changes") === "reject" ? "reject" : "accept";
  const preview = previewWordUpload(upload, changes);
  return {
    id: upload.id,
    fileName: upload.fileName,
    changes,
    title: preview.title.slice(0, MAX_TITLE_LENGTH),
    outline: preview.outline,
    lost: preview.lost,
    trackedChanges: preview.trackedChanges,
    language: context.language,
    maxTitleLength: MAX_TITLE_LENGTH,
  };
}

const CreateForm = z.object({
  title: fields.text(MAX_TITLE_LENGTH),
  language: fields.choice(LANGUAGES).optional(),
  changes: fields.choice(CHANGES).optional(),
});

/** `POST /drafts/import/<id>`: creates the draft from the file, its text saved as the first version. */
export const action = formAction(async ({ context, request, params }) => {
  const user = requireUser(context, request);
  authorize(user, "draft.create", SITE);
  const upload = await requireUpload(user, params.id);
  const input = await parseForm(request, CreateForm);
  const draft = await createDraftFromUpload(context.live, {
    actor: user,
    upload,
    title: input.title,
    language: input.language ?? context.language,
    trackedChanges: input.changes ?? "accept",
  });
  throw redirect(`/drafts/${draft.slug}`);
});

export default function ImportPreview() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const busy = useNavigation().state === "submitting";
  const sections = data.outline.filter((entry) => entry.kind === "heading").length;
  const clauses = data.outline.filter((entry) => entry.kind === "clause").length;
  const preamble = data.outline.filter((entry) => entry.kind === "preamble");
  return (
    <article aria-labelledby="preview-title" className="import-preview">
      <p>
        <Link to="/drafts/import">{t("import.another")}</Link>
      </p>
      <h1 id="preview-title">{t("import.previewTitle", { file: data.fileName })}</h1>
      <p className="lead">{t("import.previewIntro", { sections, clauses })}</p>

      <section className="panel" aria-labelledby="lost-title">
        <h2 id="lost-title">{t("import.lostTitle")}</h2>
        {data.lost.length ? (
          <ul>
            {data.lost.map((item) => (
              <li key={item.kind}>{t(`import.lost.${item.kind}` as MessageKey, { count: item.count })}</li>
            ))}
          </ul>
        ) : (
          <p>{t("import.lostNone")}</p>
        )}
        {data.trackedChanges > 0 ? (
          <Form method="get" className="inline-form">
            <fieldset>
              <legend>{t("import.changesLegend")}</legend>
              {CHANGES.map((choice) => (
                <label key={choice} className="choice">
                  <input type="radio" name="changes" value={choice} defaultChecked={data.changes === choice} />{" "}
                  {t(choice === "accept" ? "import.changesAccept" : "import.changesReject")}
                </label>
              ))}
            </fieldset>
            <div>
              <button type="submit" className="button button--quiet">
                {t("import.changesShow")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="create-title">
        <h2 id="create-title">{t("import.createTitle")}</h2>
        <FormAlert message={errors.form} />
        <Form method="post" className="inline-form" noValidate>
          <input type="hidden" name="changes" value={data.changes} />
          <FormField label={t("import.titleLabel")} name="title" type="text" required maxLength={data.maxTitleLength} defaultValue={values.title ?? data.title} error={errors.title} />
          <SelectField
            label={t("drafts.languageLabel")}
            name="language"
            options={LANGUAGES.map((code) => ({ value: code, label: t(`language.name.${code}`) }))}
            defaultValue={values.language ?? data.language}
            hint={t("drafts.languageHint")}
            error={errors.language}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("import.create")}
            </button>
          </div>
        </Form>
      </section>

      <section className="panel import-outline" aria-labelledby="structure-title">
        <h2 id="structure-title">{t("import.structureTitle")}</h2>
        <p>
          <strong>{data.title}</strong>
        </p>
        {preamble.length ? (
          <>
            <h3>{t("import.preamble")}</h3>
            {preamble.map((entry, index) => (
              <p key={`p${index}`}>{entry.text}</p>
            ))}
          </>
        ) : null}
        <Outline outline={data.outline} />
      </section>
    </article>
  );
}

// The sections, each heading over its clauses with the numbers Accord will give them.
function Outline({ outline }: { outline: { kind: string; number?: string; text: string }[] }) {
  const sections: { heading: { number?: string; text: string }; clauses: { number?: string; text: string }[] }[] = [];
  for (const entry of outline) {
    if (entry.kind === "heading") sections.push({ heading: entry, clauses: [] });
    else if (entry.kind === "clause") {
      if (!sections.length) sections.push({ heading: { text: "" }, clauses: [] });
      sections.at(-1)?.clauses.push(entry);
    }
  }
  return (
    <>
      {sections.map((section, index) => (
        <section key={index} aria-label={section.heading.text || section.heading.number || String(index + 1)}>
          <h3>
            {section.heading.number ? `${section.heading.number}. ` : ""}
            {section.heading.text}
          </h3>
          <dl className="import-outline__clauses">
            {section.clauses.map((clause, at) => (
              <div key={at}>
                <dt>{clause.number}</dt>
                <dd>{clause.text}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </>
  );
}
