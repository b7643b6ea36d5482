import type { AppLoadContext } from "@remix-run/node";
import { readCookie, sessionCookie } from "../../server/auth/cookie";
import { DEVICE_COOKIE, deviceCookie } from "../../server/auth/known-devices";
import { clearedPendingCookie, PENDING_COOKIE, readPendingSignIn, type PendingSignIn } from "../../server/auth/pending-sign-ins";
import type { AuthMethod } from "../../server/auth/session";
import { finishSignIn } from "../../server/auth/sign-in";
import { findUser } from "../../server/domain/users";

/** The sign-in waiting for its second factor in this browser, or null. */
export function pendingSignInOf(request: Request): Promise<PendingSignIn | null> {
  return readPendingSignIn(readCookie(request.headers.get("Cookie") ?? undefined, PENDING_COOKIE));
}

/**
 * Completes a sign-in for `userId` by `method`: the headers that set the session's and the known
 * browser's cookies (and clear a pending sign-in's); null when the account is gone or disabled.
 */
export async function signedInHeaders(context: AppLoadContext, request: Request, userId: string, method: AuthMethod): Promise<Headers | null> {
  const user = await findUser(userId);
  if (!user || user.disabled) return null;
  const deviceToken = readCookie(request.headers.get("Cookie") ?? undefined, DEVICE_COOKIE);
  const signedIn = await finishSignIn({ user, method, address: context.clientAddress, deviceToken, browserLanguage: context.language });
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(signedIn.token, signedIn.expiresAt, context.secureCookies));
  headers.append("Set-Cookie", deviceCookie(signedIn.deviceToken, context.secureCookies));
  headers.append("Set-Cookie", clearedPendingCookie(context.secureCookies));
  return headers;
}
