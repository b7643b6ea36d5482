import { t } from "../../i18n/translate";
import type { AuditEvent } from "../../server/domain/audit";
import { isMessage } from "../../server/domain/messages";

/** The query string of the current filters, without empty fields (for links to the CSV and older pages). */
export function auditQuery(values: Record<string, string>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...values, ...extra })) if (value) params.set(name, value);
  const query = params.toString();
  return query ? `?${query}` : "";
}

/**
 * Details are free-form records; they are shown as "key: value" pairs, values as JSON, except the
 * server's own text (a version's name, a note), recorded as a message and shown translated.
 */
export function describeDetails(details: AuditEvent["details"]): string {
  return Object.entries(details)
    .map(([key, value]) => t("common.labelled", { label: key, value: typeof value === "string" ? value : isMessage(value) ? t(value.key, value.params) : JSON.stringify(value) }))
    .join("; ");
}
