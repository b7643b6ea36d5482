import { AsyncLocalStorage } from "node:async_hooks";
import { setLanguageSource, type Language } from "../i18n/languages";

// The language of the request being answered, or of the e-mail being written (one module for the
// process: the web app's server bundle imports it, see vite.config.ts).
const current = new AsyncLocalStorage<Language>();
setLanguageSource(() => current.getStore());

/**
 * Runs `work` with `t` speaking `language` wherever it is not told otherwise: what a request
 * answers (server/http/language.ts), and what is written for someone other than the person asking
 * (their notification e-mail, in their language).
 */
export function inLanguage<T>(language: Language, work: () => T): T {
  return current.run(language, work);
}
