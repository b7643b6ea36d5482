import { en } from "../../i18n/en";
import { t, type MessageKey, type MessageParams } from "../../i18n/translate";

// The domain never stores or throws English prose for people to read: it speaks in messages, a
// key of the interface catalogue and its parameters, which the interface translates where it shows
// them, in the reader's language. (Tables keep them as `<what>_key` and `<what>_params` columns; a
// JSON record, as `{ "key", "params" }`: see migration 0019.)

/** Interface text as the domain says it: a catalogue key and its parameters. */
export interface Message {
  key: MessageKey;
  params: MessageParams;
}

/** The message `key` with `params`. */
export function message(key: MessageKey, params: MessageParams = {}): Message {
  return { key, params };
}

/** Whether `key` is a key of the catalogue (a stored key is checked before it is translated). */
export function isMessageKey(key: unknown): key is MessageKey {
  return typeof key === "string" && Object.hasOwn(en, key);
}

/** Whether a stored value is a message: a known key, and parameters that are strings or numbers. */
export function isMessage(value: unknown): value is Message {
  if (!value || typeof value !== "object") return false;
  const { key, params } = value as { key?: unknown; params?: unknown };
  if (!isMessageKey(key) || !params || typeof params !== "object" || Array.isArray(params)) return false;
  return Object.values(params).every((param) => typeof param === "string" || typeof param === "number");
}

/** A message read back from a `<what>_key` and `<what>_params` pair of columns; null when there is none. */
export function storedMessage(key: string | null, params: MessageParams | null): Message | null {
  if (key === null) return null;
  // The database holds the keys this code wrote; one it does not know is shown as its detail.
  if (!isMessageKey(key)) return message("error.unexpected", { detail: key });
  return message(key, params ?? {});
}

/**
 * A refusal or failure the domain explains to people: they read `key` with `params`, translated by
 * the route that answers; `message` is the English of it, for logs.
 */
export class DomainError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
  ) {
    super(t(key, params, "en"));
  }
}

/**
 * What went wrong, as a message to keep: a domain error's own, or, for an error nobody expected (the
 * database, the collaboration server), its text as the detail for whoever looks into it.
 */
export function failureMessage(error: unknown): Message {
  if (error instanceof DomainError) return message(error.key, error.params);
  return message("error.unexpected", { detail: error instanceof Error ? error.message : String(error) });
}
