import { t } from "../../i18n/translate";
import type { ExportMetadata } from "./export-document";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** A calendar date as the published texts write it, in UTC: "29 November 2026". */
export function formatLongDate(date: Date): string {
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()] ?? ""} ${date.getUTCFullYear()}`;
}

/** The line under a published text's title: "Version 3 · Consultation draft · 29 November 2026". */
export function versionLine(meta: ExportMetadata): string {
  return [t("public.version", { number: meta.versionNumber }), meta.statusLabel, formatLongDate(meta.date)].filter(Boolean).join(" · ");
}

/** The line that lets a reader check the text: "SHA-256 9f86d08…". */
export function hashLine(meta: ExportMetadata): string {
  return `${t("public.sha256")} ${meta.sha256}`;
}
