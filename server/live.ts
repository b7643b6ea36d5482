import { NO_LIVE_TEXTS, type LiveTexts } from "./domain/live-texts";
import { AccountEventBus } from "./events/account-events";
import { DraftEventBus } from "./events/draft-events";
import { PublicContentSignal } from "./events/public-content";
import { StreamRegistry } from "./events/stream-registry";
import { SchedulerWake } from "./scheduler/wake";

/**
 * Everything live that a request or a scheduled pass reaches beyond the database: created once by
 * `startAccord` and passed to what needs it (routes get it as `context.live`). Nothing of it is a
 * process global, so that each piece can be shared between instances by replacing it here.
 */
export interface Live {
  /** Draft events for open pages: threads, amendments, motions, phases, clause status, notifications. */
  drafts: DraftEventBus;
  /** Changes to accounts and sessions, which end the live connections authorised before them. */
  accounts: AccountEventBus;
  /** The open event streams, ended when their account or session changes. */
  streams: StreamRegistry;
  /** Marks the public site's cached answers stale. */
  publicContent: PublicContentSignal;
  /** Wakes the scheduler to recompute when it next has work. */
  scheduler: SchedulerWake;
  /** The drafts' live texts: server edits, repairs, closing writing (the collaboration server). */
  texts: LiveTexts;
}

/** A Live of this process alone; `texts` is the collaboration server's, or none where it does not run. */
export function createLive(options: { texts?: LiveTexts } = {}): Live {
  const accounts = new AccountEventBus();
  return {
    drafts: new DraftEventBus(),
    accounts,
    streams: new StreamRegistry(accounts),
    publicContent: new PublicContentSignal(),
    scheduler: new SchedulerWake(),
    texts: options.texts ?? NO_LIVE_TEXTS,
  };
}
