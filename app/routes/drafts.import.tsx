import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { WordUploadForm } from "~/components/word-upload-form";
import { t } from "../../i18n/translate";
import { FormRejection, formAction } from "~/utils/forms.server";
import { errorsOf } from "~/utils/forms";
import { authorize, requireUser } from "~/utils/session.server";
import { readUpload } from "~/utils/uploads.server";
import { storeWordUpload } from "../../server/domain/word-imports";
import { MAX_UPLOAD_BYTES } from "../../server/word/archive";
import { WordFileError } from "../../server/word/word-file-error";

export const meta: MetaFunction = () => [{ title: `${t("import.title")} — ${t("app.name")}` }];

const SITE = { type: "site" } as const;

export function loader({ context, request }: LoaderFunctionArgs) {
  authorize(requireUser(context, request), "draft.create", SITE);
  return { gone: new URL(request.url).searchParams.get("gone") === "1", megabytes: Math.round(MAX_UPLOAD_BYTES / 1024 / 1024) };
}

/** `POST /drafts/import`: a Word file, read whole and kept for its preview; a file that cannot be read is refused and not kept. */
export const action = formAction(async ({ context, request }) => {
  const user = requireUser(context, request);
  authorize(user, "draft.create", SITE);
  const { file } = await readUpload(request, { field: "file", maxFileBytes: MAX_UPLOAD_BYTES });
  if (!file) throw new FormRejection({ file: t("import.chooseFile") });
  let id: string;
  try {
    ({ id } = await storeWordUpload({ actor: user, fileName: file.name, bytes: file.bytes }));
  } catch (error) {
    if (error instanceof WordFileError) throw new FormRejection({ file: t(error.key, error.params) }, {}, 422);
    throw error;
  }
  throw redirect(`/drafts/import/${id}`);
});

export default function ImportWord() {
  const { gone, megabytes } = useLoaderData<typeof loader>();
  const errors = errorsOf(useActionData<typeof action>());
  return (
    <article aria-labelledby="import-title">
      <p>
        <Link to="/drafts">{t("drafts.title")}</Link>
      </p>
      <h1 id="import-title">{t("import.title")}</h1>
      <p className="lead">{t("import.intro")}</p>
      <section className="panel" aria-label={t("import.title")}>
        <WordUploadForm label={t("import.fileLabel")} button={t("import.read")} megabytes={megabytes} errors={errors} notice={gone ? t("import.gone") : undefined} />
      </section>
    </article>
  );
}
