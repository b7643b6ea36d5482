import { currentLanguage, type Language } from "./languages";

/** How a moment is written: its date alone, or its date and time. */
export type MomentStyle = "date" | "date-time";

/**
 * A moment as the language writes it, in `timeZone` (UTC unless told), with the zone named after a
 * time: « 29 novembre 2026, 14 h 30 UTC », « 1er décembre 2026 »; "29 November 2026, 14:30 UTC".
 */
export function formatMoment(
  date: Date,
  options: { language?: Language; timeZone?: string; style?: MomentStyle; zoneName?: boolean } = {},
): string {
  const language = options.language ?? currentLanguage();
  const style = options.style ?? "date-time";
  const timeZone = options.timeZone ?? "UTC";
  const parts = partsOf(date, language, timeZone, style === "date-time" && (options.zoneName ?? true));
  const day = language === "fr" && parts.day === "1" ? "1er" : parts.day;
  const when = `${day}\u00a0${parts.month} ${parts.year}`;
  if (style === "date") return when;
  const time = language === "fr" ? `${Number(parts.hour)}\u00a0h\u00a0${parts.minute}` : `${parts.hour}:${parts.minute}`;
  return `${when}, ${time}${parts.timeZoneName ? ` ${parts.timeZoneName}` : ""}`;
}

/** A number as the language writes it: « 1 234,5 », "1,234.5". */
export function formatNumber(value: number, language: Language = currentLanguage()): string {
  return numberFormat(language).format(value);
}

const numberFormats = new Map<Language, Intl.NumberFormat>();
function numberFormat(language: Language): Intl.NumberFormat {
  let format = numberFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
    numberFormats.set(language, format);
  }
  return format;
}

type Parts = Partial<Record<Intl.DateTimeFormatPartTypes, string>>;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function partsOf(date: Date, language: Language, timeZone: string, zoneName: boolean): Parts {
  const id = `${language} ${timeZone} ${zoneName}`;
  let format = dateFormats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(language === "en" ? "en-GB" : language, {
      timeZone,
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      ...(zoneName ? { timeZoneName: "short" as const } : {}),
    });
    dateFormats.set(id, format);
  }
  const parts: Parts = {};
  for (const part of format.formatToParts(date)) parts[part.type] = part.value;
  return parts;
}
