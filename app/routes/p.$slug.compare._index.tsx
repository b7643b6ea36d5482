import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { versionNumberParam } from "~/utils/public.server";

/** `GET /p/<slug>/compare?from=a&to=b`, what the compare form sends: on to the comparison's own address. */
export function loader({ params, request }: LoaderFunctionArgs) {
  const query = new URL(request.url).searchParams;
  const from = versionNumberParam(query.get("from") ?? undefined);
  const to = versionNumberParam(query.get("to") ?? undefined);
  return redirect(`/p/${encodeURIComponent(params.slug ?? "")}/compare/${from}/${to}`);
}
