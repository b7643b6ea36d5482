import { Form, useNavigation } from "@remix-run/react";
import { FormAlert, FormField } from "~/components/form-field";
import { t } from "../../i18n/translate";

/** The form that sends one Word document (.docx) to be read: the import of a draft, a capital's marked-up copy. */
export function WordUploadForm(props: { label: string; button: string; megabytes: number; errors: Record<string, string | undefined>; notice?: string }) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <FormAlert message={props.errors.form ?? props.notice} />
      <Form method="post" encType="multipart/form-data" className="inline-form" noValidate>
        <FormField
          label={props.label}
          name="file"
          type="file"
          required
          accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          hint={t("import.fileHint", { megabytes: props.megabytes })}
          error={props.errors.file}
        />
        <div>
          <button type="submit" className="button" disabled={busy}>
            {props.button}
          </button>
        </div>
      </Form>
    </>
  );
}
