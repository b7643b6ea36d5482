import type { startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { useSyncExternalStore } from "react";
import { t } from "../../i18n/translate";

/** What one of the second-factor endpoints answered: its JSON, or the message to show. */
export type FactorAnswer<T> = { ok: true; data: T } | { ok: false; message: string };

/** Posts a form to one of the second-factor endpoints, which answer JSON. */
export async function postFactor<T>(url: string, fields: Record<string, string>): Promise<FactorAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", body: new URLSearchParams(fields), headers: { accept: "application/json" } });
  } catch {
    return { ok: false, message: t("secondFactor.offline") };
  }
  const body = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!response.ok || !body) return { ok: false, message: body?.error ?? t("secondFactor.failed") };
  return { ok: true, data: body };
}

const noChanges = () => () => undefined;
// As @simplewebauthn/browser decides it; that library is loaded only when a passkey is used, so
// that every page does not carry it for the dialog it might open.
const browserSupportsWebAuthn = () => typeof window.PublicKeyCredential === "function";

/** Whether this browser can use passkeys at all: false while rendering on the server and hydrating. */
export function usePasskeySupport(): boolean {
  return useSyncExternalStore(noChanges, browserSupportsWebAuthn, () => false);
}

/**
 * Signs with a passkey for `url`: asks it for a challenge (`intent=options`), lets the browser ask
 * the person, and sends the answer back (`intent=passkey`) with `fields`.
 */
export function answerWithPasskey<T>(url: string, fields: Record<string, string> = {}): Promise<FactorAnswer<T>> {
  return ceremony<T, Parameters<typeof startAuthentication>[0]["optionsJSON"]>(url, { ...fields, intent: "options" }, { ...fields, intent: "passkey" }, async (optionsJSON) => {
    const { startAuthentication } = await import("@simplewebauthn/browser");
    return startAuthentication({ optionsJSON });
  });
}

/** Creates a passkey for `url` (`intent=options`, then `intent=register` with `fields`). */
export function createPasskey<T>(url: string, fields: Record<string, string>): Promise<FactorAnswer<T>> {
  return ceremony<T, Parameters<typeof startRegistration>[0]["optionsJSON"]>(url, { intent: "options" }, { ...fields, intent: "register" }, async (optionsJSON) => {
    const { startRegistration } = await import("@simplewebauthn/browser");
    return startRegistration({ optionsJSON });
  });
}

// A WebAuthn ceremony with the server at `url`: its options, the browser's answer, then that answer.
async function ceremony<T, O>(url: string, ask: Record<string, string>, answer: Record<string, string>, run: (options: O) => Promise<unknown>): Promise<FactorAnswer<T>> {
  const options = await postFactor<{ options: O }>(url, ask);
  if (!options.ok) return options;
  let response: unknown;
  try {
    response = await run(options.data.options);
  } catch (error) {
    return { ok: false, message: browserRefusal(error) };
  }
  return postFactor<T>(url, { ...answer, response: JSON.stringify(response) });
}

// The browser's refusals, in the person's words: they cancelled, or this key is already there.
function browserRefusal(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "InvalidStateError") return t("secondFactor.passkeyAlreadyHere");
  if (name === "NotAllowedError" || name === "AbortError") return t("secondFactor.passkeyCancelled");
  return t("secondFactor.passkeyFailed");
}
