import { describe, expect, it } from "vitest";
import { isTimeZone, utcToWallTime, wallTimeToUtc } from "./time-zones";

describe("wall-clock times in a time zone", () => {
  it("read a form's local time in the zone of the person who typed it", () => {
    expect(wallTimeToUtc("2026-12-01T17:00", "UTC")?.toISOString()).toBe("2026-12-01T17:00:00.000Z");
    expect(wallTimeToUtc("2026-12-01T17:00", "Europe/Paris")?.toISOString()).toBe("2026-12-01T16:00:00.000Z");
    expect(wallTimeToUtc("2026-07-01T17:00", "Europe/Paris")?.toISOString()).toBe("2026-07-01T15:00:00.000Z");
    expect(wallTimeToUtc("2026-12-01T09:30", "America/New_York")?.toISOString()).toBe("2026-12-01T14:30:00.000Z");
    expect(wallTimeToUtc("2026-12-01T09:30", "Australia/Sydney")?.toISOString()).toBe("2026-11-30T22:30:00.000Z");
  });

  it("handle the days the clocks change", () => {
    // Europe/Copenhagen goes from 02:00 to 03:00 on 29 March 2026, and back on 25 October.
    expect(wallTimeToUtc("2026-03-29T03:30", "Europe/Copenhagen")?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(wallTimeToUtc("2026-03-29T01:30", "Europe/Copenhagen")?.toISOString()).toBe("2026-03-29T00:30:00.000Z");
    expect(wallTimeToUtc("2026-10-25T12:00", "Europe/Copenhagen")?.toISOString()).toBe("2026-10-25T11:00:00.000Z");
  });

  it("refuse what is not a time or not a zone", () => {
    for (const value of ["", "tomorrow", "2026-02-30T10:00", "2026-12-01", "2026-12-01T25:00"]) expect(wallTimeToUtc(value, "UTC")).toBeNull();
    expect(wallTimeToUtc("2026-12-01T10:00", "Mars/Olympus")).toBeNull();
    expect(isTimeZone("Europe/Oslo")).toBe(true);
    expect(isTimeZone("")).toBe(false);
  });

  it("write a moment back as the form shows it", () => {
    const moment = new Date("2026-12-01T16:00:00Z");
    expect(utcToWallTime(moment, "Europe/Paris")).toBe("2026-12-01T17:00");
    expect(wallTimeToUtc(utcToWallTime(moment, "Asia/Tokyo"), "Asia/Tokyo")).toEqual(moment);
  });
});
