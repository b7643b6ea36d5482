// Every form and JSON body is read here, counted while it streams. A declared Content-Length only
// says what the client promises: a chunked body has none, so the bytes themselves are counted and
// reading stops at the limit, whatever the client goes on sending.

/** The largest form or JSON body Accord reads (also refused up front when declared larger). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Why a body was not read: over the limit, or the client went away mid-way. */
export class BodyRefused extends Error {
  constructor(readonly reason: "too-large" | "aborted") {
    super(reason === "too-large" ? "The body is over its limit." : "The body was not received whole.");
  }
}

/**
 * Reads a request's body as UTF-8 text, at most `limit` bytes; throws BodyRefused("too-large")
 * as soon as the declared length or the bytes received pass it.
 */
export async function readBoundedText(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  return new TextDecoder().decode(await readBoundedBytes(request, limit));
}

/** Reads a request's body as bytes, at most `limit`, as readBoundedText does (an uploaded file). */
export async function readBoundedBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw new BodyRefused("too-large");
  if (!request.body) return new Uint8Array();
  // The lock is released, never cancelled: cancelling the adapter's stream destroys the socket
  // before the 413 can be written. Left paused, the rest waits in the kernel until the close.
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limit) throw new BodyRefused("too-large");
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof BodyRefused) throw error;
    throw new BodyRefused("aborted");
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks);
}
