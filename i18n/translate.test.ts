import { describe, expect, it } from "vitest";
import {
  isArgumentElement,
  isDateElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTimeElement,
  parse,
} from "@formatjs/icu-messageformat-parser";
import { en, type MessageKey } from "./en";
import { fr } from "./fr";
import { t } from "./translate";

const keys = Object.keys(en) as MessageKey[];

// What the interface showed before messages were ICU: `{name}` replaced by its value, verbatim.
function replaced(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? (params[name] ?? match) : match));
}

describe("the interface text", () => {
  it("gives every reason the collaboration server closes a socket with in at most 123 bytes, a close frame's limit, in every language", () => {
    const reasons = keys.filter((key) => key.startsWith("collab.close."));
    expect(reasons.length).toBeGreaterThan(10);
    for (const key of reasons) {
      for (const language of ["en", "fr"] as const) expect(Buffer.byteLength(t(key, {}, language)), `${language} ${key}`).toBeLessThanOrEqual(123);
    }
  });

  it("parses every message as ICU MessageFormat, and formats each with its parameters", () => {
    for (const key of keys) {
      const names = [...en[key].matchAll(/\{(\w+)/g)].map((match) => match[1] ?? "");
      const params = Object.fromEntries(names.map((name) => [name, 3]));
      expect(() => t(key, params), key).not.toThrow();
      expect(t(key, params), key).not.toMatch(/\{\w+[,}]/);
    }
  });

  it("shows plain arguments as given, as before: every message without plurals reads as it did", () => {
    for (const key of keys.filter((candidate) => !/,\s*(plural|select|number)/.test(en[candidate]))) {
      const names = [...en[key].matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "");
      const params = Object.fromEntries(names.map((name) => [name, `«${name}»`]));
      expect(t(key, params), key).toBe(replaced(en[key], params));
    }
    // A number in a plain argument is not grouped: a year stays a year.
    expect(t("notifications.unread", { count: 2026 })).toBe("2026 unread");
  });

  it("chooses the plural form by the number", () => {
    expect(t("public.homeCount", { count: 1 })).toBe("One published version");
    expect(t("public.homeCount", { count: 12 })).toBe("12 published versions");
    expect(t("editor.unconfirmed", { count: 1 })).toBe("1 change not yet saved");
    expect(t("editor.unconfirmed", { count: 3 })).toBe("3 changes not yet saved");
  });

  it("shows a forgotten parameter as its name rather than failing", () => {
    expect(t("notifications.unread")).toBe("{count} unread");
  });
});

describe("the French catalogue", () => {
  const argumentsOf = (message: string): string[] => {
    const names = new Set<string>();
    const walk = (elements: ReturnType<typeof parse>) => {
      for (const element of elements) {
        if (isArgumentElement(element) || isNumberElement(element) || isDateElement(element) || isTimeElement(element) || isPluralElement(element) || isSelectElement(element)) names.add(element.value);
        if ("options" in element) for (const option of Object.values(element.options)) walk(option.value);
      }
    };
    walk(parse(message, { ignoreTag: true }));
    return [...names].sort();
  };

  it("has every English key and no other", () => {
    expect(Object.keys(fr).sort()).toEqual(keys.slice().sort());
  });

  it("parses every message, with the same arguments as the English one", () => {
    for (const key of keys) expect(argumentsOf(fr[key]), key).toEqual(argumentsOf(en[key]));
  });

  it("formats every message in French with its parameters", () => {
    for (const key of keys) {
      const params = Object.fromEntries(argumentsOf(en[key]).map((name) => [name, 3]));
      expect(t(key, params, "fr"), key).not.toMatch(/\{\w+[,}]/);
    }
  });

  it("follows French typography: a narrow no-break space before : ; ! ? and inside « », ’ for apostrophes", () => {
    const NNBSP = "\u202f";
    for (const key of keys) {
      // What a reader sees, with each plural and select branch taken at least once.
      const names = argumentsOf(en[key]);
      const shown = [1, 5].flatMap((count) =>
        ["x", "other", "withdrawn", "adopted"].map((word) => t(key, Object.fromEntries(names.map((name) => [name, /count|number|max|min|days|minutes|attempts|quorum/i.test(name) ? count : word])), "fr")),
      );
      for (const text of shown) {
        const prose = text.replace(/\b(?:https?:\/\/\S*|mailto:)/g, "");
        expect(prose, key).not.toMatch(/[^\u202f][:;!?](?=\s|$)/u);
        expect(prose, key).not.toMatch(new RegExp(`«(?!${NNBSP})|(?<!${NNBSP})»`, "u"));
        expect(prose, key).not.toMatch(/['"“”]/);
      }
    }
  });

  it("writes numbers and plurals the French way", () => {
    expect(t("signIn.throttled", { minutes: 1 }, "fr")).toBe("Trop de tentatives infructueuses. Réessayez dans 1 minute.");
    expect(t("signIn.throttled", { minutes: 5 }, "fr")).toBe("Trop de tentatives infructueuses. Réessayez dans 5 minutes.");
    expect(t("form.tooLong", { max: 5000 }, "fr")).toContain("5\u202f000");
  });
});
