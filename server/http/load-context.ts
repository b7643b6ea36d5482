import type { Language } from "../../i18n/languages";
import type { Session } from "../auth/session";
import type { Live } from "../live";

/** What the HTTP server hands every Remix loader and action. */
export interface AccordLoadContext {
  /** The process's live services: event buses, the scheduler's wake-up, the drafts' live texts. */
  live: Live;
  /** The script nonce of this response's Content-Security-Policy. */
  nonce: string;
  /** The signed-in session, validated by the server before Remix runs; null when signed out. */
  session: Session | null;
  /** Our public origin, for links we show (invitations). */
  origin: string;
  /** Whether cookies must be marked Secure (the origin is https). */
  secureCookies: boolean;
  /** A keyed pseudonym of the client's address, for sign-in throttling and the audit trail. */
  clientAddress: string;
  /**
   * Aborted when the client's connection closes before the answer is finished, as a closed tab's
   * does. Long answers (event streams) end on it rather than on `request.signal`: the Fetch
   * Request that Remix hands a loader follows the adapter's signal only through a weak reference,
   * so after a garbage collection a closed connection may never abort it.
   */
  connectionClosed: AbortSignal;
  /** The language this request is answered in (see server/http/language.ts); `t` speaks it already. */
  language: Language;
  /** Whether the address names the language (`/fr/p/code`): then the answer is the same for every reader. */
  languageFromAddress: boolean;
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- module augmentation
  interface AppLoadContext extends AccordLoadContext {}
}
