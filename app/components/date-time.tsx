import { formatDateTime } from "~/utils/labels";

/** A moment, machine-readable in `dateTime` and written the same on the server and in the browser. */
export function DateTime({ value }: { value: Date }) {
  return <time dateTime={value.toISOString()}>{formatDateTime(value)}</time>;
}
