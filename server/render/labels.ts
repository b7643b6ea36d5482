import { formatMoment } from "../../i18n/format";
import { t } from "../../i18n/translate";
import type { ExportMetadata } from "./export-document";

/** A calendar date as the published texts write it, in UTC and the reader's language: "29 November 2026", « 1er décembre 2026 ». */
export function formatLongDate(date: Date): string {
  return formatMoment(date, { style: "date", timeZone: "UTC" }).replace(/\u00a0/g, " ");
}

/** The line under a published text's title: "Version 3 · Consultation draft · 29 November 2026". */
export function versionLine(meta: ExportMetadata): string {
  return [t("public.version", { number: meta.versionNumber }), meta.statusLabel, formatLongDate(meta.date)].filter(Boolean).join(" · ");
}

/** The line that lets a reader check the text: "SHA-256 9f86d08…". */
export function hashLine(meta: ExportMetadata): string {
  return `${t("public.sha256")} ${meta.sha256}`;
}
