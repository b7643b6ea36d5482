import { t } from "../../i18n/translate";
import type { AuditFilter } from "../../server/domain/audit";
import { isUuid } from "../../server/domain/users";

/** The filters of the audit trail as the page's form (and the CSV link) carry them in the query. */
export const AUDIT_FILTER_FIELDS = ["action", "actor", "delegation", "target", "draft", "from", "to"] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads the audit filters from a query string: each field narrows the trail. Dates are days in UTC
 * (`to` includes its whole day). Field errors for values that cannot be right; nothing is listed then.
 */
export function readAuditFilter(params: URLSearchParams): { filter: AuditFilter; values: Record<string, string>; errors: Record<string, string> } {
  const values: Record<string, string> = {};
  for (const field of AUDIT_FILTER_FIELDS) values[field] = (params.get(field) ?? "").trim();
  const errors: Record<string, string> = {};
  const filter: AuditFilter = {};
  if (values.action) {
    if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]*)*$/.test(values.action ?? "") || (values.action?.length ?? 0) > 64) errors.action = t("audit.filter.badAction");
    else filter.action = values.action;
  }
  if (values.actor) {
    if (!isUuid(values.actor ?? "")) errors.actor = t("form.invalidChoice");
    else filter.actorId = values.actor;
  }
  if (values.delegation) {
    if (!/^[a-z]{2}$/.test(values.delegation ?? "")) errors.delegation = t("form.invalidChoice");
    else filter.delegationCode = values.delegation;
  }
  if (values.target) {
    if (!/^[a-z][a-z-]{0,31}$/.test(values.target ?? "")) errors.target = t("form.invalidChoice");
    else filter.targetType = values.target;
  }
  if (values.draft) {
    if (!isUuid(values.draft ?? "")) errors.draft = t("form.invalidChoice");
    else filter.draftId = values.draft;
  }
  const day = (field: "from" | "to", offsetDays: number): Date | undefined => {
    const value = values[field] ?? "";
    if (!value) return undefined;
    const date = DATE.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      errors[field] = t("audit.filter.badDate");
      return undefined;
    }
    return new Date(date.getTime() + offsetDays * 86_400_000);
  };
  filter.from = day("from", 0);
  filter.to = day("to", 1);
  if (filter.from && filter.to && filter.from >= filter.to) errors.to = t("audit.filter.toBeforeFrom");
  const before = params.get("before");
  if (before && /^\d{1,18}$/.test(before)) filter.before = Number(before);
  return { filter, values, errors };
}
