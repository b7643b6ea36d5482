import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { authorize, requireUser } from "~/utils/session.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "admin.view", { type: "site" });
  throw redirect("/admin/accounts");
}

// A page, not a resource route, so that a refusal is shown with the site's 403 page.
export default function AdminIndex() {
  return null;
}
