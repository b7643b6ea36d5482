import { useSyncExternalStore } from "react";
import { formatMoment } from "../../i18n/format";
import { formatDateTime } from "~/utils/labels";

/**
 * A moment, machine-readable in `dateTime`. The server writes it in UTC; once the page runs in a
 * browser it is shown in the reader's own time zone (the title keeps the UTC time).
 */
export function DateTime({ value }: { value: Date | string }) {
  const date = typeof value === "string" ? new Date(value) : value;
  const local = useInBrowser() ? formatLocal(date) : null;
  return (
    <time dateTime={date.toISOString()} title={local ? formatDateTime(date) : undefined}>
      {local ?? formatDateTime(date)}
    </time>
  );
}

const noChanges = () => () => undefined;

/** False while rendering on the server and hydrating, true once the page runs in the browser. */
export function useInBrowser(): boolean {
  return useSyncExternalStore(
    noChanges,
    () => true,
    () => false,
  );
}

/** A moment in the reader's time zone and the page's language, e.g. "1 December 2026, 17:00 CET". */
export function formatLocal(date: Date): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone === "UTC" || zone === "Etc/UTC") return formatDateTime(date);
  return formatMoment(date, { timeZone: zone });
}
