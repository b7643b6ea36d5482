import type { SharedLive } from "../events/hub";

/**
 * How the domain wakes the running scheduler (rounds changed by hand, a new motion) so that it
 * recomputes when it next has work. Created at start-up before the scheduler, which attaches itself.
 * With several instances the scheduler runs in one of them: the wake-up reaches every instance.
 */
export class SchedulerWake implements SharedLive<null> {
  private attached: (() => void) | undefined;
  private relay: ((message: null) => void) | null = null;

  /** Attaches the running scheduler's wake-up, or detaches it (`undefined`) when it stops. */
  attach(wake: (() => void) | undefined): void {
    this.attached = wake;
  }

  /** Wakes the running scheduler, here or in whichever instance runs it. */
  wake(): void {
    this.attached?.();
    this.relay?.(null);
  }

  relayTo(relay: ((message: null) => void) | null): void {
    this.relay = relay;
  }

  /** Another instance asked for the scheduler to wake. */
  receive(): void {
    this.attached?.();
  }
}
