import enGb from "hyphen/en-gb/index.js";
import fr from "hyphen/fr/index.js";

// Liang's patterns (TeX's), as the `hyphen` package ports them from CTAN: British English, the
// usage of the initiative's texts, and French.
const HYPHENATORS: Record<string, typeof fr.hyphenateSync> = { en: enGb.hyphenateSync, fr: fr.hyphenateSync };

/** The soft hyphen: where a word may break at the end of a line, invisible elsewhere. */
export const SOFT_HYPHEN = "\u00ad";

/**
 * `text` with a soft hyphen at every point where a word of `language` (a BCP 47 tag: "fr", "en-GB")
 * may be broken; unchanged for a language without patterns. Words shorter than six letters are
 * left whole, as are the soft hyphens the text already holds.
 */
export function hyphenate(text: string, language: string): string {
  const hyphenator = HYPHENATORS[language.toLowerCase().split("-")[0] ?? ""];
  return hyphenator ? hyphenator(text, { html: false, minWordLength: 6 }) : text;
}

/** `text` without its soft hyphens (what a reader sees of a word that is not broken). */
export function withoutSoftHyphens(text: string): string {
  return text.replaceAll(SOFT_HYPHEN, "");
}
