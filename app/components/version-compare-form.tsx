import { Form } from "@remix-run/react";
import { t } from "../../i18n/translate";

/** Two versions to compare (the second may be the live text): a GET form that works without JavaScript. */
export function VersionCompareForm(props: {
  slug: string;
  versions: { number: number; name: string }[];
  from?: string;
  to?: string;
}) {
  const { slug, versions } = props;
  if (versions.length === 0) return null;
  const options = versions.map((version) => ({ value: String(version.number), label: t("versions.option", { number: version.number, name: version.name }) }));
  const from = props.from ?? String(versions[0]?.number ?? "");
  const to = props.to ?? "live";
  return (
    <Form method="get" action={`/drafts/${slug}/versions`} className="inline-form compare-form" aria-label={t("versions.compareTitle")}>
      <div className="field">
        <label htmlFor="compare-from">{t("versions.compareFrom")}</label>
        <select id="compare-from" name="from" defaultValue={from}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="compare-to">{t("versions.compareTo")}</label>
        <select id="compare-to" name="to" defaultValue={to}>
          <option value="live">{t("versions.liveText")}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <button type="submit" className="button button--quiet">
          {t("versions.compare")}
        </button>
      </div>
    </Form>
  );
}
