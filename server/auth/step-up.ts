import type { Session, SessionUser } from "./session";

/** How long a second-factor check lets a session vote, publish or administer without another. */
export const STEP_UP_WINDOW_MS = 10 * 60 * 1000;

/**
 * Whether an account's protected actions need a second factor: its role requires one, or its
 * owner set one up (then it guards them whatever the policy says).
 */
export function guardedBySecondFactor(user: SessionUser): boolean {
  return user.secondFactor.required || user.secondFactor.enrolled;
}

/** Whether the person must set up a second factor before doing anything else. */
export function mustEnrol(user: SessionUser): boolean {
  return user.secondFactor.required && !user.secondFactor.enrolled;
}

/** Until when the session's last second-factor check covers protected actions; null when it does not. */
export function stepUpValidUntil(session: Session): Date | null {
  if (!session.secondFactorAt) return null;
  return new Date(session.secondFactorAt.getTime() + STEP_UP_WINDOW_MS);
}

/**
 * Whether the session may take a protected action now (cast or change a ballot, publish, change
 * roles or factors, export the audit trail): it needs none, or had one checked in the window.
 */
export function hasRecentSecondFactor(session: Session, now: number = Date.now()): boolean {
  if (!guardedBySecondFactor(session.user)) return true;
  const until = stepUpValidUntil(session);
  return until !== null && until.getTime() > now;
}

/**
 * Whether the session may change the account's second factors: freely while it has none (setting
 * up the first), else only with a recent check of one it has.
 */
export function mayChangeFactors(session: Session, now: number = Date.now()): boolean {
  if (!session.user.secondFactor.enrolled) return true;
  const until = stepUpValidUntil(session);
  return until !== null && until.getTime() > now;
}
