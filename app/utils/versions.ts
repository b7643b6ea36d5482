import { t } from "../../i18n/translate";
import type { VersionName } from "../../server/domain/versions";

/** Where the comparison of two sides of a draft (version numbers, or "live") is read. */
export function comparePath(slug: string, from: string | number, to: string | number): string {
  return `/drafts/${slug}/compare/${from}/${to}`;
}

/** A version's name as people read it: the words typed for it, or the name the server gave it, translated. */
export function versionNameText(name: VersionName): string {
  return typeof name === "string" ? name : t(name.key, name.params);
}
