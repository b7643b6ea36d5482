import {
  isArgumentElement,
  isDateElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTimeElement,
  type MessageFormatElement,
} from "@formatjs/icu-messageformat-parser";
import { IntlMessageFormat } from "intl-messageformat";
import { en, type MessageKey } from "./en";
import { fr } from "./fr";
import { currentLanguage, type Language } from "./languages";

export { currentLanguage, setLanguageSource } from "./languages";

export type { MessageKey };

/** Each language's catalogue: every one has every key (`Translation` makes that a type check). */
const CATALOGUES: Record<Language, Readonly<Record<MessageKey, string>>> = { en, fr };


/** Whether `key` names a message of the catalogue (for keys made from data, such as a delegation's code). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** A message's parameters: `{name}` arguments, and the numbers that plurals and `{n, number}` read. */
export type MessageParams = Record<string, string | number>;

/**
 * The interface text for `key` in `language`: an ICU message (`{name}`, `{count, plural, one {…}
 * other {…}}`, `{n, number}`, `{choice, select, …}`), formatted with `params`. A plain `{name}`
 * shows its value as given (a year stays 2026, not 2,026); an argument missing from `params` shows
 * as `{name}`, so a forgotten parameter is visible rather than fatal.
 */
export function t(key: MessageKey, params: MessageParams = {}, language: Language = currentLanguage()): string {
  const message = compiled(language, key);
  const values: Record<string, string | number> = {};
  for (const name of message.plain) values[name] = name in params ? String(params[name]) : `{${name}}`;
  for (const name of message.typed) values[name] = params[name] ?? Number.NaN;
  return String(message.format.format(values));
}

interface Compiled {
  format: IntlMessageFormat;
  /** Arguments shown as they are. */
  plain: Set<string>;
  /** Arguments that plurals, selects and number formats read. */
  typed: Set<string>;
}

const cache = new Map<string, Compiled>();

// Each message is parsed once per language, on first use. Tags (`<b>`) are text, not markup.
function compiled(language: Language, key: MessageKey): Compiled {
  const id = `${language}\u0000${key}`;
  let message = cache.get(id);
  if (!message) {
    const format = new IntlMessageFormat(CATALOGUES[language][key], language, undefined, { ignoreTag: true });
    const plain = new Set<string>();
    const typed = new Set<string>();
    collectArguments(format.getAst(), plain, typed);
    for (const name of typed) plain.delete(name);
    message = { format, plain, typed };
    cache.set(id, message);
  }
  return message;
}

function collectArguments(elements: MessageFormatElement[], plain: Set<string>, typed: Set<string>): void {
  for (const element of elements) {
    if (isArgumentElement(element)) plain.add(element.value);
    else if (isNumberElement(element) || isDateElement(element) || isTimeElement(element) || isPluralElement(element) || isSelectElement(element)) {
      typed.add(element.value);
    }
    if (isPluralElement(element) || isSelectElement(element)) {
      for (const option of Object.values(element.options)) collectArguments(option.value, plain, typed);
    }
  }
}
