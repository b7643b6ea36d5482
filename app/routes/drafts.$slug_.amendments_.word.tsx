import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { WordUploadForm } from "~/components/word-upload-form";
import { t } from "../../i18n/translate";
import { errorsOf } from "~/utils/forms";
import { FormRejection, formAction } from "~/utils/forms.server";
import { requireTablingDraft } from "~/utils/markup.server";
import { readUpload } from "~/utils/uploads.server";
import { DomainError } from "../../server/domain/messages";
import { storeMarkupUpload } from "../../server/domain/markup-amendments";
import { MAX_UPLOAD_BYTES } from "../../server/word/archive";

export const meta: MetaFunction = () => [{ title: `${t("markup.title")} — ${t("app.name")}` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { draft } = await requireTablingDraft(context, request, params.slug);
  const url = new URL(request.url);
  const done = url.searchParams.has("tabled") ? { tabled: Number(url.searchParams.get("tabled")) || 0, threads: Number(url.searchParams.get("threads")) || 0 } : null;
  return { draft: { slug: draft.slug, title: draft.title }, gone: url.searchParams.get("gone") === "1", done, megabytes: Math.round(MAX_UPLOAD_BYTES / 1024 / 1024) };
}

/** `POST /drafts/<slug>/amendments/word`: a capital's marked-up copy, read whole and kept for review; anything else is refused and not kept. */
export const action = formAction(async ({ context, request, params }) => {
  const { user, draft } = await requireTablingDraft(context, request, params.slug);
  const { file } = await readUpload(request, { field: "file", maxFileBytes: MAX_UPLOAD_BYTES });
  if (!file) throw new FormRejection({ file: t("import.chooseFile") });
  let id: string;
  try {
    id = await storeMarkupUpload({ actor: user, draftId: draft.id, fileName: file.name, bytes: file.bytes });
  } catch (error) {
    if (error instanceof DomainError) throw new FormRejection({ file: t(error.key, error.params) }, {}, 422);
    throw error;
  }
  throw redirect(`/drafts/${draft.slug}/amendments/word/${id}`);
});

export default function MarkupUpload() {
  const { draft, gone, done, megabytes } = useLoaderData<typeof loader>();
  const errors = errorsOf(useActionData<typeof action>());
  return (
    <article aria-labelledby="markup-title">
      <p>
        <Link to={`/drafts/${draft.slug}`}>{t("markup.backToDraft")}</Link>
      </p>
      <h1 id="markup-title">{t("markup.title")}</h1>
      {done ? (
        <p className="alert alert--success" role="status">
          {t("markup.done", done)}
        </p>
      ) : null}
      <p className="lead">{t("markup.intro")}</p>
      <section className="panel" aria-label={t("markup.title")}>
        <WordUploadForm label={t("markup.fileLabel")} button={t("markup.read")} megabytes={megabytes} errors={errors} notice={gone ? t("markup.gone") : undefined} />
      </section>
    </article>
  );
}
