// The scheduler registers how to wake it; rounds changed by hand and new motions wake it to
// recompute its timer. Kept apart from the domain modules that wake it, so that none of them needs
// another's to do so.
//
// The server entry and the Remix bundle each load their own copy of this module; a key on
// globalThis lets a write made through either copy wake the one scheduler.
const KEY = Symbol.for("accord.round-scheduler");
type Holder = { [KEY]?: () => void };

/** Registers the function that wakes the running scheduler (the scheduler calls this). */
export function onSchedulerWake(wake: (() => void) | undefined): void {
  (globalThis as Holder)[KEY] = wake;
}

/** Wakes the running scheduler to recompute when it next has something to do. */
export function wakeScheduler(): void {
  (globalThis as Holder)[KEY]?.();
}
