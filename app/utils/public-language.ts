import { isLanguage, type Language } from "../../i18n/languages";

/**
 * The public site's addresses come in one form per language (`/fr/p/code/v/2`) and one that
 * answers in the reader's language (`/p/code/v/2`). `lang` is the optional first segment.
 */

/** The prefix that keeps a link in the form of the page it is on: "/fr" under /fr/…, "" otherwise. */
export function languagePrefix(lang: string | undefined): string {
  return isLanguage(lang) ? `/${lang}` : "";
}

/** A public path in the form of the page it is on. */
export function publicPath(path: string, lang: string | undefined): string {
  return `${languagePrefix(lang)}${path}`;
}

/** A public path in `language`'s own form. */
export function languagePath(path: string, language: Language): string {
  return `/${language}${path}`;
}

/** The public path without its language prefix. */
export function withoutLanguage(pathname: string): string {
  const match = /^\/([a-z]{2})(\/.*)?$/.exec(pathname);
  return match && isLanguage(match[1]) ? (match[2] ?? "/") : pathname;
}

/** Whether the optional first segment is absent or a language Accord speaks (otherwise the page does not exist). */
export function isAddressLanguage(lang: string | undefined): boolean {
  return lang === undefined || isLanguage(lang);
}
