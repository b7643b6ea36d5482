import { Link, useNavigation } from "@remix-run/react";
import { StepUpForm } from "~/components/step-up";
import { DateTime } from "~/components/date-time";
import { FormAlert, FormField, SelectField, TextAreaField } from "~/components/form-field";
import { t } from "../../i18n/translate";
import type { FieldErrors } from "~/utils/forms";
import type { PublicationPanelData } from "~/utils/publications.server";

/**
 * A version's place on the public site: where it is published, or, for the secretariat, the form
 * that publishes it (a plain POST to `/drafts/<slug>/versions/<n>/publish`, no script needed).
 */
export function PublishVersion({
  slug,
  panel,
  errors = {},
  values = {},
}: {
  slug: string;
  panel: PublicationPanelData;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const busy = useNavigation().state === "submitting";
  if (panel.published) {
    return (
      <section aria-labelledby="publication-title" className="panel publication-panel">
        <h2 id="publication-title">{t("publish.publishedTitle")}</h2>
        <p>
          {t("publish.published", { title: panel.published.publicTitle, status: panel.published.statusLabel })}{" "}
          <DateTime value={panel.published.publishedAt} />
        </p>
        {panel.published.brackets === "clean" ? <p>{t("publish.publishedClean")}</p> : null}
        <p>
          <Link to={panel.published.url} reloadDocument>
            {t("publish.readPublic")}
          </Link>
        </p>
      </section>
    );
  }
  if (!panel.form) return null;
  const statusOptions = [t("publish.statusSuggestion.consultation"), t("publish.statusSuggestion.adopted")];
  return (
    <section aria-labelledby="publish-title" className="panel publication-panel">
      <h2 id="publish-title">{t("publish.title")}</h2>
      <p className="muted">{t("publish.intro")}</p>
      <FormAlert message={errors.form} />
      <StepUpForm method="post" action={`/drafts/${slug}/versions/${panel.number}/publish`} noValidate className="stack-form">
        <FormField
          label={t("publish.publicTitle")}
          name="publicTitle"
          type="text"
          required
          maxLength={panel.form.maxTitle}
          defaultValue={values.publicTitle ?? panel.form.publicTitle}
          error={errors.publicTitle}
        />
        <TextAreaField
          label={t("publish.summary")}
          name="summary"
          hint={t("publish.summaryHint")}
          maxLength={panel.form.maxSummary}
          defaultValue={values.summary}
          error={errors.summary}
        />
        <FormField
          label={t("publish.statusLabel")}
          name="statusLabel"
          type="text"
          required
          list="publish-status-suggestions"
          hint={t("publish.statusHint")}
          maxLength={panel.form.maxStatus}
          defaultValue={values.statusLabel ?? statusOptions[0]}
          error={errors.statusLabel}
        />
        <datalist id="publish-status-suggestions">
          {statusOptions.map((option) => (
            <option key={option} value={option} />
          ))}
        </datalist>
        <SelectField
          label={t("publish.attribution")}
          name="attribution"
          defaultValue={values.attribution ?? "anonymous"}
          error={errors.attribution}
          options={[
            { value: "anonymous", label: t("publish.attribution.anonymous") },
            { value: "named", label: t("publish.attribution.named") },
          ]}
        />
        {panel.form.openBrackets > 0 ? <BracketsChoice openBrackets={panel.form.openBrackets} value={values.brackets} error={errors.brackets} /> : null}
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("publish.submit", { number: panel.number })}
          </button>
        </div>
      </StepUpForm>
    </section>
  );
}

/** Whether the public sees the version's open brackets or the clean text: asked only when it has some. */
function BracketsChoice({ openBrackets, value, error }: { openBrackets: number; value?: string; error?: string }) {
  const chosen = value === "clean" ? "clean" : "bracketed";
  const described = ["field-brackets-hint", error ? "field-brackets-error" : null].filter(Boolean).join(" ");
  return (
    <fieldset className={error ? "field field--choices field--error" : "field field--choices"} aria-describedby={described}>
      <legend>{t("publish.brackets")}</legend>
      <p className="field__hint" id="field-brackets-hint">
        {t("publish.bracketsHint", { count: openBrackets })}
      </p>
      {(["bracketed", "clean"] as const).map((view) => (
        <label key={view}>
          <input type="radio" name="brackets" value={view} defaultChecked={chosen === view} /> {t(`publish.brackets.${view}`)}
        </label>
      ))}
      {error ? (
        <p className="field__error" id="field-brackets-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
