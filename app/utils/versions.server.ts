import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { authorize, notFound, requireUser } from "~/utils/session.server";
import type { SessionUser } from "../../server/auth/session";
import { findDraftBySlug, type Draft } from "../../server/domain/drafts";
import { isEditNotStored } from "../../server/domain/live-texts";
import { findVersion, MAX_VERSION_NAME_LENGTH, MAX_VERSION_NOTE_LENGTH, restoreVersion, type Version, type VersionSummary } from "../../server/domain/versions";
import { fields, FormRejection, formMessage } from "./forms.server";
import { comparePath, versionNameText } from "./versions";
import type { Live } from "../../server/live";

/** The signed-in reader of a draft's versions: 404 for a draft that does not exist, 403 for one they may not read. */
export async function requireVersionsOf(context: AppLoadContext, request: Request, slug: string | undefined): Promise<{ user: SessionUser; draft: Draft }> {
  const user = requireUser(context, request);
  const draft = await findDraftBySlug(slug ?? "");
  if (!draft) throw notFound();
  authorize(user, "version.view", { type: "draft", id: draft.id });
  return { user, draft };
}

/** A version of the draft by the number in the address ("3"); 404 for anything else. */
export async function requireVersion(draft: Draft, number: string | undefined): Promise<Version> {
  const parsed = parseVersionNumber(number);
  const version = parsed === null ? null : await findVersion(draft.id, parsed);
  if (!version) throw notFound();
  return version;
}

/**
 * Restores a version for `user` (authorised by the caller); 404 when it is gone, and a 503 form
 * error on the page when the restore could not be stored (nothing was restored or recorded).
 */
export async function restoreVersionFor(live: Live, user: SessionUser, draft: Draft, version: Version): Promise<void> {
  try {
    const restored = await restoreVersion(live, { actor: user, draftId: draft.id, number: version.number });
    if (!restored) throw notFound();
  } catch (error) {
    if (isEditNotStored(error)) throw new FormRejection({ form: t("versions.restoreNotStored", { number: version.number }) }, {}, 503);
    throw error;
  }
}

/** A version number as written in addresses and forms, or null. */
export function parseVersionNumber(value: string | null | undefined): number | null {
  if (!value || !/^[1-9]\d{0,8}$/.test(value)) return null;
  return Number(value);
}

/** The "Compare" form on the versions page: a GET with `from` and `to`, sent on to the comparison. */
export function redirectToComparison(url: URL, slug: string): void {
  const from = url.searchParams.get("from");
  const to = url.searchParams.get("to");
  if (from === null && to === null) return;
  if (parseVersionNumber(from) === null || (to !== "live" && parseVersionNumber(to) === null)) return;
  throw redirect(comparePath(slug, from ?? "", to ?? ""));
}

/** What "Save a version" asks for. */
export const SaveVersionForm = z.object({
  intent: z.literal("save"),
  name: fields.text(MAX_VERSION_NAME_LENGTH),
  note: z.string().trim().max(MAX_VERSION_NOTE_LENGTH, formMessage("form.tooLong", { max: MAX_VERSION_NOTE_LENGTH })).default(""),
});

/** A version as the pages show it in lists and pickers. */
export function versionListItem(version: VersionSummary) {
  return {
    number: version.number,
    name: versionNameText(version.name),
    note: version.note,
    kind: version.kind,
    authorName: version.authorName,
    createdAt: version.createdAt,
    sha256: version.sha256,
  };
}
