import type { HeadersFunction } from "@remix-run/node";

/** A page's headers that pass on its action's Retry-After: a throttled form says when to try again. */
export const passRetryAfter: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
