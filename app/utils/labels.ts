import { formatMoment } from "../../i18n/format";
import { t, type MessageKey } from "../../i18n/translate";
import type { Role } from "../../server/auth/roles";

const ROLE_LABELS: Record<Role, MessageKey> = {
  secretariat: "role.secretariat",
  head: "role.head",
  delegate: "role.delegate",
  observer: "role.observer",
};

/** How a role is named in the interface. */
export function roleLabel(role: Role): string {
  return t(ROLE_LABELS[role]);
}

/**
 * A date and time, the same on the server and in every browser (UTC), in the page's language:
 * "4 March 2025, 14:05 UTC", « 4 mars 2025, 14 h 05 UTC ».
 */
export function formatDateTime(date: Date): string {
  return formatMoment(date, { timeZone: "UTC" });
}
