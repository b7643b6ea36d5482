/**
 * The bookmark that names a clause in Accord's Word files (the clean export and the tracked-changes
 * comparison), by which a capital's marked-up copy is read back (server/word/read-markup.ts). Word
 * bookmark names are letters, digits and underscores, at most 40 characters.
 */
export function bookmarkName(clauseId: string): string {
  return `clause_${clauseId.replace(/\W/g, "_")}`.slice(0, 40);
}

/** Word's language of a BCP 47 tag: its region decides the dictionary ("en" is the British English of the initiative's texts). */
export function wordLanguage(lang: string): string {
  const [primary = "en", region] = lang.split("-");
  if (region) return `${primary.toLowerCase()}-${region.toUpperCase()}`;
  return primary.toLowerCase() === "fr" ? "fr-FR" : primary.toLowerCase() === "en" ? "en-GB" : primary.toLowerCase();
}
