import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadMeetingRecord } from "~/utils/meeting-downloads.server";

/** `GET /drafts/<slug>/sessions/<n>/record.pdf`: the session's final summary record. */
export function loader(args: LoaderFunctionArgs) {
  return downloadMeetingRecord(args, "pdf");
}
