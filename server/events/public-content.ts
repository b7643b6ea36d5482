// What anonymous readers see on the public site (published versions, their consultation state,
// disposition tables) changes rarely; every write that changes it calls `publicContentChanged()`
// after it commits, and caches of public answers compare generations to know they are stale.
//
// The server entry and the Remix bundle each load their own copy of this module; a key on
// globalThis gives the process one counter, so a write made through either copy is seen by both.
const KEY = Symbol.for("accord.public-content-generation");
type Holder = { [KEY]?: number };

/** Marks everything cached of the public site as stale. Call it after the change is committed. */
export function publicContentChanged(): void {
  const holder = globalThis as Holder;
  holder[KEY] = (holder[KEY] ?? 0) + 1;
}

/** The current generation of the public content: it changes whenever the public site may have. */
export function publicContentGeneration(): number {
  return (globalThis as Holder)[KEY] ?? 0;
}
