/**
 * Wall-clock times in a named time zone, for forms: a `datetime-local` value means a moment in the
 * zone of the person who typed it, and is stored in UTC.
 */

/** Whether `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The UTC moment of a `datetime-local` value (YYYY-MM-DDTHH:MM) read in `zone`, or null when the
 * value is not a valid time. A time skipped by a clock change is read as the moment after the gap.
 */
export function wallTimeToUtc(value: string, zone: string): Date | null {
  const match = LOCAL.exec(value.trim());
  if (!match || !isTimeZone(zone)) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  const wall = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0);
  const check = new Date(wall);
  if (check.getUTCMonth() !== (month ?? 1) - 1 || check.getUTCDate() !== day || check.getUTCHours() !== hour) return null;
  // The zone's offset at the guessed moment, then once more at the corrected one (clock changes).
  let utc = wall - offsetAt(wall, zone);
  utc = wall - offsetAt(utc, zone);
  return new Date(utc);
}

/** The `datetime-local` value (YYYY-MM-DDTHH:MM) of a moment in `zone`. */
export function utcToWallTime(date: Date, zone: string): string {
  const parts = partsIn(date.getTime(), zone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}T${pad(parts.hour)}:${pad(parts.minute)}`;
}

// How far the zone's wall clock is ahead of UTC at a moment, in milliseconds.
function offsetAt(utc: number, zone: string): number {
  const parts = partsIn(utc, zone);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(utc / 1000) * 1000;
}

function partsIn(utc: number, zone: string) {
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(format.formatToParts(utc).find((part) => part.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}
