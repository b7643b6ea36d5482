/**
 * The languages Accord speaks. Adding one is a catalogue (`i18n/<code>.ts` and its files), its entry
 * here and in `CATALOGUES` (i18n/translate.ts): every page, export and message follows.
 */
export const LANGUAGES = ["en", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The language of a reader who states none and whose browser asks for none Accord speaks. */
export const DEFAULT_LANGUAGE: Language = "en";

/** Each language's name in itself, as the language switch shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", fr: "Français" };

/** Whether `value` is a language code Accord speaks. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The language an `Accept-Language` header prefers among Accord's (RFC 9110: by quality, then by
 * order; "fr-CA" asks for French), or null when it asks for none of them. Bounded: a header longer
 * than 1 KiB or with more than 32 entries is read only that far.
 */
export function preferredLanguage(header: string | null | undefined): Language | null {
  if (!header) return null;
  let best: { language: Language; quality: number; order: number } | null = null;
  const entries = header.slice(0, 1024).split(",").slice(0, 32);
  entries.forEach((entry, order) => {
    const [range = "", ...parameters] = entry.trim().split(";");
    const primary = range.trim().toLowerCase().split("-")[0] ?? "";
    if (!isLanguage(primary)) return;
    let quality = 1;
    for (const parameter of parameters) {
      if (!/^\s*q\s*=/i.test(parameter)) continue;
      // A weight written wrongly makes the entry unreadable: it is passed over.
      const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(parameter);
      quality = match ? Number(match[1]) : 0;
    }
    if (quality <= 0 || quality > 1) return;
    if (!best || quality > best.quality) best = { language: primary, quality, order };
  });
  return (best as { language: Language } | null)?.language ?? null;
}

// The language of what is being answered now: on the server, a source that reads its request's
// language (see server/language.ts); in a browser, the page's.
let source: (() => Language | undefined) | undefined;

/** Makes `read` say which language `t` speaks when it is not told (the server's request context). */
export function setLanguageSource(read: (() => Language | undefined) | undefined): void {
  source = read;
}

// In a browser: the language the page's root last rendered in (set before the page's own parts render).
let pageLanguage: Language | undefined;

/** In a browser, says which language the page now renders in (the root layout does, from its data). */
export function setPageLanguage(language: Language): void {
  if (typeof document !== "undefined") pageLanguage = language;
}

/** The language of what is being answered or shown now. */
export function currentLanguage(): Language {
  const fromSource = source?.();
  if (fromSource) return fromSource;
  if (pageLanguage) return pageLanguage;
  if (typeof document !== "undefined" && isLanguage(document.documentElement.lang)) return document.documentElement.lang;
  return DEFAULT_LANGUAGE;
}
