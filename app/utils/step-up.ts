/** A session's second-factor state, as the page's scripts see it (from the root loader). */
export interface StepUpState {
  /** Whether protected actions need a recent second factor on this account. */
  guarded: boolean;
  /** Until when the last check covers them (ISO); null when none does. */
  validUntil: string | null;
  /** Which factors the person has: a passkey, an authenticator app. */
  passkey: boolean;
  totp: boolean;
}

/** The form-error field that marks a refusal for want of a recent second factor. */
export const STEP_UP_ERROR = "stepUp";

// A check about to lapse is asked again rather than risk a refusal on the way.
const MARGIN_MS = 20_000;

/** Whether a protected action may go ahead now without asking for a second factor. */
export function stepUpCovers(state: StepUpState | null, now: number = Date.now()): boolean {
  if (!state?.guarded) return true;
  return state.validUntil !== null && new Date(state.validUntil).getTime() - MARGIN_MS > now;
}
