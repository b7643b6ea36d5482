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
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- module augmentation
  interface AppLoadContext extends AccordLoadContext {}
}
