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

/** A date and time, the same on the server and in every browser (UTC), e.g. "2025-03-04 14:05 UTC". */
export function formatDateTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}
