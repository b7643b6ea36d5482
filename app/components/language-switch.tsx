import { Form, useLocation } from "@remix-run/react";
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "../../i18n/languages";
import { t } from "../../i18n/translate";
import { withoutLanguage } from "~/utils/public-language";

/**
 * The switch to the interface's other languages, each named in itself (and marked as such for
 * screen readers). A page whose address names its language goes to the same page in the other
 * language; any other page reloads in it. The choice is remembered: on the account when signed in,
 * in a cookie otherwise.
 */
export function LanguageSwitch({ current }: { current: Language }) {
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const addressed = withoutLanguage(location.pathname) !== location.pathname;
  return (
    <Form method="post" action="/language" className="language-switch" reloadDocument>
      <input type="hidden" name="redirectTo" value={here} />
      <span className="visually-hidden">{t("language.switchLabel")}</span>
      {LANGUAGES.filter((language) => language !== current).map((language) => (
        <button
          key={language}
          type="submit"
          name="language"
          value={language}
          className="button button--quiet"
          lang={language}
          formAction={addressed ? `/language?to=${encodeURIComponent(`/${language}${withoutLanguage(location.pathname)}${location.search}`)}` : undefined}
        >
          {LANGUAGE_NAMES[language]}
        </button>
      ))}
    </Form>
  );
}
