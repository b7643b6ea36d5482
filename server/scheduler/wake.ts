/**
 * How the domain wakes the running scheduler (rounds changed by hand, a new motion) so that it
 * recomputes when it next has work. Created at start-up before the scheduler, which attaches itself.
 */
export class SchedulerWake {
  private attached: (() => void) | undefined;

  /** Attaches the running scheduler's wake-up, or detaches it (`undefined`) when it stops. */
  attach(wake: (() => void) | undefined): void {
    this.attached = wake;
  }

  /** Wakes the running scheduler, if one is attached. */
  wake(): void {
    this.attached?.();
  }
}
