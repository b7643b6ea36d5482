import { describe, expect, it } from "vitest";
import { formatMoment, formatNumber } from "./format";
import { isLanguage, preferredLanguage } from "./languages";

describe("the reader's language from Accept-Language", () => {
  it("takes the best quality, then the first, and a regional variant for its language", () => {
    expect(preferredLanguage("fr-CA,fr;q=0.9,en;q=0.8")).toBe("fr");
    expect(preferredLanguage("en-GB,en;q=0.9,fr;q=0.8")).toBe("en");
    expect(preferredLanguage("de-DE,de;q=0.9,fr;q=0.7,en;q=0.6")).toBe("fr");
    expect(preferredLanguage("en;q=0.2, fr;q=0.9")).toBe("fr");
    expect(preferredLanguage("FR")).toBe("fr");
  });

  it("finds none where none is asked for, refused (q=0) or written wrongly, and reads a huge header only so far", () => {
    expect(preferredLanguage(undefined)).toBeNull();
    expect(preferredLanguage("")).toBeNull();
    expect(preferredLanguage("de, it;q=0.5")).toBeNull();
    expect(preferredLanguage("fr;q=0, de")).toBeNull();
    expect(preferredLanguage("fr;q=2")).toBeNull();
    expect(preferredLanguage(";;;,,,=q")).toBeNull();
    expect(preferredLanguage(`${"de,".repeat(100_000)}fr`)).toBeNull();
    expect(preferredLanguage(`fr;q=0.5,${"x".repeat(100_000)}`)).toBe("fr");
  });

  it("knows its own codes and nothing else", () => {
    expect(isLanguage("fr")).toBe(true);
    expect(isLanguage("en")).toBe(true);
    for (const other of ["de", "FR", "", "__proto__", "constructor", null, 3]) expect(isLanguage(other)).toBe(false);
  });
});

describe("dates and numbers", () => {
  const moment = new Date("2026-11-29T14:30:00Z");

  it("are written the French way", () => {
    expect(formatMoment(moment, { language: "fr", zoneName: false })).toBe("29\u00a0novembre 2026, 14\u00a0h\u00a030");
    expect(formatMoment(moment, { language: "fr" })).toBe("29\u00a0novembre 2026, 14\u00a0h\u00a030 UTC");
    expect(formatMoment(new Date("2026-12-01T08:05:00Z"), { language: "fr", style: "date" })).toBe("1er\u00a0décembre 2026");
    expect(formatMoment(new Date("2026-12-01T08:05:00Z"), { language: "fr", timeZone: "Europe/Paris", zoneName: false })).toBe("1er\u00a0décembre 2026, 9\u00a0h\u00a005");
    expect(formatNumber(1234.5, "fr")).toBe("1\u202f234,5");
  });

  it("and the English way", () => {
    expect(formatMoment(moment, { language: "en" })).toBe("29\u00a0November 2026, 14:30 UTC");
    expect(formatMoment(moment, { language: "en", style: "date" })).toBe("29\u00a0November 2026");
    expect(formatNumber(1234.5, "en")).toBe("1,234.5");
  });
});
