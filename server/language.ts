import { AsyncLocalStorage } from "node:async_hooks";
import { setLanguageSource, type Language } from "../i18n/languages";

// One store for the process: the server entry and the Remix bundle each load a copy of this module.
const STORE = Symbol.for("accord.language-store");
const current: AsyncLocalStorage<Language> = ((globalThis as { [STORE]?: AsyncLocalStorage<Language> })[STORE] ??= new AsyncLocalStorage<Language>());
setLanguageSource(() => current.getStore());

/**
 * Runs `work` with `t` speaking `language` wherever it is not told otherwise: what a request
 * answers (server/http/language.ts), and what is written for someone other than the person asking
 * (their notification e-mail, in their language).
 */
export function inLanguage<T>(language: Language, work: () => T): T {
  return current.run(language, work);
}
