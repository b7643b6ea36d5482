import type { commentJson, threadJson } from "~/utils/annotations.server";
import { t } from "../../../i18n/translate";

/** A thread as the JSON API and the event stream send it. */
export type ThreadData = ReturnType<typeof threadJson>;
/** A comment as the JSON API sends it. */
export type CommentData = ReturnType<typeof commentJson>;

/** What a write answered: its data, or the error to show beside the form (the typed text stays). */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: string; fields: Record<string, string> };

/** Calls one of the annotation routes with a JSON body. */
export async function callApi<T>(url: string, method: "GET" | "POST" | "PATCH" | "DELETE", body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: t("annotations.offline"), fields: {} };
  }
  const data = (await response.json().catch(() => null)) as (T & { error?: string; fields?: Record<string, string> }) | null;
  if (response.ok && data) return { ok: true, data };
  return { ok: false, error: data?.error ?? t("annotations.failed"), fields: data?.fields ?? {} };
}

/** The address of a draft's threads, or of one of them. */
export function threadsUrl(slug: string, threadId?: string): string {
  const base = `/drafts/${encodeURIComponent(slug)}/threads`;
  return threadId ? `${base}/${encodeURIComponent(threadId)}` : base;
}
