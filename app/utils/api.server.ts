import { issueMessage } from "./forms.server";
import type { AppLoadContext } from "@remix-run/node";
import type { z } from "zod";
import { t } from "../../i18n/translate";
import { can, type Action, type Actions } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";
import { findDraftBySlug, type Draft } from "../../server/domain/drafts";
import { BodyRefused, MAX_BODY_BYTES, readBoundedText } from "../../server/http/body";
import type { FieldErrors } from "./forms";

/** The largest JSON or form body a resource route reads. */
export const MAX_API_BYTES = MAX_BODY_BYTES;

// Each person gets their own answers: never stored by a shared cache.
const HEADERS = { "Cache-Control": "private, no-store" };

/** A JSON answer for one person. */
export function apiJson(data: unknown, init: { status?: number } = {}): Response {
  return Response.json(data, { status: init.status ?? 200, headers: HEADERS });
}

/** A JSON error answer: `{ error, fields? }`. Throw it from a loader or action. */
export function apiError(status: number, error: string, fields?: FieldErrors): Response {
  return apiJson(fields ? { error, fields } : { error }, { status });
}

/** The signed-in user; otherwise throws 401 JSON (not a redirect: these are called by scripts). */
export function requireApiUser(context: AppLoadContext): SessionUser {
  const user = context.session?.user;
  if (!user) throw apiError(401, t("api.signIn"));
  return user;
}

/** Throws `status` JSON with `message` unless the policy lets `user` do `action` to `resource`. */
export function apiAuthorize<A extends Action>(user: SessionUser, action: A, resource: Actions[A], message: string, status = 403): void {
  if (!can(user, action, resource)) throw apiError(status, message);
}

/** A draft by slug that the user may read; otherwise 404 (as if it did not exist). */
export async function requireApiDraft(user: SessionUser, slug: string | undefined): Promise<Draft> {
  const draft = await findDraftBySlug(slug ?? "");
  if (!draft || !can(user, "draft.read", { type: "draft", id: draft.id })) throw apiError(404, t("annotations.noDraft"));
  return draft;
}

/**
 * Reads a JSON or url-encoded body (bounded in size) and validates it with `schema`; throws 400
 * JSON with the field errors when it does not fit.
 */
export async function readApiInput<S extends z.ZodTypeAny>(request: Request, schema: S): Promise<z.infer<S>> {
  const result = schema.safeParse(await readBody(request));
  if (result.success) return result.data as z.infer<S>;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) fields[String(issue.path[0] ?? "form")] ??= issueMessage(issue);
  throw apiError(400, Object.values(fields)[0] ?? t("api.invalid"), fields);
}

async function readBody(request: Request): Promise<unknown> {
  const text = await readApiText(request);
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("application/json")) {
    try {
      return text === "" ? {} : (JSON.parse(text) as unknown);
    } catch {
      throw apiError(400, t("api.badJson"));
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

async function readApiText(request: Request): Promise<string> {
  try {
    return await readBoundedText(request, MAX_API_BYTES);
  } catch (error) {
    if (!(error instanceof BodyRefused)) throw error;
    if (error.reason === "aborted") throw apiError(400, t("api.invalid"));
    // The rest of the body is never read: the connection is closed after this answer.
    const answer = apiError(413, t("api.tooLarge"));
    answer.headers.set("Connection", "close");
    throw answer;
  }
}
