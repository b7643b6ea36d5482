import { requireAddressLanguage } from "~/utils/session.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadPublishedVersion } from "~/utils/public-downloads.server";

// A route per format: the router matches a dynamic segment with a fixed ending ("3.md") before a bare one ("3").
/** `GET /p/<slug>/v/<n>.md`: the published version as Markdown. */
export function loader(args: LoaderFunctionArgs) {
  requireAddressLanguage(args.params);
  return downloadPublishedVersion(args, "md");
}
