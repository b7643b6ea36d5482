import { publicPath } from "~/utils/public-language";
import { requireAddressLanguage } from "~/utils/session.server";
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { versionNumberParam } from "~/utils/public.server";

/** `GET /p/<slug>/compare?from=a&to=b`, what the compare form sends: on to the comparison's own address. */
export function loader({ params, request }: LoaderFunctionArgs) {
  requireAddressLanguage(params);
  const query = new URL(request.url).searchParams;
  const from = versionNumberParam(query.get("from") ?? undefined);
  const to = versionNumberParam(query.get("to") ?? undefined);
  return redirect(publicPath(`/p/${encodeURIComponent(params.slug ?? "")}/compare/${from}/${to}`, params.lang));
}
