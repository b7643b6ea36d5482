import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLanguage } from "../../i18n/languages";
import { t } from "../../i18n/translate";
import { languageCookie } from "../../server/http/language";
import { setUserLanguage } from "../../server/domain/users";
import { safeRedirectPath } from "~/utils/safe-redirect";

/** `GET /language`: nothing to show; the switch posts here. */
export function loader() {
  throw redirect("/");
}

/**
 * `POST /language` with `language` (and `redirectTo`, or `?to=` for a page whose address names its
 * language): remembers the choice — on the account of a signed-in person, in a cookie otherwise —
 * and goes back to the page, now in that language.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const language = form.get("language");
  if (!isLanguage(language)) throw new Response(t("language.unknown"), { status: 400 });
  const target = safeRedirectPath(new URL(request.url).searchParams.get("to") ?? form.get("redirectTo"), "/");
  const user = context.session?.user;
  if (user) await setUserLanguage(user, language);
  return redirect(target, { status: 303, headers: { "Set-Cookie": languageCookie(language, context.secureCookies) } });
}
