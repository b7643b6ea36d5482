/** Interface text of the public reading site and of the published downloads. */
export const publicSite = {
  "public.version": "Version {number}",
  "public.sha256": "SHA-256",
  "public.notes": "Notes",
  "public.page": "Page {page} of {pages}",
  "public.publisher": "Export Controls and Human Rights Initiative",
  "public.feedTitle": "{title}: publications",
  "public.feedEntryTitle": "{title} — version {number} ({status})",
} as const;
