/** Interface text of versions: saving, listing, reading, comparing and restoring them, and rendered texts. */
export const versions = {
  "render.notes": "Notes",
  "render.backToText": "Back to the text",
} as const;
