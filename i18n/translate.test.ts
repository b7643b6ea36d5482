import { describe, expect, it } from "vitest";
import { en, type MessageKey } from "./en";
import { t } from "./translate";

const keys = Object.keys(en) as MessageKey[];

// What the interface showed before messages were ICU: `{name}` replaced by its value, verbatim.
function replaced(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? (params[name] ?? match) : match));
}

describe("the interface text", () => {
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
