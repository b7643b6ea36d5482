import { en, type MessageKey } from "./en";

export type { MessageKey };

/** The languages the interface speaks; English now, French comes next. */
export const LANGUAGES = { en } as const;
export type Language = keyof typeof LANGUAGES;

/** The interface text for `key`, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}, language: Language = "en"): string {
  const template: string = LANGUAGES[language][key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}
