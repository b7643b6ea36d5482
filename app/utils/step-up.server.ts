import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { t } from "../../i18n/translate";
import type { Session } from "../../server/auth/session";
import { guardedBySecondFactor, hasRecentSecondFactor, stepUpValidUntil } from "../../server/auth/step-up";
import { FormRejection } from "./forms.server";
import type { StepUpState } from "./step-up";

/** What the page's scripts need to ask for a second factor before a protected action. */
export function stepUpState(session: Session): StepUpState {
  const { secondFactor } = session.user;
  return {
    guarded: guardedBySecondFactor(session.user),
    validUntil: stepUpValidUntil(session)?.toISOString() ?? null,
    passkey: secondFactor.passkey,
    totp: secondFactor.totp,
  };
}

/**
 * For an action that needs a recent second factor (a ballot, publishing, an administrative change,
 * a change of factors): throws a 403 FormRejection that the page's protected form answers by
 * asking for one, then sending the form again. Call it after the policy allowed the action.
 */
export function requireRecentSecondFactor(context: AppLoadContext, values: Record<string, string> = {}): void {
  const session = context.session;
  if (!session || hasRecentSecondFactor(session)) return;
  throw new FormRejection({ form: t("stepUp.required"), stepUp: "required" }, values, 403);
}

/**
 * For a download that needs a recent second factor (the audit trail): a browser without one is
 * sent to confirm it and then back to the download.
 */
export function requireRecentSecondFactorToDownload(context: AppLoadContext, request: Request): void {
  const session = context.session;
  if (!session || hasRecentSecondFactor(session)) return;
  const url = new URL(request.url);
  throw redirect(`/account/confirm?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}
