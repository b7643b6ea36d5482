import { AlignmentType, Footer, LevelFormat, PageNumber, Paragraph, TextRun } from "docx";

// What Accord's Word files have in common: the clean export (docx.ts) and the comparison of
// tracked changes (docx-redline.ts).

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

/** The levels of a decimal numbered list ("1.", each level indented further), as both files number lists. */
export function decimalListLevels(count: number) {
  return Array.from({ length: count }, (_, level) => ({
    level,
    format: LevelFormat.DECIMAL,
    text: `%${level + 1}.`,
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
  }));
}

/** The footer with the page number, centred. */
export function pageNumberFooter(): Footer {
  return new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] });
}
