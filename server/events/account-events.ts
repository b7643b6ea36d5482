import { EventHub } from "./hub";

/**
 * A change to who a signed-in person is, or whether they are signed in at all: what ends the live
 * connections authorised before it. Published by the domain after the change is committed.
 */
export type AccountEvent =
  /** The account was disabled or enabled, or changed role or delegation: every session of it is concerned. */
  | { type: "account-changed"; userId: string }
  /** One session ended (signed out, handed over, found expired). */
  | { type: "session-ended"; sessionId: string }
  /** Every session of an account ended, or every one but `exceptSessionId`. */
  | { type: "sessions-ended"; userId: string; exceptSessionId?: string };

/** The account events of this process (see EventHub). */
export class AccountEventBus extends EventHub<AccountEvent> {
  constructor() {
    super("account");
  }
}
