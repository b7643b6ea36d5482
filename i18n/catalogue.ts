/**
 * A translation of one English catalogue file: every key of it, each an ICU message, and no other
 * (an object literal of this type with a key missing or extra fails `npm run typecheck`).
 */
export type Translation<English> = { readonly [Key in keyof English]: string };
