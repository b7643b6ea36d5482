import { formatDateTime } from "~/utils/dates";

/** A moment, machine-readable in `dateTime` and written the same on the server and in the browser. */
export function DateTime({ value }: { value: string }) {
  return <time dateTime={value}>{formatDateTime(value)}</time>;
}
